// One qemu process: spawn it with the serial console going to a file, wait for the guest agent,
// and turn every way it can end (agent exit, init failure, kernel panic, timeout) into a message
// that says what happened and where the serial log is.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Channel } from './channel.js';
import { missingToolError } from './proc.js';
import { guestStatus, type QemuConfig, qemuArgs } from './qemu.js';

/** What guest/init's own exit statuses mean. */
const initStatus: Record<number, string> = {
  90: 'a boot module failed to load in the initramfs',
  91: 'the host root did not mount over 9p',
  92: 'the read-write share did not mount over 9p',
  93: 'the guest has no virtio port named tk.agent',
};

export function serialTail(log: string, lines = 25): string {
  if (!existsSync(log)) return '(no serial log)';
  return readFileSync(log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/** Describes how qemu ended, for errors and for stop(). */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `qemu was killed by ${signal}`;
  const status = guestStatus(code);
  if (status === undefined) {
    return code === 0
      ? 'the guest reset or panicked (qemu exited 0 without a status from init)'
      : `qemu failed (exit ${code}) before the guest reported a status`;
  }
  return initStatus[status] ? `guest init: ${initStatus[status]} (status ${status})` : `guest agent exited with status ${status}`;
}

export interface Booted {
  qemu: ChildProcess;
  channel: Channel;
  /** Guest `uname -r`. */
  release: string;
  /** Resolves when qemu has exited, with its exit description and guest status. */
  exited: Promise<{ status: number | undefined; description: string }>;
  cleanup(): void;
}

export type BootConfig = Omit<QemuConfig, 'socket'> & { serialLog: string; timeoutMs: number };

export async function boot(config: BootConfig): Promise<Booted> {
  const sockDir = mkdtempSync(path.join(os.tmpdir(), 'tk-'));
  const channel = await Channel.listen(path.join(sockDir, 'agent.sock'));
  const logFd = openSync(config.serialLog, 'w');
  const qemu = spawn('qemu-system-x86_64', qemuArgs({ ...config, socket: path.join(sockDir, 'agent.sock') }), {
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  const cleanup = () => {
    channel.close();
    rmSync(sockDir, { recursive: true, force: true });
  };
  const exited = new Promise<{ status: number | undefined; description: string }>((resolve) => {
    qemu.on('error', (e: NodeJS.ErrnoException) => {
      const err = e.code === 'ENOENT' ? missingToolError('qemu-system-x86_64') : e;
      channel.fail(err);
      resolve({ status: undefined, description: err.message });
    });
    qemu.on('exit', (code, signal) => {
      const description = describeExit(code, signal);
      channel.fail(new Error(`the VM ended: ${description}; serial log ${config.serialLog}:\n${serialTail(config.serialLog)}`));
      resolve({ status: guestStatus(code), description });
    });
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), config.timeoutMs);
  });
  const ended = exited.then(() => 'exited' as const);
  // The channel closes a moment before qemu's exit is seen, and the exit says more: wait for it.
  const closed = channel.ready.then(
    (release) => ({ release }),
    () => Promise.race([ended, delay(5_000).then(() => 'exited' as const)]),
  );
  const first = await Promise.race([closed, timeout, ended]);
  clearTimeout(timer);
  if (typeof first === 'object') return { qemu, channel, release: first.release, exited, cleanup };
  const timedOut = first === 'timeout';
  qemu.kill('SIGKILL');
  const end = await exited;
  cleanup();
  throw new BootError(timedOut ? `no agent ${config.timeoutMs / 1000} s after qemu started` : end.description, config.serialLog);
}

export class BootError extends Error {
  constructor(
    readonly reason: string,
    readonly serialLog: string,
  ) {
    super(`the VM did not come up: ${reason}; serial log ${serialLog}:\n${serialTail(serialLog)}`);
    this.name = 'BootError';
  }
}
