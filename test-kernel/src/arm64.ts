// An arm64 test kernel, for the one plugin whose hooks exist only there (kvm-irqfd-stats-arm).
// Debian's arm64 kernel boots under qemu-system-aarch64 TCG (`-M virt,virtualization=on`: EL2, so
// KVM initialises in VHE mode and /dev/kvm exists) from an initramfs of arm64 packages unpacked
// here (busybox-static, bpftool and its libraries); nettrace itself cannot run there (no arm64
// node or addon), so bpftool loads the plugin's object and auto-attaches every program: the
// verifier, CO-RE against the arm64 kernel's BTF and each attach are real. The same kernel's BTF,
// cut out of its Image, is what the build compiles arm64 objects against (arm64Btf).
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AptWorld } from './apt.js';
import { loadMatrix } from './matrix.js';
import { processTag, workDir } from './paths.js';
import { run } from './proc.js';

const RELEASE = 'bookworm';
/** Packages of the guest, at their candidate version; bpftool at its newest (backports: libbpf 1.5). */
const PACKAGES = ['busybox-static', 'libc6', 'libcap2', 'libelf1', 'zlib1g', 'libzstd1'];
const dir = path.join(workDir, 'arm64');

export interface Arm64Root {
  root: string;
  kernel: string;
  release: string;
}

async function candidate(apt: AptWorld, pkg: string): Promise<string> {
  const v = /Candidate:\s*(\S+)/.exec((await apt.cache(['policy', pkg])).stdout)?.[1];
  if (!v || v === '(none)') throw new Error(`${pkg} is not in ${RELEASE} for arm64`);
  return v;
}

/** The highest of Debian versions (dpkg's ordering). */
async function newest(versions: string[]): Promise<string | undefined> {
  let best: string | undefined;
  for (const v of versions)
    if (!best || (await run(['dpkg', '--compare-versions', v, 'gt', best], { allowFailure: true })).code === 0) best = v;
  return best;
}

/** The arm64 kernel (linux-image-arm64's dependency) and the guest's userland, unpacked once. */
export async function fetchArm64(log: (m: string) => void = () => {}): Promise<Arm64Root> {
  const root = path.join(dir, 'root');
  if (!existsSync(path.join(dir, '.done'))) {
    const suites = loadMatrix().kernels.find((k) => k.release === RELEASE)?.suites ?? [RELEASE];
    const apt = new AptWorld(RELEASE, suites, undefined, 'arm64');
    const meta = (await apt.cache(['depends', 'linux-image-arm64'])).stdout;
    const image = /Depends: (linux-image-\S+-arm64)/.exec(meta)?.[1];
    if (!image) throw new Error(`linux-image-arm64 names no kernel:\n${meta}`);
    const bpftool = await newest(await apt.versions('bpftool'));
    if (!bpftool) throw new Error('bpftool is not in the arm64 archive');
    const tmp = `${dir}.tmp-${processTag}`;
    rmSync(tmp, { recursive: true, force: true });
    for (const [pkg, version] of [
      [image, await candidate(apt, image)],
      ['bpftool', bpftool],
      ...(await Promise.all(PACKAGES.map(async (p) => [p, await candidate(apt, p)]))),
    ]) {
      log(`arm64: ${pkg} ${version}`);
      const deb = await apt.download(pkg as string, version as string, path.join(tmp, 'debs'));
      await run(['dpkg-deb', '-x', deb, path.join(tmp, 'root')]);
    }
    rmSync(path.join(tmp, 'debs'), { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    writeFileSync(path.join(dir, '.done'), `${image}\n`);
  }
  const kernel = readdirSync(path.join(root, 'boot')).find((f) => f.startsWith('vmlinuz-'));
  if (!kernel) throw new Error(`no vmlinuz in ${root}/boot`);
  return { root, kernel: path.join(root, 'boot', kernel), release: kernel.slice('vmlinuz-'.length) };
}

/** The BTF header (linux/btf.h) as the kernel lays it out in .BTF: magic 0xeB9F, version 1,
 * flags 0, hdr_len 24, little-endian. */
const BTF_HEADER = Buffer.from([0x9f, 0xeb, 0x01, 0x00, 0x18, 0x00, 0x00, 0x00]);

/** The raw BTF of an uncompressed arm64 kernel Image: the .BTF section is linked into the image as
 * is (the header, then the types, then the strings), so its extent is in its own header. */
export function btfFromImage(image: Buffer): Buffer {
  const at = image.indexOf(BTF_HEADER);
  if (at < 0) throw new Error('the arm64 kernel image carries no BTF');
  const typeOff = image.readUInt32LE(at + 8);
  const typeLen = image.readUInt32LE(at + 12);
  const strOff = image.readUInt32LE(at + 16);
  const strLen = image.readUInt32LE(at + 20);
  return image.subarray(at, at + 24 + Math.max(typeOff + typeLen, strOff + strLen));
}

/** The arm64 kernel's BTF as a file (the build's NETTRACE_BUILD_BTF for arm64 objects). */
export async function arm64Btf(log: (m: string) => void = () => {}): Promise<string> {
  const a = await fetchArm64(log);
  const out = path.join(dir, 'vmlinux.btf');
  if (!existsSync(out)) {
    writeFileSync(`${out}.${processTag}`, btfFromImage(readFileSync(a.kernel)));
    renameSync(`${out}.${processTag}`, out);
  }
  return out;
}

const INIT = `#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc none /proc; mount -t sysfs none /sys; mount -t devtmpfs none /dev
mount -t tracefs none /sys/kernel/tracing; mount -t bpf none /sys/fs/bpf
echo "arm64-kernel $(uname -r) kvm=$([ -e /dev/kvm ] && echo yes || echo no)"
for m in /modules/*.ko; do insmod "$m" && echo "module $(basename "$m" .ko)"; done
/run.sh
echo arm64-done
poweroff -f
`;

/** Boots the arm64 kernel with `script` as /run.sh, the given files under /files and the named
 * kernel modules (in dependency order) under /modules; returns the serial console output. */
export async function runArm64(script: string, files: string[], modules: string[], log: (m: string) => void = () => {}): Promise<string> {
  const a = await fetchArm64(log);
  const initrd = path.join(dir, `initrd-${processTag}`);
  rmSync(initrd, { recursive: true, force: true });
  for (const d of ['bin', 'proc', 'sys', 'dev', 'tmp', 'files', 'modules', 'usr/sbin', 'lib/aarch64-linux-gnu'])
    mkdirSync(path.join(initrd, d), { recursive: true });
  cpSync(path.join(a.root, 'bin/busybox'), path.join(initrd, 'bin/busybox'));
  cpSync(path.join(a.root, 'usr/sbin/bpftool'), path.join(initrd, 'usr/sbin/bpftool'));
  cpSync(path.join(a.root, 'lib/ld-linux-aarch64.so.1'), path.join(initrd, 'lib/ld-linux-aarch64.so.1'), { dereference: true });
  const libs = path.join(a.root, 'lib/aarch64-linux-gnu');
  const usrLibs = path.join(a.root, 'usr/lib/aarch64-linux-gnu');
  for (const lib of ['libc.so.6', 'libcap.so.2', 'libelf.so.1', 'libz.so.1', 'libzstd.so.1']) {
    const from = [libs, usrLibs].map((d) => path.join(d, lib)).find(existsSync);
    if (!from) throw new Error(`arm64 userland lacks ${lib}`);
    cpSync(from, path.join(initrd, 'lib/aarch64-linux-gnu', lib), { dereference: true });
  }
  const modDir = path.join(a.root, 'lib/modules');
  const kos = readdirSync(modDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ko'))
    .map((f) => path.join(modDir, f));
  modules.forEach((m, i) => {
    const ko = kos.find((k) => path.basename(k) === `${m}.ko`);
    if (!ko) throw new Error(`arm64 kernel has no module ${m}`);
    cpSync(ko, path.join(initrd, 'modules', `${i}-${m}.ko`));
  });
  for (const f of files) cpSync(f, path.join(initrd, 'files', path.basename(f)));
  writeFileSync(path.join(initrd, 'init'), INIT);
  writeFileSync(path.join(initrd, 'run.sh'), `#!/bin/sh\n${script}\n`);
  chmodSync(path.join(initrd, 'init'), 0o755);
  chmodSync(path.join(initrd, 'run.sh'), 0o755);
  const cpio = `${initrd}.cpio`;
  await run(['sh', '-c', 'find . -print | cpio -o -H newc --quiet'], { cwd: initrd, stdoutFile: cpio });
  try {
    const r = await run([
      'qemu-system-aarch64',
      ...['-M', 'virt,virtualization=on,gic-version=3', '-cpu', 'max', '-smp', '1', '-m', '1024'],
      ...['-nographic', '-no-reboot', '-kernel', a.kernel, '-initrd', cpio],
      ...['-append', 'console=ttyAMA0 rdinit=/init panic=-1 quiet'],
    ]);
    if (!r.stdout.includes('arm64-done')) throw new Error(`the arm64 guest did not finish:\n${r.stdout.slice(-3000)}`);
    return r.stdout;
  } finally {
    rmSync(initrd, { recursive: true, force: true });
    rmSync(cpio, { force: true });
  }
}
