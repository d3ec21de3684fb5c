// What running a command in a target returns, shared by test VMs and the live kernel.

export interface ExecOptions {
  /** Killed (with its process group) after this long; default 120 s. */
  timeoutMs?: number;
  /** Working directory in the guest; default the monorepo root. */
  cwd?: string;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class ExecTimeoutError extends Error {
  constructor(
    readonly cmd: string,
    readonly timeoutMs: number,
    readonly partial: ExecResult,
  ) {
    super(`timed out after ${timeoutMs} ms in the guest: ${cmd}\n--- stdout\n${partial.stdout}\n--- stderr\n${partial.stderr}`);
    this.name = 'ExecTimeoutError';
  }
}
