// TCP traffic for live-kernel tests, between two namespaces (or inside one): a sink server that
// runs in the background and acknowledges every connection's byte count, and clients that connect
// from chosen local ports, so the plugin's filters and the test's assertions name one 4-tuple.
import { type ChildProcess, spawn } from 'node:child_process';
import type { Netns } from './netns.js';

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
