// Running host tools. Every failure names the command, its exit status and the tail of its stderr,
// and a missing tool names the setup step that installs it.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { hostPrograms } from '@nettrace/core';

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Bytes fed to stdin. */
  input?: Uint8Array;
  /** Resolve with the result instead of throwing on a non-zero exit. */
  allowFailure?: boolean;
  /** Send stdout to this file (for large binary output) instead of collecting it. */
  stdoutFile?: string;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class CommandError extends Error {
  constructor(
    readonly argv: readonly string[],
    readonly result: RunResult,
  ) {
    const tail = result.stderr.trim().split('\n').slice(-8).join('\n');
    super(`command failed (exit ${result.code}): ${argv.join(' ')}${tail ? `\n${tail}` : ''}`);
    this.name = 'CommandError';
  }
}

export function missingToolError(tool: string): Error {
  const pkg = hostPrograms().find((p) => p.name === tool)?.package ?? tool;
  return new Error(`${tool} is not installed: run \`npm run setup\` (tooling/bin/setup-host.sh) or \`apt-get install ${pkg}\``);
}

export function run(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const [cmd, ...args] = argv;
  if (!cmd) throw new Error('run: empty command');
  const outFd = opts.stdoutFile ? openSync(opts.stdoutFile, 'w') : undefined;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: [opts.input ? 'pipe' : 'ignore', outFd ?? 'pipe', 'pipe'],
    });
    if (outFd !== undefined) closeSync(outFd);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ENOENT' ? missingToolError(cmd) : e));
    if (opts.input) {
      // A tool that stops reading early (e.g. at the end of a compressed stream) must not crash us.
      child.stdin?.on('error', () => {});
      child.stdin?.end(opts.input);
    }
    child.on('close', (code, signal) => {
      const result = {
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      };
      if (result.code !== 0 && !opts.allowFailure) reject(new CommandError(argv, result));
      else resolve(result);
    });
  });
}
