// Where the harness keeps things. Everything it downloads or builds lives under .work/ (gitignored),
// every VM's serial console under .logs/, so a CI run leaves one place to look at after a failure.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';

/** test-kernel/ itself: src/ and dist/ are both one level below it. */
export const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The monorepo root, which the guest sees at the same path through the host-root share. */
export const repoRoot = path.resolve(packageDir, '..');

/** Cache root; TK_WORK moves it (e.g. to a bigger disk). */
export const workDir = process.env.TK_WORK ? path.resolve(process.env.TK_WORK) : path.join(packageDir, '.work');
export const logsDir = process.env.TK_LOGS ? path.resolve(process.env.TK_LOGS) : path.join(packageDir, '.logs');

export const guestDir = path.join(packageDir, 'guest');
export const kernelsFile = path.join(packageDir, 'kernels.json');

export const work = {
  apt: (release: string) => path.join(workDir, 'apt', release),
  kernels: path.join(workDir, 'kernels'),
  initramfs: path.join(workDir, 'initramfs'),
  runs: path.join(workDir, 'runs'),
  bin: path.join(workDir, 'bin'),
  ovs: path.join(workDir, 'ovs'),
};

/** Unique to this process and thread, for temporary and per-VM names: the VM test files run two at
 * a time in worker threads of one process, so the pid alone is shared. */
export const processTag = threadId ? `${process.pid}.${threadId}` : String(process.pid);
