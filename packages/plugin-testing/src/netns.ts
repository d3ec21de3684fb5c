// Private network namespaces for live-kernel tests: traffic never leaves the machine. Each
// topology gets unique names so a failed run cannot collide with the next one.
import { execFileSync } from 'node:child_process';

let counter = 0;
const uid = () => `${process.pid.toString(36)}${(counter++).toString(36)}`;

export function sh(cmd: string, args: string[], input?: string): string {
  return execFileSync(cmd, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

export class Netns {
  constructor(readonly name: string) {}
  static create(prefix = 'nt'): Netns {
    const ns = new Netns(`${prefix}${uid()}`);
    sh('ip', ['netns', 'add', ns.name]);
    ns.ip('link', 'set', 'lo', 'up');
    return ns;
  }
  ip(...args: string[]): string {
    return sh('ip', ['-n', this.name, ...args]);
  }
  exec(cmd: string, args: string[], input?: string): string {
    return sh('ip', ['netns', 'exec', this.name, cmd, ...args], input);
  }
  /** Runs a Node.js snippet inside the namespace (the test traffic generators). */
  node(script: string): string {
    return this.exec(process.execPath, ['-e', script]);
  }
  /** Udp NoPorts: datagrams that found no socket here (each one a kernel drop), so far. */
  udpNoPorts(): number {
    const snmp = this.exec('cat', ['/proc/net/snmp']).split('\n');
    const header = snmp.find((l) => l.startsWith('Udp: InDatagrams'))?.split(/\s+/) ?? [];
    const values = snmp.find((l) => l.startsWith('Udp: ') && !l.includes('InDatagrams'))?.split(/\s+/) ?? [];
    return Number(values[header.indexOf('NoPorts')]);
  }
  /** ifindex of a device inside the namespace. */
  ifindex(dev: string): number {
    return Number(this.exec('cat', [`/sys/class/net/${dev}/ifindex`]).trim());
  }
  delete(): void {
    try {
      sh('ip', ['netns', 'del', this.name]);
    } catch {
      // already gone
    }
  }
}

export interface VethPair {
  a: Netns;
  b: Netns;
  devA: string;
  devB: string;
  ipA: string;
  ipB: string;
  ip6A: string;
  ip6B: string;
  cleanup(): void;
}

/** Two namespaces joined by a veth pair with IPv4 10.x/24 and IPv6 fd00::/64 addresses. */
// The subnet varies with the process too: filters match addresses, not namespaces, so two test
// runs at once (say, a developer's and CI's) must not share addresses.
export function vethPair(subnet = 10 + ((process.pid + counter) % 200)): VethPair {
  const a = Netns.create('nta');
  const b = Netns.create('ntb');
  const devA = `va${uid()}`.slice(0, 15);
  const devB = `vb${uid()}`.slice(0, 15);
  sh('ip', ['link', 'add', devA, 'netns', a.name, 'type', 'veth', 'peer', 'name', devB, 'netns', b.name]);
  const ipA = `10.${subnet}.0.1`;
  const ipB = `10.${subnet}.0.2`;
  const ip6A = `fd00:${subnet}::1`;
  const ip6B = `fd00:${subnet}::2`;
  a.ip('addr', 'add', `${ipA}/24`, 'dev', devA);
  b.ip('addr', 'add', `${ipB}/24`, 'dev', devB);
  a.ip('-6', 'addr', 'add', `${ip6A}/64`, 'dev', devA, 'nodad');
  b.ip('-6', 'addr', 'add', `${ip6B}/64`, 'dev', devB, 'nodad');
  a.ip('link', 'set', devA, 'up');
  b.ip('link', 'set', devB, 'up');
  // Static neighbours: no ARP/NDP round trip delays the first packets (NDP waits up to 1 s),
  // and no resolution traffic muddles exact counts.
  const macA = a.exec('cat', [`/sys/class/net/${devA}/address`]).trim();
  const macB = b.exec('cat', [`/sys/class/net/${devB}/address`]).trim();
  for (const [ns, dev, ip, mac] of [
    [a, devA, ipB, macB],
    [a, devA, ip6B, macB],
    [b, devB, ipA, macA],
    [b, devB, ip6A, macA],
  ] as const)
    ns.ip('neigh', 'replace', ip, 'lladdr', mac, 'dev', dev, 'nud', 'permanent');
  return {
    a,
    b,
    devA,
    devB,
    ipA,
    ipB,
    ip6A,
    ip6B,
    cleanup: () => {
      a.delete();
      b.delete();
    },
  };
}

/** Sends `count` UDP datagrams of `size` bytes from inside `ns` (waits for each send). */
export function sendUdp(ns: Netns, opts: { to: string; port: number; count: number; size?: number; fromPort?: number }): void {
  const family = opts.to.includes(':') ? 'udp6' : 'udp4';
  ns.node(`
    const s = require('dgram').createSocket('${family}');
    const payload = Buffer.alloc(${opts.size ?? 16}, 120);
    let n = 0;
    const next = () => n++ < ${opts.count} ? s.send(payload, ${opts.port}, '${opts.to}', next) : s.close();
    ${opts.fromPort ? `s.bind(${opts.fromPort}, next);` : 'next();'}
  `);
}

/** Sends `count` TCP SYNs from inside `ns` to a closed `port` (from fromPort, fromPort+1, ...): each
 * is answered with a RST, and the SYN is dropped by the receiver as NO_SOCKET. */
export function sendSynsToClosedPort(ns: Netns, opts: { to: string; port: number; count: number; fromPort: number }): void {
  ns.node(`
    const net = require('net');
    let i = 0;
    const next = () => {
      if (i >= ${opts.count}) return;
      const c = net.connect({ host: '${opts.to}', port: ${opts.port}, localPort: ${opts.fromPort} + i++ });
      c.on('error', (e) => { if (e.code !== 'ECONNREFUSED') throw e; setImmediate(next); });
      c.on('connect', () => { throw new Error('port ${opts.port} is open'); });
    };
    next();
  `);
}
