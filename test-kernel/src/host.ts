// The live kernel as a target: the same exec() shape as a VM, run with /bin/sh on the host, so the
// matrix can show the machine's own kernel beside the test kernels.
import { spawn } from 'node:child_process';
import { release } from 'node:os';
import { type ExecOptions, type ExecResult, ExecTimeoutError } from './exec.js';
import { repoRoot } from './paths.js';

export interface Target {
  /** Matrix column: a kernel id, or 'live'. */
  id: string;
  /** `uname -r`. */
  release: string;
  exec(cmd: string, opts?: ExecOptions): Promise<ExecResult>;
}

export function liveTarget(): Target {
  return {
    id: 'live',
    release: release(),
    exec(cmd, opts = {}) {
      const timeoutMs = opts.timeoutMs ?? 120_000;
      return new Promise((resolve, reject) => {
        const child = spawn('/bin/sh', ['-c', cmd], { cwd: opts.cwd ?? repoRoot, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          // detached: the shell leads its own process group, so its children die with it.
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        }, timeoutMs);
        child.on('error', reject);
        child.on('close', (code) => {
          clearTimeout(timer);
          const result = { code: code ?? 128, stdout, stderr };
          if (timedOut) reject(new ExecTimeoutError(cmd, timeoutMs, result));
          else resolve(result);
        });
      });
    },
  };
}
