// Runs once before the VM test files (the `vm` project of vitest.config.ts), which run two at a
// time: everything they share is fetched or built here first, one at a time, so no two files ever
// unpack the same kernel, build the same initramfs or guest helper, or extract the same module BTF
// at once (each of those replaces its target directory when done). The matrix starts empty, so
// matrix.txt shows exactly this run's cells.
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fetchKernel } from '../../test-kernel/src/fetch.js';
import { prepareGuestTools } from '../../test-kernel/src/guest-tools.js';
import { buildInitramfs } from '../../test-kernel/src/initramfs.js';
import { loadMatrix, selectKernels } from '../../test-kernel/src/matrix.js';
import { clearMatrix } from '../../test-kernel/src/matrix-file.js';
import { moduleBtfFile } from '../../test-kernel/src/module-btf.js';
import { logsDir } from '../../test-kernel/src/paths.js';

export default async function setup(): Promise<void> {
  clearMatrix();
  // One serial log per VM: the previous run's are not this run's.
  for (const f of safeList(logsDir)) if (f.endsWith('.serial.log')) rmSync(path.join(logsDir, f), { force: true });
  const log = (m: string) => console.log(`[test-kernel] ${m}`);
  for (const spec of selectKernels(process.env.TK_KERNELS)) {
    const tree = await fetchKernel(spec, log);
    await buildInitramfs(tree, loadMatrix().bootModules);
    // Kernels that publish no module BTF: the plugins hooking module functions run with this file.
    if (!spec.facts.moduleBtf) await moduleBtfFile(spec, tree, log);
  }
  await prepareGuestTools();
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
