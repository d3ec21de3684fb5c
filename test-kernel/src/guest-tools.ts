// Helper programs the guest runs, prepared on the host where the guest finds them through the
// host-root share: guest/c/*.c built with gcc into .work/bin/ (on the guest's PATH), and Open
// vSwitch's ovs-dpctl unpacked from Debian's package into .work/ovs/ (never installed on the host,
// so no OVS daemon is ever started here; the datapath needs none).
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AptWorld } from './apt.js';
import { loadMatrix } from './matrix.js';
import { guestDir, work } from './paths.js';
import { run } from './proc.js';

const cDir = path.join(guestDir, 'c');

/** Compiles each guest/c/NAME.c to .work/bin/NAME when the binary is missing or older. */
export async function buildGuestPrograms(): Promise<string[]> {
  mkdirSync(work.bin, { recursive: true });
  const built: string[] = [];
  for (const src of readdirSync(cDir).filter((f) => f.endsWith('.c'))) {
    const out = path.join(work.bin, src.slice(0, -2));
    if (existsSync(out) && statSync(out).mtimeMs >= statSync(path.join(cDir, src)).mtimeMs) continue;
    await run(['gcc', '-O2', '-g', '-Wall', '-Wextra', '-Werror', '-o', `${out}.tmp`, path.join(cDir, src)]);
    renameSync(`${out}.tmp`, out);
    built.push(out);
  }
  return built;
}

/**
 * ovs-dpctl (in openvswitch-switch) and the shared libraries of its dependencies that a minimal
 * bookworm host may lack; libssl3, libbpf1 and libc come from the host.
 */
const OVS_PACKAGES = ['openvswitch-switch', 'libxdp1', 'libnuma1', 'libunbound8', 'libevent-2.1-7'];
const ovsLibDir = (root: string) => path.join(root, 'usr/lib/x86_64-linux-gnu');
export const ovsRoot = path.join(work.ovs, 'root');

/** Unpacks ovs-dpctl once; guest/bin/ovs-dpctl runs it with the unpacked libraries. */
export async function fetchOvs(): Promise<string> {
  const stamp = path.join(work.ovs, '.done');
  if (existsSync(stamp)) return ovsRoot;
  const release = 'bookworm';
  const suites = loadMatrix().kernels.find((k) => k.release === release)?.suites ?? [release];
  const apt = new AptWorld(release, suites);
  const tmp = `${work.ovs}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  for (const pkg of OVS_PACKAGES) {
    // The candidate version of each package; bookworm-backports is never the candidate (priority 100).
    const policy = await apt.cache(['policy', pkg]);
    const version = /Candidate:\s*(\S+)/.exec(policy.stdout)?.[1];
    if (!version || version === '(none)') throw new Error(`${pkg} is not in ${release}: cannot provide ovs-dpctl to the guest`);
    const deb = await apt.download(pkg, version, path.join(tmp, 'debs'));
    await run(['dpkg-deb', '-x', deb, path.join(tmp, 'root')]);
  }
  rmSync(path.join(tmp, 'debs'), { recursive: true, force: true });
  const root = path.join(tmp, 'root');
  const ldd = await run(['ldd', path.join(root, 'usr/bin/ovs-dpctl')], { env: { ...process.env, LD_LIBRARY_PATH: ovsLibDir(root) } });
  const missing = ldd.stdout.split('\n').filter((l) => l.includes('not found'));
  if (missing.length > 0)
    throw new Error(`ovs-dpctl still lacks libraries after unpacking ${OVS_PACKAGES.join(' ')}:\n${missing.join('\n')}`);
  rmSync(work.ovs, { recursive: true, force: true });
  renameSync(tmp, work.ovs);
  writeFileSync(stamp, `${OVS_PACKAGES.join(' ')}\n`);
  return ovsRoot;
}

/** .work/bin/ovs-dpctl (on the guest's PATH): the unpacked binary with its unpacked libraries. */
function writeOvsWrapper(): void {
  mkdirSync(work.bin, { recursive: true });
  const wrapper = path.join(work.bin, 'ovs-dpctl');
  writeFileSync(
    wrapper,
    `#!/bin/sh\n# Written by test-kernel/src/guest-tools.ts: Debian's ovs-dpctl, unpacked, never installed.\n` +
      `LD_LIBRARY_PATH=${ovsLibDir(ovsRoot)} exec ${path.join(ovsRoot, 'usr/bin/ovs-dpctl')} "$@"\n`,
  );
  chmodSync(wrapper, 0o755);
}

/** Everything the guest helpers need, built or fetched on first use. */
export async function prepareGuestTools(): Promise<void> {
  await buildGuestPrograms();
  await fetchOvs();
  writeOvsWrapper();
}
