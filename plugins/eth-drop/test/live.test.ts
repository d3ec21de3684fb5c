// Live kernel: drops of every kind the tool decodes, generated inside private namespaces (UDP to a
// closed port, SYN to a closed TCP port, IPv4 and IPv6, hand-made ARP / VLAN / unknown-ethertype
// frames dropped by an nft ingress rule or by the stack) must come out as exactly that many
// decoded records with the right fields; filters are applied in the kernel, so a filtered run
// contains nothing else.

import { sendSynsToClosedPort, sendUdp, type VethPair, vethPair } from '@nettrace/plugin-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arp, ethernet, ipv4Udp, macOf, sendFrames } from '../../../tooling/test-support/frames.js';
import { runWith } from '../../../tooling/test-support/run.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';

type Ev = Record<string, unknown> & { arp?: Record<string, unknown>; stack?: string[] };

let net: VethPair;
let macA: string;
let macB: string;
// Frames from these (locally administered) MACs are dropped by an nft rule at devB's ingress.
const CRAFTED = '02:6e:74:00:00:01';
const CRAFTED_OTHER = '02:6e:74:00:00:02';
const validate = schemaValidator('eth-drop');

beforeAll(() => {
  net = vethPair(100 + (process.pid % 120));
  macA = macOf(net.a, net.devA);
  macB = macOf(net.b, net.devB);
  net.b.exec(
    'nft',
    ['-f', '-'],
    `table netdev ntdrop { chain in { type filter hook ingress device ${net.devB} priority 0; ether saddr ${CRAFTED} drop; }; }`,
  );
});
afterAll(() => net.cleanup());

const events = (json: Record<string, unknown>[]) => {
  for (const r of json) expect(validate(r)).toBeUndefined();
  return json.filter((r) => r.type === 'event') as Ev[];
};

const synToClosedPort = (to: string, port: number, count: number, fromPort: number) =>
  sendSynsToClosedPort(net.a, { to, port, count, fromPort });

const udp4 = (n: number) => () => sendUdp(net.a, { to: net.ipB, port: 9, count: n, size: 24, fromPort: 41004 });
const udp6 = (n: number) => () => sendUdp(net.a, { to: net.ip6B, port: 9, count: n, size: 24, fromPort: 41006 });

describe('eth-drop on the live kernel: one decoded record per drop', () => {
  const ipCases = [
    { name: 'UDP no-socket, IPv4', family: 4, proto: 'udp', n: 7, sport: 41004, site: /__udp4_lib_rcv/, gen: udp4(7) },
    { name: 'UDP no-socket, IPv6', family: 6, proto: 'udp', n: 5, sport: 41006, site: /__udp6_lib_rcv/, gen: udp6(5) },
    {
      name: 'TCP SYN to a closed port (RST path), IPv4',
      family: 4,
      proto: 'tcp',
      n: 4,
      sport: 42100,
      site: /tcp_v4_rcv/,
      gen: () => synToClosedPort(net.ipB, 9, 4, 42100),
    },
    {
      name: 'TCP SYN to a closed port (RST path), IPv6',
      family: 6,
      proto: 'tcp',
      n: 3,
      sport: 42200,
      site: /tcp_v6_rcv/,
      gen: () => synToClosedPort(net.ip6B, 9, 3, 42200),
    },
  ];
  for (const c of ipCases) {
    it(`${c.name}: exactly ${c.n} records with L2/L3/L4 fields, reason and stack`, async () => {
      const [src, dst] = c.family === 4 ? [net.ipA, net.ipB] : [net.ip6A, net.ip6B];
      const run = await runWith('eth-drop', ['-s', src, '-d', dst, '-p', c.proto, '-D', '9', '-o', 'json'], c.gen);
      const evs = events(run.json);
      expect(evs).toHaveLength(c.n); // the filter ran in the kernel: nothing else was recorded
      for (const e of evs) {
        expect(e).toMatchObject({
          reason: 'NO_SOCKET',
          protocol: c.proto,
          src_ip: src,
          dst_ip: dst,
          src_port: expect.any(Number),
          dst_port: 9,
          src_mac: macA,
          dst_mac: macB,
          ethertype: c.family === 4 ? 'ipv4' : 'ipv6',
          interface: net.devB,
        });
        expect(e[c.family === 4 ? 'ip_ttl' : 'ip_hop_limit']).toBe(64);
        expect(e.location).toMatch(c.site);
        expect(Math.abs(Date.parse(e.time as string) - Date.now())).toBeLessThan(10_000); // wall clock, not boot time
        expect(e.stack!.some((f) => c.site.test(f))).toBe(true);
      }
      const ports = evs.map((e) => e.src_port as number).sort();
      expect(ports).toEqual(c.proto === 'udp' ? Array(c.n).fill(c.sport) : Array.from({ length: c.n }, (_, i) => c.sport + i));
    });
  }

  it('the tracepoint fallback alone gives the same records', async () => {
    const run = await runWith('eth-drop', ['-s', net.ipA, '-d', net.ipB, '-p', 'udp', '-o', 'json'], udp4(6), 300, {
      onlyKinds: ['tracepoint'],
    });
    expect((run.json[0].plan as { chosen: { kind: string } }[])[0].chosen.kind).toBe('tracepoint');
    const evs = events(run.json);
    expect(evs).toHaveLength(6);
    expect(evs.every((e) => e.reason === 'NO_SOCKET' && e.src_mac === macA && e.dst_port === 9)).toBe(true);
  });

  const frameCases = [
    {
      name: 'ARP requests (--type arp)',
      argv: ['--type', 'arp'],
      n: 4,
      frames: () => [
        ...Array.from({ length: 4 }, (_, i) =>
          ethernet({
            dst: 'ff:ff:ff:ff:ff:ff',
            src: CRAFTED,
            type: 0x0806,
            payload: arp({ op: 1, senderMac: CRAFTED, senderIp: `192.0.2.${10 + i}`, targetIp: net.ipB }),
          }),
        ),
        ethernet({ dst: macB, src: CRAFTED, type: 0x0800, payload: ipv4Udp({ src: '192.0.2.1', dst: net.ipB, sport: 1, dport: 9 }) }),
      ],
      check: (e: Ev, i: number) => {
        expect(e).toMatchObject({ reason: 'NETFILTER_DROP', ethertype: 'arp', src_mac: CRAFTED, dst_mac: 'ff:ff:ff:ff:ff:ff' });
        expect(e.arp).toEqual({
          op: 'request',
          htype: 1,
          ptype: 0x0800,
          sender_mac: CRAFTED,
          sender_ip: `192.0.2.${10 + i}`,
          target_mac: '00:00:00:00:00:00',
          target_ip: net.ipB,
        });
      },
    },
    {
      name: 'VLAN-tagged frames (--vlan-id 42; vid 43 filtered out)',
      argv: ['--vlan-id', '42'],
      n: 3,
      frames: () => [
        ...Array.from({ length: 3 }, (_, i) =>
          ethernet({
            dst: macB,
            src: CRAFTED,
            type: 0x0800,
            vlan: { id: 42, prio: 5 },
            payload: ipv4Udp({ src: '192.0.2.1', dst: '192.0.2.2', sport: 5000 + i, dport: 6000, id: 77 }),
          }),
        ),
        ...Array.from({ length: 2 }, () =>
          ethernet({
            dst: macB,
            src: CRAFTED,
            type: 0x0800,
            vlan: { id: 43 },
            payload: ipv4Udp({ src: '192.0.2.1', dst: '192.0.2.2', sport: 1, dport: 6000 }),
          }),
        ),
      ],
      check: (e: Ev, i: number) =>
        expect(e).toMatchObject({
          reason: 'NETFILTER_DROP',
          ethertype: 'ipv4',
          vlan_id: 42,
          vlan_prio: 5,
          vlan_offloaded: true,
          protocol: 'udp',
          src_ip: '192.0.2.1',
          dst_ip: '192.0.2.2',
          src_port: 5000 + i,
          dst_port: 6000,
          ip_id: 77,
          ip_ttl: 64,
        }),
    },
    {
      name: 'unknown ethertype (--type other; ARP filtered out)',
      argv: ['--type', 'other'],
      n: 5,
      frames: () => [
        ...Array.from({ length: 5 }, (_, i) =>
          ethernet({ dst: macB, src: CRAFTED_OTHER, type: 0x88b5, payload: Buffer.from([0xab, 0xcd, i]) }),
        ),
        ethernet({
          dst: 'ff:ff:ff:ff:ff:ff',
          src: CRAFTED,
          type: 0x0806,
          payload: arp({ op: 1, senderMac: CRAFTED, senderIp: '192.0.2.9', targetIp: net.ipB }),
        }),
      ],
      check: (e: Ev, i: number) => {
        expect(e).toMatchObject({ reason: 'UNHANDLED_PROTO', ethertype: '0x88b5', src_mac: CRAFTED_OTHER, dst_mac: macB });
        expect(String(e.payload).startsWith(`abcd0${i}`)).toBe(true);
      },
    },
  ];
  for (const c of frameCases) {
    it(`${c.name}: exactly ${c.n} records on that device`, async () => {
      const argv = [...c.argv, '--netns', net.b.name, '-I', net.devB, '-o', 'json'];
      const run = await runWith('eth-drop', argv, () => sendFrames(net.a, net.devA, c.frames()));
      const evs = events(run.json);
      expect(evs).toHaveLength(c.n);
      evs.forEach((e, i) => {
        expect(e.interface).toBe(net.devB);
        c.check(e, i);
      });
    });
  }

  it('protocol and address filters run in the kernel (IPv4 and IPv6; ARP never passes them)', async () => {
    const arpFrame = ethernet({
      dst: 'ff:ff:ff:ff:ff:ff',
      src: CRAFTED,
      type: 0x0806,
      payload: arp({ op: 1, senderMac: CRAFTED, senderIp: net.ipA, targetIp: net.ipB }),
    });
    const mixed = () => {
      udp4(3)();
      udp6(3)();
      synToClosedPort(net.ipB, 9, 2, 42300);
      synToClosedPort(net.ip6B, 9, 2, 42400);
      sendFrames(net.a, net.devA, [arpFrame]);
    };
    const cases = [
      { argv: ['-s', net.ipA, '-p', 'tcp'], n: 2, check: (e: Ev) => e.protocol === 'tcp' && e.src_ip === net.ipA },
      { argv: ['-s', net.ip6A, '-d', net.ip6B], n: 5, check: (e: Ev) => e.ethertype === 'ipv6' && e.dst_ip === net.ip6B },
      { argv: ['-s', net.ip6A, '-p', 'udp', '-S', '41006'], n: 3, check: (e: Ev) => e.protocol === 'udp' && e.src_port === 41006 },
      { argv: ['-s', '192.0.2.77'], n: 0, check: () => false },
    ];
    for (const c of cases) {
      const evs = events((await runWith('eth-drop', [...c.argv, '-o', 'json'], mixed)).json);
      expect(evs.length, c.argv.join(' ')).toBe(c.n);
      expect(evs.every(c.check)).toBe(true);
    }
  });

  it('table output: one line per drop with reason, MACs and flow', async () => {
    const run = await runWith('eth-drop', ['-s', net.ipA, '-d', net.ipB, '-p', 'udp', '--no-stack'], udp4(2));
    // This kernel (5.17+) gives drop reasons: no note about BCC's hidden "normal" frees.
    expect(run.lines.filter((l) => l.startsWith('NOTE:'))).toEqual([]);
    const text = run.lines.join('\n');
    expect(text).toMatch(/^TIME\s+IFACE\s+REASON\s+SRC-MAC > DST-MAC/m);
    const row = new RegExp(
      `${net.devB}\\s+NO_SOCKET\\s+${macA} > ${macB}\\s+ipv4\\s+udp\\s+${net.ipA.replace(/\./g, '\\.')}:41004\\s+${net.ipB.replace(/\./g, '\\.')}:9\\s`,
    );
    expect(run.lines.filter((l) => row.test(l))).toHaveLength(2);
  });
});
