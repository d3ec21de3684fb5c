// TCP traffic for live-kernel tests, between two namespaces (or inside one): a sink server that
// runs in the background and acknowledges every connection's byte count, and clients that connect
// from chosen local ports, so the plugin's filters and the test's assertions name one 4-tuple.
import { type ChildProcess, spawn } from 'node:child_process';
import type { Netns } from '@nettrace/plugin-testing';

export interface TcpServer {
  port: number;
  /** Bytes received per finished connection, in order. */
  received(): number[];
  close(): Promise<void>;
}

const SERVER = `
const net = require('net');
const [host, port] = [process.argv[1], Number(process.argv[2])];
const srv = net.createServer((c) => {
  let n = 0;
  c.on('data', (d) => (n += d.length));
  c.on('end', () => { process.stdout.write('conn ' + n + '\\n'); c.end(String(n)); });
  c.on('error', () => {});
});
srv.listen({ host, port }, () => process.stdout.write('ready\\n'));
`;

function inNs(ns: Netns, script: string, args: string[]): ChildProcess {
  return spawn('ip', ['netns', 'exec', ns.name, process.execPath, '-e', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Starts a sink server on host:port inside `ns`; resolves once it listens. */
export function tcpServer(ns: Netns, host: string, port: number): Promise<TcpServer> {
  const child = inNs(ns, SERVER, [host, String(port)]);
  const received: number[] = [];
  let out = '';
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`tcp server exited (${code}) before listening`)));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      let nl: number;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        if (line === 'ready')
          resolve({
            port,
            received: () => [...received],
            close: () =>
              new Promise<void>((done) => {
                if (child.exitCode !== null) return done();
                child.once('exit', () => done());
                child.kill('SIGTERM');
              }),
          });
        else if (line.startsWith('conn ')) received.push(Number(line.slice(5)));
      }
    });
  });
}

const CLIENT = `
const net = require('net');
const opts = JSON.parse(process.argv[1]);
let i = 0;
const next = () => {
  if (i >= opts.connections) return;
  const localPort = opts.fromPort ? opts.fromPort + i : undefined;
  i++;
  const c = net.connect({ host: opts.to, port: opts.port, localPort, localAddress: opts.from }, () => {
    process.stdout.write('connected ' + c.localPort + '\\n');
    c.end(Buffer.alloc(opts.bytes, 120));
  });
  let reply = '';
  c.on('data', (d) => (reply += d));
  c.on('close', () => { process.stdout.write('done ' + reply + '\\n'); next(); });
  c.on('error', (e) => { process.stderr.write(String(e) + '\\n'); process.exitCode = 1; });
};
next();
`;

export interface ClientOptions {
  to: string;
  port: number;
  /** Sequential connections (default 1), each sending `bytes` then closing. */
  connections?: number;
  bytes?: number;
  /** Local port of the first connection (then +1 per connection); default: ephemeral. */
  fromPort?: number;
  from?: string;
}

/** Runs the clients inside `ns` (in the background); resolves with the server's byte counts once all closed. */
export function tcpClients(ns: Netns, o: ClientOptions): Promise<{ localPorts: number[]; replies: number[] }> {
  const child = inNs(ns, CLIENT, [JSON.stringify({ connections: 1, bytes: 0, ...o })]);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      if (code) return reject(new Error(`tcp clients failed (${code}): ${err.trim()}`));
      const lines = out.trim().split('\n');
      resolve({
        localPorts: lines.filter((l) => l.startsWith('connected ')).map((l) => Number(l.slice(10))),
        replies: lines.filter((l) => l.startsWith('done ')).map((l) => Number(l.slice(5))),
      });
    });
  });
}

const ROUND_SERVER = `
const net = require('net');
const [host, port, chunk] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
const srv = net.createServer((c) => {
  let n = 0;
  c.on('data', (d) => { n += d.length; while (n >= chunk) { n -= chunk; c.write('k'); } });
  c.on('error', () => {});
});
srv.listen({ host, port }, () => process.stdout.write('ready\\n'));
`;

const ROUND_CLIENT = `
const net = require('net');
const { execFileSync } = require('child_process');
const o = JSON.parse(process.argv[1]);
const c = net.connect({ host: o.to, port: o.port, localPort: o.fromPort }, () => {
  c.setNoDelay(true);
  let done = 0;
  const next = () => c.write(Buffer.alloc(o.bytes, 120));
  c.on('data', (d) => {
    done += d.length;
    if (o.pauseAfter && done === o.pauseAfter) {
      process.stdout.write('paused\\n');
      return setTimeout(next, o.pauseMs);
    }
    if (done < o.rounds) return next();
    // The socket's own counters while it is open, then an abort (RST): no FIN is sent.
    const ss = execFileSync('ss', ['-tinH', 'state', 'established', '( sport = :' + o.fromPort + ' )'], { encoding: 'utf8' });
    const field = (k) => Number(new RegExp('\\\\b' + k + ':(\\\\d+)').exec(ss)?.[1] ?? 0);
    const retrans = /\\bretrans:(\\d+)\\/(\\d+)/.exec(ss) ?? [0, 0, 0];
    process.stdout.write(JSON.stringify({ dataSegsOut: field('data_segs_out'), dataSegsIn: field('data_segs_in'), segsOut: field('segs_out'), bytesSent: field('bytes_sent'), retransOut: Number(retrans[1]), totalRetrans: Number(retrans[2]), lostOut: field('lost') }) + '\\n');
    c.resetAndDestroy();
  });
  next();
});
c.on('error', (e) => { if (e.code !== 'ECONNRESET') { process.stderr.write(String(e) + '\\n'); process.exitCode = 1; } });
`;

export interface Rounds {
  /** TCP_INFO of the client socket before it closed: segments with data it sent and received, all
   * segments sent, bytes sent, retransmission state. */
  dataSegsOut: number;
  dataSegsIn: number;
  segsOut: number;
  bytesSent: number;
  /** ss's retrans:X/Y (retrans_out / total_retrans) and lost: (lost_out); 0 when ss omits them. */
  retransOut: number;
  totalRetrans: number;
  lostOut: number;
}

/**
 * `rounds` request/response rounds on one connection from `from` (local port `fromPort`) to a
 * server in `serverNs`: the client writes `bytes` (Nagle off) and waits for a one-byte answer each
 * time, so each write leaves as one segment; then it reads its socket's counters (ss) and aborts
 * (RST, so no FIN). Server and client run in the background; resolves with the counters.
 */
export async function tcpRounds(
  client: Netns,
  serverNs: Netns,
  o: { to: string; port: number; fromPort: number; rounds: number; bytes: number; pauseAfter?: number; pauseMs?: number },
  /** Called when the client pauses `pauseMs` after round `pauseAfter` (e.g. to cut the link). */
  onPause?: () => void,
): Promise<Rounds> {
  const server = inNs(serverNs, ROUND_SERVER, [o.to, String(o.port), String(o.bytes)]);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('exit', (code) => reject(new Error(`round server exited (${code})`)));
      server.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    });
    const child = inNs(client, ROUND_CLIENT, [JSON.stringify(o)]);
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.startsWith('paused\n')) {
        out = out.slice(7);
        onPause?.();
      }
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code) throw new Error(`round client failed (${code}): ${err.trim()}`);
    return JSON.parse(out.trim()) as Rounds;
  } finally {
    server.kill('SIGTERM');
  }
}
