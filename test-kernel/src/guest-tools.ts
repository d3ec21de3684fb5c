// Helper programs the guest runs, prepared on the host where the guest finds them through the
// host-root share: guest/c/*.c built with gcc into .work/bin/ (on the guest's PATH), and Open
// vSwitch's programs unpacked from Debian's packages into .work/ovs/ (src/ovs-tools.ts; never
// installed on the host, so OVS daemons only ever run inside a guest).
import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { fetchOvs, writeOvsWrappers } from './ovs-tools.js';
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

/** Everything the guest helpers need, built or fetched on first use. */
export async function prepareGuestTools(): Promise<void> {
  await buildGuestPrograms();
  await fetchOvs();
  writeOvsWrappers();
}
