// exec() and stop() of a booted VM. A command travels as a script file on the read-write share
// plus one line on the channel; its output comes back as files on the share, so binary or large
// output needs no framing. Several commands may be in flight at once.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Booted, serialTail } from './boot.js';
import { type ExecOptions, type ExecResult, ExecTimeoutError } from './exec.js';
import { repoRoot } from './paths.js';

const DEFAULT_EXEC_TIMEOUT_MS = 120_000;
/** How long the host waits past the guest-side timeout before calling the VM hung. */
const HOST_GRACE_MS = 20_000;
/** timeout(1)'s status for a command it had to stop. */
const TIMEOUT_STATUS = 124;
/** qemu gets this long to power off after the agent is told to exit. */
const STOP_GRACE_MS = 30_000;

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export class GuestSession {
  private seq = 0;
  private stopped = false;
  private readonly execDir: string;

  constructor(
    private readonly kernel: string,
    private readonly booted: Booted,
    private readonly shareDir: string,
    private readonly serialLog: string,
  ) {
    this.execDir = path.join(shareDir, 'exec');
  }

  private hostWatchdog(cmd: string, ms: number): { hung: Promise<never>; clear: () => void } {
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          new Error(
            `kernel ${this.kernel}: the guest did not answer ${ms} ms after: ${cmd}\nserial log ${this.serialLog}:\n${serialTail(this.serialLog)}`,
          ),
        );
      }, ms);
    });
    return { hung, clear: () => clearTimeout(timer) };
  }

  async exec(cmd: string, opts: ExecOptions = {}): Promise<ExecResult> {
    if (this.stopped) throw new Error(`exec after stop() on kernel ${this.kernel}: ${cmd}`);
    const id = String(++this.seq);
    const timeoutMs = opts.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
    const file = (ext: string) => path.join(this.execDir, `${id}.${ext}`);
    writeFileSync(file('sh'), `cd ${shellQuote(opts.cwd ?? repoRoot)} || exit 97\n${cmd}\n`);
    const started = Date.now();
    const watchdog = this.hostWatchdog(cmd, timeoutMs + HOST_GRACE_MS);
    try {
      const code = await Promise.race([this.booted.channel.request(id, timeoutMs / 1000), watchdog.hung]);
      const read = (ext: string) => (existsSync(file(ext)) ? readFileSync(file(ext), 'utf8') : '');
      const result = { code, stdout: read('out'), stderr: read('err') };
      if (code === TIMEOUT_STATUS && Date.now() - started >= timeoutMs) throw new ExecTimeoutError(cmd, timeoutMs, result);
      return result;
    } finally {
      watchdog.clear();
      for (const ext of ['sh', 'out', 'err']) rmSync(file(ext), { force: true });
    }
  }

  /** Powers off; throws if the guest did not end cleanly (panic, agent failure). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.booted.channel.shutdown();
    const kill = setTimeout(() => this.booted.qemu.kill('SIGKILL'), STOP_GRACE_MS);
    const end = await this.booted.exited;
    clearTimeout(kill);
    this.booted.cleanup();
    if (!process.env.TK_KEEP) rmSync(this.shareDir, { recursive: true, force: true });
    if (end.status !== 0) {
      throw new Error(
        `kernel ${this.kernel} did not shut down cleanly: ${end.description}; serial log ${this.serialLog}:\n${serialTail(this.serialLog)}`,
      );
    }
  }
}
