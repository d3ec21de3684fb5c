// The initramfs: static busybox, guest/init and the boot modules' closure (virtio, 9p), decompressed
// because busybox insmod cannot read .ko.xz. Nothing else goes in: everything a test uses comes
// from the host root over 9p. Built once per kernel and init version, reused from .work/initramfs/.
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isStaticElf } from './elf.js';
import type { KernelTree } from './fetch.js';
import { moduleClosure } from './modules.js';
import { guestDir, processTag, work } from './paths.js';
import { run } from './proc.js';

const BUSYBOX = '/bin/busybox';

function checkBusybox(): void {
  if (!existsSync(BUSYBOX)) throw new Error(`${BUSYBOX} is missing: run \`npm run setup\` or \`apt-get install busybox-static\``);
  if (!isStaticElf(BUSYBOX)) {
    throw new Error(`${BUSYBOX} is dynamically linked and cannot be PID 1 of the guest: \`apt-get install busybox-static\``);
  }
}

async function decompressInto(src: string, dst: string): Promise<void> {
  mkdirSync(path.dirname(dst), { recursive: true });
  if (src.endsWith('.xz')) await run(['xz', '-dc', src], { stdoutFile: dst });
  else if (src.endsWith('.zst')) await run(['zstd', '-dcq', src], { stdoutFile: dst });
  else copyFileSync(src, dst);
}

/** Path of the initramfs (newc cpio, uncompressed: compression only costs boot time under TCG). */
export async function buildInitramfs(tree: KernelTree, bootModules: readonly string[]): Promise<string> {
  checkBusybox();
  const init = readFileSync(path.join(guestDir, 'init'));
  const key = createHash('sha256')
    .update(init)
    .update(readFileSync(BUSYBOX))
    .update(`${tree.package}=${tree.version}\0${bootModules.join(',')}`)
    .digest('hex')
    .slice(0, 16);
  const out = path.join(work.initramfs, `${tree.kver}-${key}.cpio`);
  if (existsSync(out)) return out;

  const stage = path.join(work.initramfs, `stage-${processTag}`);
  rmSync(stage, { recursive: true, force: true });
  for (const d of ['bin', 'dev', 'proc', 'sys', 'etc/tk', 'tmp']) mkdirSync(path.join(stage, d), { recursive: true });
  copyFileSync(BUSYBOX, path.join(stage, 'bin/busybox'));
  writeFileSync(path.join(stage, 'init'), init);
  chmodSync(path.join(stage, 'init'), 0o755);
  const mods = await moduleClosure(tree, bootModules);
  for (const m of mods) await decompressInto(m.file, path.join(stage, 'lib/modules', tree.kver, m.rel));
  writeFileSync(path.join(stage, 'etc/tk/boot-modules'), mods.map((m) => `${m.rel}\n`).join(''));

  const tmp = `${out}.tmp-${processTag}`;
  await run(['sh', '-c', 'find . -print | cpio -o -H newc --quiet'], { cwd: stage, stdoutFile: tmp });
  renameSync(tmp, out);
  rmSync(stage, { recursive: true, force: true });
  // Images of an older init or busybox for this kernel are never used again.
  for (const f of readdirSync(work.initramfs)) {
    if (f.startsWith(`${tree.kver}-`) && f.endsWith('.cpio') && path.join(work.initramfs, f) !== out) rmSync(path.join(work.initramfs, f));
  }
  return out;
}
