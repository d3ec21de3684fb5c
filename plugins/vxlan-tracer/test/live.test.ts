// Live kernel: VXLAN devices between two private namespaces over a veth underlay (IPv4 and IPv6
// outer, UDP ports 4789, 8472 and a custom one). N inner UDP datagrams from a to b must give
// exactly N TX events on a's underlay device and N RX events on b's, with the right VNI, outer and
// inner 5-tuples and inner MACs.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { type Netns, sendUdp, type VethPair, vethPair } from '@nettrace/plugin-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ethernet, ipv4Udp, sendFrames } from '../../../tooling/test-support/frames.js';
import { runWith } from '../../../tooling/test-support/run.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';

const N = 6;
const FROM_PORT = 47001;
let net: VethPair;

interface Tunnel {
  name: string;
  vni: number;
  port: number;
  outer6: boolean;
  inner: [string, string];
  mac: [string, string];
  /** Inner frames carry IPv6. */
  inner6?: boolean;
  /** Inner frames carry this 802.1Q tag. */
  vlan?: number;
}
const tunnels: Tunnel[] = [
  { name: 'port 4789, IPv4 underlay', vni: 101, port: 4789, outer6: false, inner: ['192.168.101.1', '192.168.101.2'], mac: ['', ''] },
  { name: 'port 8472, IPv4 underlay', vni: 102, port: 8472, outer6: false, inner: ['192.168.102.1', '192.168.102.2'], mac: ['', ''] },
  { name: 'port 4789, IPv6 underlay', vni: 104, port: 4789, outer6: true, inner: ['192.168.104.1', '192.168.104.2'], mac: ['', ''] },
  {
    name: 'custom port 4790 (--vxlan-port)',
    vni: 103,
    port: 4790,
    outer6: false,
    inner: ['192.168.103.1', '192.168.103.2'],
    mac: ['', ''],
  },
  // The README's claims: inner IPv6 and a VLAN-tagged inner frame are decoded.
  {
    name: 'inner IPv6, IPv4 underlay',
    vni: 105,
    port: 4789,
    outer6: false,
    inner: ['fd00:105::1', 'fd00:105::2'],
    mac: ['', ''],
    inner6: true,
  },
  {
    name: 'VLAN 10 inside the tunnel (tagged inner frames)',
    vni: 106,
    port: 4789,
    outer6: false,
    inner: ['192.168.106.1', '192.168.106.2'],
    mac: ['', ''],
    vlan: 10,
  },
];

beforeAll(() => {
  net = vethPair();
  for (const t of tunnels) {
    const dev = `vx${t.vni}`;
    const ends: [Netns, string, string, string][] = [
      [net.a, t.outer6 ? net.ip6A : net.ipA, t.outer6 ? net.ip6B : net.ipB, net.devA],
      [net.b, t.outer6 ? net.ip6B : net.ipB, t.outer6 ? net.ip6A : net.ipA, net.devB],
    ];
    ends.forEach(([ns, local, remote, under], i) => {
      ns.ip(
        'link',
        'add',
        dev,
        'type',
        'vxlan',
        'id',
        String(t.vni),
        'local',
        local,
        'remote',
        remote,
        'dstport',
        String(t.port),
        'dev',
        under,
      );
      // No MLD/RS noise through the tunnel, except where the inner traffic is IPv6 itself (the
      // -D 7777 filter keeps the noise out of the counts then).
      if (!t.inner6) ns.exec('sysctl', ['-qw', `net.ipv6.conf.${dev}.disable_ipv6=1`]);
      if (t.inner6) ns.ip('-6', 'addr', 'add', `${t.inner[i]}/64`, 'dev', dev, 'nodad');
      else ns.ip('addr', 'add', `${t.inner[i]}/24`, 'dev', dev);
      ns.ip('link', 'set', dev, 'up');
      t.mac[i] = ns.exec('cat', [`/sys/class/net/${dev}/address`]).trim();
    });
    net.a.ip('neigh', 'replace', t.inner[1], 'lladdr', t.mac[1], 'dev', dev, 'nud', 'permanent');
    net.b.ip('neigh', 'replace', t.inner[0], 'lladdr', t.mac[0], 'dev', dev, 'nud', 'permanent');
  }
});
afterAll(() => net?.cleanup());

type Ev = Record<string, string | number>;
const events = (json: Record<string, unknown>[]) => json.filter((r) => r.type === 'event') as Ev[];
/** N inner UDP datagrams a -> b. Tagged ones are written onto the VXLAN device as whole frames
 * (this kernel has no 802.1Q devices): the tunnel encapsulates whatever frame it is given. */
const send = (t: Tunnel) =>
  t.vlan
    ? sendFrames(
        net.a,
        `vx${t.vni}`,
        Array.from({ length: N }, (_, i) =>
          ethernet({
            dst: t.mac[1],
            src: t.mac[0],
            type: 0x0800,
            vlan: { id: t.vlan! },
            payload: ipv4Udp({
              src: t.inner[0],
              dst: t.inner[1],
              sport: FROM_PORT,
              dport: 7777,
              payload: Buffer.alloc(100, 120),
              id: i + 1,
            }),
          }),
        ),
      )
    : sendUdp(net.a, { to: t.inner[1], port: 7777, count: N, size: 100, fromPort: FROM_PORT });
const portArgs = (t: Tunnel) => (t.port === 4790 ? ['--vxlan-port', '4790'] : []);

/** A TCP server that prints "listening", then the bytes one connection brought. */
const tcpSink = (addr: string, port: number) =>
  `import socket,sys\ns=socket.socket();s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1);s.bind(('${addr}',${port}));s.listen(1)\nprint('listening',flush=True)\nc,_=s.accept();n=0\nwhile True:\n  d=c.recv(65536)\n  if not d: break\n  n+=len(d)\nprint(n,flush=True)`;
const tcpSource = (addr: string, port: number, bytes: number) =>
  `import socket\nc=socket.create_connection(('${addr}',${port}));c.sendall(b'x'*${bytes});c.shutdown(socket.SHUT_WR);c.recv(1);c.close()`;

/** TCP segments the namespace retransmitted so far (/proc/net/snmp Tcp RetransSegs). */
function retransSegs(ns: Netns): number {
  const [names, values] = ns
    .exec('cat', ['/proc/net/snmp'])
    .split('\n')
    .filter((l) => l.startsWith('Tcp:'))
    .map((l) => l.split(/\s+/));
  return Number(values?.[names?.indexOf('RetransSegs') ?? -1]);
}

describe('vxlan-tracer on the live kernel', () => {
  for (const t of tunnels) {
    it(`${t.name}: N TX on a's underlay and N RX on b's, with VNI, outer and inner headers`, async () => {
      const run = await runWith('vxlan-tracer', ['--vni', String(t.vni), '-D', '7777', ...portArgs(t), '-o', 'json'], () => send(t));
      const validate = schemaValidator('vxlan-tracer');
      for (const record of run.json) expect(validate(record)).toBeUndefined();
      const evs = events(run.json);
      const tx = evs.filter((e) => e.direction === 'tx');
      const rx = evs.filter((e) => e.direction === 'rx');
      expect([tx.length, rx.length]).toEqual([N, N]);
      const [outerA, outerB] = t.outer6 ? [net.ip6A, net.ip6B] : [net.ipA, net.ipB];
      const frame = (t.outer6 ? 40 : 20) + 14 + 8 + 8 + 14 + (t.vlan ? 4 : 0) + (t.inner6 ? 40 : 20) + 8 + 100;
      for (const [list, iface, ns] of [
        [tx, net.devA, net.a.name],
        [rx, net.devB, net.b.name],
      ] as const) {
        for (const e of list) {
          expect(e).toMatchObject({
            // Small datagrams: linear, not GSO.
            data_len: 0,
            gso_size: 0,
            gso_flags: [],
            frag_list: false,
            // No kprobes or fentry here: the wire, where the outer headers are.
            point: 'wire',
            interface: iface,
            netns_name: ns,
            vni: t.vni,
            len: frame,
            outer_src_ip: outerA,
            outer_dst_ip: outerB,
            outer_dst_port: t.port,
            inner_protocol: 'udp',
            inner_src_ip: t.inner[0],
            inner_dst_ip: t.inner[1],
            inner_src_port: FROM_PORT,
            inner_dst_port: 7777,
            inner_src_mac: t.mac[0],
            inner_dst_mac: t.mac[1],
          });
        }
        // The outer source port is the tunnel's flow hash: one value for one inner flow.
        expect(new Set(list.map((e) => e.outer_src_port)).size).toBe(1);
        expect(Number(list[0].outer_src_port)).toBeGreaterThan(0);
      }
      expect(tx.every((e) => e.comm === (t.vlan ? 'python3' : 'node'))).toBe(true); // the sender's context on transmit
      const f = run.json.find((r) => r.type === 'final') as { counters: Record<string, number> };
      expect(f.counters).toEqual({ rx: N, tx: N, rx_bytes: N * frame, tx_bytes: N * frame });
    });
  }

  const t = tunnels[0];
  const cases = [
    {
      name: "--interface b's underlay: only its N RX",
      argv: () => ['--interface', net.devB, '--netns', net.b.name, '--vni', '101', '-p', 'udp'],
      expect: { rx: N, tx: 0 },
    },
    {
      name: "--interface b's underlay, tracepoint fallback",
      argv: () => ['--interface', net.devB, '--netns', net.b.name, '--vni', '101', '-p', 'udp'],
      expect: { rx: N, tx: 0 },
      kinds: ['tracepoint' as const],
    },
    {
      name: '--direction tx, tracepoint fallback',
      argv: () => ['-r', 'tx', '-s', t.inner[0], '--vni', '101'],
      expect: { rx: 0, tx: N },
      kinds: ['tracepoint' as const],
    },
    { name: 'another VNI: nothing', argv: () => ['--vni', '999', '-D', '7777'], expect: { rx: 0, tx: 0 } },
    {
      name: 'an inner address filter that does not match: nothing',
      argv: () => ['-d', t.inner[0], '-D', '7777'],
      expect: { rx: 0, tx: 0 },
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const run = await runWith('vxlan-tracer', [...c.argv(), '-o', 'json'], () => send(t), 300, { onlyKinds: c.kinds });
      const evs = events(run.json);
      expect({ rx: evs.filter((e) => e.direction === 'rx').length, tx: evs.filter((e) => e.direction === 'tx').length }).toEqual(c.expect);
      if (c.kinds)
        expect((run.json[0] as { plan: { chosen: { kind: string } }[] }).plan.every((p) => p.chosen.kind === 'tracepoint')).toBe(true);
    });
  }

  it('TCP through the tunnel: GSO super-packets with the UDP tunnel bits, their payload adds up to the transfer', async () => {
    const bytes = 300_000;
    const port = 7801;
    // b receives and counts; a sends `bytes` in one connection (the tunnel's TSO makes GSO packets).
    const server = spawn('ip', ['netns', 'exec', net.b.name, 'python3', '-c', tcpSink(t.inner[1], port)]);
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
    });
    const exited = once(server, 'exit');
    while (!out.includes('listening')) await new Promise((r) => setTimeout(r, 20));
    const retransBefore = retransSegs(net.a);
    const run = await runWith('vxlan-tracer', ['--vni', '101', '-p', 'tcp', '-D', String(port), '-r', 'tx', '-o', 'json'], () => {
      net.a.exec('python3', ['-c', tcpSource(t.inner[1], port, bytes)]);
    });
    await exited;
    expect(Number(out.split('\n')[1])).toBe(bytes);
    const evs = events(run.json);
    const gso = evs.filter((e) => Number(e.gso_size) > 0);
    expect(gso.length).toBeGreaterThan(0);
    // outer Ethernet + IPv4 + UDP + VXLAN, inner Ethernet + IPv4 + TCP with timestamps.
    const headers = 14 + 20 + 8 + 8 + 14 + 20 + 32;
    // The first is the SYN, whose TCP header has 8 more bytes of options (MSS, SACK, window scale).
    const [syn, ...rest] = [...evs].sort((x, y) => Number(x.ts_ns) - Number(y.ts_ns));
    expect(Number(syn?.len)).toBe(headers + 8);
    let payload = 0;
    for (const e of rest) {
      const data = Number(e.len) - headers;
      payload += data;
      if (Number(e.gso_size) > 0) {
        expect(e.gso_flags).toEqual(expect.arrayContaining(['TCPV4']));
        expect((e.gso_flags as unknown as string[]).some((f) => f.startsWith('UDP_TUNNEL'))).toBe(true);
        // gso_segs segments of gso_size bytes, the last one possibly shorter.
        expect(data).toBeGreaterThan(Number(e.gso_size) * (Number(e.gso_segs) - 1));
        expect(data).toBeLessThanOrEqual(Number(e.gso_size) * Number(e.gso_segs));
      }
    }
    // Every byte once, plus what TCP sent again (a tail loss probe when the machine is slow to ACK).
    const retrans = retransSegs(net.a) - retransBefore;
    if (retrans === 0) expect(payload).toBe(bytes);
    else expect(payload - bytes).toBeGreaterThan(0);
    expect(payload - bytes).toBeLessThanOrEqual(retrans * Number(gso[0]?.gso_size));
    const f = run.json.find((r) => r.type === 'final') as { counters: Record<string, number> };
    expect(f.counters.tx_bytes).toBe(evs.reduce((n, e) => n + Number(e.len), 0));
  });

  it('--stack: every packet carries its kernel stack (transmit: the driver xmit path)', async () => {
    const run = await runWith('vxlan-tracer', ['--stack', '--vni', '101', '-D', '7777', '-o', 'json'], () => send(t));
    const evs = events(run.json);
    expect(evs).toHaveLength(2 * N);
    for (const e of evs) {
      const stack = e.stack as unknown as string[];
      expect(stack.length, JSON.stringify(e)).toBeGreaterThan(1);
      expect(stack.join(' '), JSON.stringify(stack)).toMatch(e.direction === 'tx' ? /xmit/ : /netif_receive_skb|process_backlog/);
    }
    const plain = await runWith('vxlan-tracer', ['--vni', '101', '-D', '7777', '-o', 'json'], () => send(t));
    expect(events(plain.json).some((e) => 'stack' in e)).toBe(false);
  });

  it('a non-standard port is not decoded unless --vxlan-port names it; text output', async () => {
    const t4790 = tunnels[3];
    const without = await runWith('vxlan-tracer', ['--vni', '103', '-o', 'json'], () => send(t4790));
    expect(events(without.json)).toHaveLength(0);
    const text = await runWith('vxlan-tracer', ['--interface', net.devA, '--netns', net.a.name, '-D', '7777'], () => send(t));
    expect(text.lines[0]).toMatch(/TIME\s+DIR\s+AT\s+IFACE\s+COMM\(PID\)\s+VNI\s+OUTER\s+INNER\s+LEN/);
    const rows = text.lines.filter((l) => / TX /.test(l));
    expect(rows).toHaveLength(N);
    expect(rows[0]).toMatch(
      new RegExp(
        `TX\\s+wire\\s+${net.devA}@${net.a.name}\\s+node\\(\\d+\\)\\s+101\\s+${net.ipA.replace(/\./g, '\\.')}:\\d+ -> ${net.ipB.replace(/\./g, '\\.')}:4789\\s+udp 192\\.168\\.101\\.1:${FROM_PORT} -> 192\\.168\\.101\\.2:7777\\s+192`,
      ),
    );
  });
});

// A bridged underlay: a's address is on a bridge whose port is the veth, so each encapsulated
// packet goes through the bridge's start_xmit and then the veth's. Reported once, at the veth
// (the wire), unless --interface names the bridge.
describe('vxlan-tracer over a stacked underlay (bridge over the veth)', () => {
  let u: VethPair;
  const inner = ['192.168.107.1', '192.168.107.2'];
  beforeAll(() => {
    u = vethPair();
    u.a.ip('addr', 'flush', 'dev', u.devA);
    u.a.ip('link', 'add', 'ntbr0', 'type', 'bridge');
    u.a.ip('link', 'set', u.devA, 'master', 'ntbr0');
    u.a.ip('addr', 'add', `${u.ipA}/24`, 'dev', 'ntbr0');
    u.a.ip('link', 'set', 'ntbr0', 'up');
    const macB = u.b.exec('cat', [`/sys/class/net/${u.devB}/address`]).trim();
    u.a.ip('neigh', 'replace', u.ipB, 'lladdr', macB, 'dev', 'ntbr0', 'nud', 'permanent');
    const macs: string[] = [];
    for (const [ns, local, remote, under, addr] of [
      [u.a, u.ipA, u.ipB, 'ntbr0', inner[0]],
      [u.b, u.ipB, u.ipA, u.devB, inner[1]],
    ] as const) {
      ns.ip('link', 'add', 'vx107', 'type', 'vxlan', 'id', '107', 'local', local, 'remote', remote, 'dstport', '4789', 'dev', under);
      ns.exec('sysctl', ['-qw', 'net.ipv6.conf.vx107.disable_ipv6=1']);
      ns.ip('addr', 'add', `${addr}/24`, 'dev', 'vx107');
      ns.ip('link', 'set', 'vx107', 'up');
      macs.push(ns.exec('cat', ['/sys/class/net/vx107/address']).trim());
    }
    u.a.ip('neigh', 'replace', inner[1], 'lladdr', macs[1] as string, 'dev', 'vx107', 'nud', 'permanent');
    u.b.ip('neigh', 'replace', inner[0], 'lladdr', macs[0] as string, 'dev', 'vx107', 'nud', 'permanent');
  });
  afterAll(() => u?.cleanup());

  const aToB = () => sendUdp(u.a, { to: inner[1] as string, port: 7777, count: N, size: 100, fromPort: FROM_PORT });
  const bToA = () => sendUdp(u.b, { to: inner[0] as string, port: 7777, count: N, size: 100, fromPort: FROM_PORT });
  const seen = (json: Record<string, unknown>[]) => events(json).map((e) => `${e.direction} ${e.interface}`);

  it('a to b: one TX record per packet, on the bridge port (the wire), not on the bridge too', async () => {
    const run = await runWith('vxlan-tracer', ['--vni', '107', '-D', '7777', '-o', 'json'], aToB);
    expect(seen(run.json).sort()).toEqual([...Array(N).fill(`rx ${u.devB}`), ...Array(N).fill(`tx ${u.devA}`)]);
  });

  it('b to a: one RX record per packet, on the bridge port, not again when the bridge passes it up', async () => {
    const run = await runWith('vxlan-tracer', ['--vni', '107', '-D', '7777', '-o', 'json'], bToA);
    expect(seen(run.json).sort()).toEqual([...Array(N).fill(`rx ${u.devA}`), ...Array(N).fill(`tx ${u.devB}`)]);
  });

  it('--interface names the bridge: its packets are reported there', async () => {
    const run = await runWith(
      'vxlan-tracer',
      ['--interface', 'ntbr0', '--netns', u.a.name, '--vni', '107', '-D', '7777', '-o', 'json'],
      aToB,
    );
    expect(seen(run.json)).toEqual(Array(N).fill('tx ntbr0'));
  });
});
