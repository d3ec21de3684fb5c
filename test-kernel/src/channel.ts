// Host end of the exec channel: a unix socket qemu connects to as the backend of the guest's
// virtio-serial port "tk.agent". Line protocol (guest/agent.sh is the other end):
//   guest → host  "ready <uname -r>" once, "done <id> <status>" per request
//   host → guest  "run <id> <timeout-seconds>", "exit"
import { createServer, type Server, type Socket } from 'node:net';

interface Pending {
  resolve: (status: number) => void;
  reject: (e: Error) => void;
}

export class Channel {
  private server: Server;
  private socket: Socket | undefined;
  private buffer = '';
  private readonly pending = new Map<string, Pending>();
  private closedReason: Error | undefined;
  private onReady: ((release: string) => void) | undefined;
  private onReadyFail: ((e: Error) => void) | undefined;
  /** Resolves with the guest's kernel release once the agent is up. */
  readonly ready: Promise<string>;

  private constructor(server: Server) {
    this.server = server;
    this.ready = new Promise((resolve, reject) => {
      this.onReady = resolve;
      this.onReadyFail = reject;
    });
    // A VM that dies before its agent is up is reported by whoever awaits ready, not as unhandled.
    this.ready.catch(() => {});
    server.on('connection', (s) => this.attach(s));
  }

  /** Listens on `path`; qemu must be started afterwards with a client chardev on it. */
  static listen(path: string): Promise<Channel> {
    return new Promise((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(path, () => resolve(new Channel(server)));
    });
  }

  private attach(s: Socket): void {
    if (this.socket) {
      s.destroy();
      return;
    }
    this.socket = s;
    s.setEncoding('utf8');
    s.on('data', (d: string) => this.receive(d));
    s.on('error', () => {});
    s.on('close', () => this.fail(new Error('the VM closed the exec channel')));
  }

  private receive(data: string): void {
    this.buffer += data;
    for (let nl = this.buffer.indexOf('\n'); nl >= 0; nl = this.buffer.indexOf('\n')) {
      const line = this.buffer.slice(0, nl).trim();
      this.buffer = this.buffer.slice(nl + 1);
      const [verb, a, b] = line.split(' ');
      if (verb === 'ready') this.onReady?.(a ?? '');
      else if (verb === 'done' && a && b !== undefined) {
        const p = this.pending.get(a);
        this.pending.delete(a);
        p?.resolve(Number(b));
      } else if (line) this.fail(new Error(`unexpected line from the guest agent: ${line}`));
    }
  }

  /** Rejects everything waiting (the VM died, or the protocol broke). */
  fail(reason: Error): void {
    this.closedReason ??= reason;
    this.onReadyFail?.(reason);
    for (const p of this.pending.values()) p.reject(reason);
    this.pending.clear();
  }

  /** Asks the agent to run the script it will find as <id>.sh; resolves with its exit status. */
  request(id: string, timeoutSeconds: number): Promise<number> {
    if (this.closedReason) return Promise.reject(this.closedReason);
    if (!this.socket) return Promise.reject(new Error('exec before the agent connected'));
    const done = new Promise<number>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.socket.write(`run ${id} ${timeoutSeconds}\n`);
    return done;
  }

  /** Asks the agent to exit, which powers the VM off. */
  shutdown(): void {
    if (!this.closedReason) this.socket?.write('exit\n');
  }

  close(): void {
    this.socket?.destroy();
    this.server.close();
  }
}
