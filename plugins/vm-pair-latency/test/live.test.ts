// Live kernel: two "VMs" (namespaces vm1, vm2) whose host-side devices vnet1/vnet2 are bridged in
// a "host" namespace, as tap/vnet devices are on a hypervisor. N pings from vm1 to vm2 must give
// exactly N samples in the vm1 → vm2 direction (the echo requests, seq 1..N), and swapping the
// interfaces must give the N echo replies instead: the path is measured the way a packet takes it.

import { Netns, sendUdp, sh } from '@nettrace/plugin-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runWith } from '../../../tooling/test-support/run.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';

const N = 8;
let host: Netns;
let vm1: Netns;
let vm2: Netns;
const ip = { vm1: '10.98.0.1', vm2: '10.98.0.2', vm1v6: 'fd00:98::1', vm2v6: 'fd00:98::2' };

beforeAll(() => {
  host = Netns.create('nth');
  vm1 = Netns.create('ntv');
  vm2 = Netns.create('ntv');
  host.ip('link', 'add', 'br0', 'type', 'bridge');
  host.ip('link', 'set', 'br0', 'up');
  for (const [vnet, vm] of [
    ['vnet1', vm1],
    ['vnet2', vm2],
  ] as const) {
    sh('ip', ['link', 'add', vnet, 'netns', host.name, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', vm.name]);
    host.ip('link', 'set', vnet, 'master', 'br0', 'up');
  }
  const mac = (vm: Netns) => vm.exec('cat', ['/sys/class/net/eth0/address']).trim();
  for (const [vm, me, peer, me6, peer6, other] of [
    [vm1, ip.vm1, ip.vm2, ip.vm1v6, ip.vm2v6, vm2],
    [vm2, ip.vm2, ip.vm1, ip.vm2v6, ip.vm1v6, vm1],
  ] as const) {
    vm.ip('addr', 'add', `${me}/24`, 'dev', 'eth0');
    vm.ip('-6', 'addr', 'add', `${me6}/64`, 'dev', 'eth0', 'nodad');
    vm.ip('link', 'set', 'eth0', 'up');
    vm.ip('neigh', 'replace', peer, 'lladdr', mac(other), 'dev', 'eth0', 'nud', 'permanent');
    vm.ip('neigh', 'replace', peer6, 'lladdr', mac(other), 'dev', 'eth0', 'nud', 'permanent');
  }
});
afterAll(() => {
  for (const ns of [host, vm1, vm2]) ns?.delete();
});

/** vnet1 -> vnet2 in the host namespace, UDP only. */
const udpPath = () => ['--src-interface', 'vnet1', '--dst-interface', 'vnet2', '--netns', host.name, '-p', 'udp'];

const ping = (to: string) => vm1.exec('ping', [...(to.includes(':') ? ['-6'] : []), '-c', String(N), '-i', '0.02', '-W', '1', '-q', to]);

type Ev = {
  type: string;
  src_interface: string;
  dst_interface: string;
  netns_name: string;
  protocol: string;
  src_ip: string;
  dst_ip: string;
  icmp_type: number;
  icmp_seq: number;
  icmp_id: number;
  len: number;
  latency_ns: number;
  ts_ns: number;
};
const events = (json: Record<string, unknown>[]) => json.filter((r) => r.type === 'event') as unknown as Ev[];
const final = (json: Record<string, unknown>[]) =>
  json.find((r) => r.type === 'final') as { counters: Record<string, number>; latency: { total: number } };

describe('vm-pair-latency on the live kernel', () => {
  const cases = [
    {
      name: 'vm1 -> vm2 (echo requests), tp_btf',
      src: 'vnet1',
      dst: 'vnet2',
      proto: 'icmp',
      to: ip.vm2,
      expect: { type: 8, from: ip.vm1, to: ip.vm2, len: 98 },
    },
    {
      name: 'vm1 -> vm2, tracepoint fallback',
      src: 'vnet1',
      dst: 'vnet2',
      proto: 'icmp',
      to: ip.vm2,
      kinds: ['tracepoint' as const],
      expect: { type: 8, from: ip.vm1, to: ip.vm2, len: 98 },
    },
    {
      name: 'vm2 -> vm1 (the echo replies)',
      src: 'vnet2',
      dst: 'vnet1',
      proto: 'icmp',
      to: ip.vm2,
      expect: { type: 0, from: ip.vm2, to: ip.vm1, len: 98 },
    },
    {
      name: 'IPv6, vm1 -> vm2',
      src: 'vnet1',
      dst: 'vnet2',
      proto: 'icmpv6',
      to: ip.vm2v6,
      expect: { type: 128, from: ip.vm1v6, to: ip.vm2v6, len: 118 },
    },
  ];
  for (const c of cases) {
    it(`${c.name}: exactly ${N} samples`, async () => {
      const run = await runWith(
        'vm-pair-latency',
        ['--src-interface', c.src, '--dst-interface', c.dst, '--netns', host.name, '-p', c.proto, '-i', '0', '-o', 'json'],
        () => void ping(c.to),
        300,
        { onlyKinds: c.kinds },
      );
      const validate = schemaValidator('vm-pair-latency');
      for (const record of run.json) expect(validate(record)).toBeUndefined();
      const plan = (run.json[0] as { plan: { chosen: { kind: string } }[] }).plan;
      expect(plan.every((p) => p.chosen.kind === (c.kinds ? 'tracepoint' : 'tp_btf'))).toBe(true);
      // A freshly configured IPv6 interface also sends MLD reports / router solicitations to
      // link-local multicast groups, which the bridge floods to vnet2: real traffic on this path,
      // but not the pings. Everything else must be exactly the N echo packets.
      const all = events(run.json);
      const evs = all.filter((e) => !e.dst_ip.startsWith('ff02:'));
      for (const e of all.filter((x) => x.dst_ip.startsWith('ff02:'))) expect([130, 131, 133, 135, 143]).toContain(e.icmp_type);
      expect(evs).toHaveLength(N);
      // The ring buffer keeps the kernel's order; perf buffers are per CPU, so a drain can hand
      // over one CPU's records before another's: there, only the set of samples is defined.
      const seqs = evs.map((e) => e.icmp_seq);
      if (process.env.NETTRACE_TEST_PERF_BUFFER === '1') seqs.sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: N }, (_, i) => i + 1));
      for (const e of evs) {
        expect(e).toMatchObject({
          src_interface: c.src,
          dst_interface: c.kinds ? '' : c.dst,
          netns_name: host.name,
          protocol: c.proto,
          src_ip: c.expect.from,
          dst_ip: c.expect.to,
          icmp_type: c.expect.type,
          len: c.expect.len,
        });
        expect(e.latency_ns).toBeGreaterThan(0);
        expect(e.latency_ns).toBeLessThan(50_000_000); // a bridge hop on an idle host: well under 50 ms
      }
      const f = final(run.json);
      // The counters and the histogram cover every packet on the path, the multicast ones too.
      expect(f.counters).toMatchObject({ received: all.length, delivered: all.length, tx_failed: 0, untracked: 0, match_rate: 100 });
      expect(f.latency.total).toBe(all.length);
    });
  }

  for (const v6 of [false, true]) {
    it(`UDP (the upstream's protocol)${v6 ? ', IPv6' : ''}: exactly ${N} datagrams of the flow, each one sample with its ports and length`, async () => {
      const [from, to] = v6 ? [ip.vm1v6, ip.vm2v6] : [ip.vm1, ip.vm2];
      const [sport, dport, payload] = [41000 + (v6 ? 1 : 0), 5000, 64 + (v6 ? 8 : 0)];
      const run = await runWith(
        'vm-pair-latency',
        [...udpPath(), '-s', from, '-d', to, '-S', String(sport), '-D', String(dport), '-i', '0', '-o', 'json'],
        () => sendUdp(vm1, { to, port: dport, count: N, size: payload, fromPort: sport }),
      );
      const validate = schemaValidator('vm-pair-latency');
      for (const record of run.json) expect(validate(record)).toBeUndefined();
      const evs = events(run.json) as (Ev & { src_port: number; dst_port: number })[];
      expect(evs).toHaveLength(N);
      // skb->len at the source device's RX: Ethernet + IP + UDP headers + payload (the pings'
      // 98 is 14 + 84 likewise).
      const len = 14 + (v6 ? 40 : 20) + 8 + payload;
      for (const e of evs) {
        expect(e).toMatchObject({
          src_interface: 'vnet1',
          dst_interface: 'vnet2',
          protocol: 'udp',
          src_ip: from,
          dst_ip: to,
          src_port: sport,
          dst_port: dport,
          len,
        });
        expect(e.icmp_type).toBeUndefined();
        expect(e.latency_ns).toBeGreaterThan(0);
      }
      expect(final(run.json).counters).toMatchObject({ received: N, delivered: N, tx_failed: 0, untracked: 0, match_rate: 100 });
      expect(final(run.json).latency.total).toBe(N);
    });
  }

  for (const cumulative of [false, true])
    it(`-i 1${cumulative ? ' --cumulative' : ''}: ${cumulative ? 'interval reports hold running totals' : "each interval report holds that interval's datagrams"}, the final report all of them`, async () => {
      // 7 datagrams, 3.5 s (at least two reports), 4 more: the reports must add up (or, with
      // --cumulative, grow) to exactly what was sent.
      const send = (count: number) => sendUdp(vm1, { to: ip.vm2, port: 5001, count, size: 32, fromPort: 41010 });
      const run = await runCli(
        'vm-pair-latency',
        [...udpPath(), '-D', '5001', '-i', '1', ...(cumulative ? ['--cumulative'] : [])],
        async () => {
          send(7);
          await new Promise((r) => setTimeout(r, 3500));
          send(4);
        },
        2500,
      );
      expect(run.code, run.stderr).toBe(0);
      const received = (r: Record<string, unknown>) => (r.counters as { received: number }).received;
      const counts = run.json.filter((r) => r.type === 'interval').map(received);
      expect(counts.length).toBeGreaterThanOrEqual(4);
      expect(received(final(run.json) as unknown as Record<string, unknown>)).toBe(11);
      const totals = cumulative ? counts : counts.map((_, i) => counts.slice(0, i + 1).reduce((a, b) => a + b, 0));
      expect(totals, `interval counts ${counts}`).toContain(7);
      expect(totals.at(-1), `interval counts ${counts}`).toBe(11);
      if (!cumulative) expect(Math.max(...counts), `interval counts ${counts}`).toBeLessThanOrEqual(7);
    });

  it('a filter that excludes the pings gives no samples; text output shows the path', async () => {
    const none = await runWith(
      'vm-pair-latency',
      ['--src-interface', 'vnet1', '--dst-interface', 'vnet2', '--netns', host.name, '-p', 'udp', '-o', 'json'],
      () => void ping(ip.vm2),
    );
    expect(events(none.json)).toHaveLength(0);
    expect(final(none.json).counters.received).toBe(0);
    const text = await runWith(
      'vm-pair-latency',
      ['--src-interface', 'vnet1', '--dst-interface', 'vnet2', '--netns', host.name, '-s', ip.vm1, '-i', '0'],
      () => void ping(ip.vm2),
    );
    const rows = text.lines.filter((l) => l.includes('vnet1->vnet2'));
    expect(rows).toHaveLength(N);
    expect(rows[0]).toMatch(/vnet1->vnet2\s+icmp\/8\s+10\.98\.0\.1\s+10\.98\.0\.2\s+98\s+\d+\.\d{3}/);
    expect(text.lines.join('\n')).toMatch(/delivered\s+8/);
  });

  it('needs both interfaces, and two different ones', async () => {
    await expect(runWith('vm-pair-latency', ['--src-interface', 'vnet1', '--netns', host.name], () => {})).rejects.toThrow(
      /--dst-interface is required/,
    );
    await expect(
      runWith('vm-pair-latency', ['--src-interface', 'vnet1', '--dst-interface', 'vnet1', '--netns', host.name], () => {}),
    ).rejects.toThrow(/same device/);
  });
});
