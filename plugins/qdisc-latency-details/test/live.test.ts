// Live kernel: a token-bucket qdisc (tbf, 1 Mbit/s) on a veth inside a private namespace; N UDP
// datagrams (plus a noise flow) go through it. Each packet must come out as exactly one
// enqueue→dequeue record, the records must drain at the configured rate, and the filters (either
// direction for addresses and ports) must keep exactly the packets they name.

import { sendUdp, type VethPair, vethPair } from '@nettrace/plugin-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWith } from '../../../tooling/test-support/run.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';

const RATE = 1_000_000; // bit/s
const N = 20;
const NOISE = 5;
const PAYLOAD = 1000;

let net: VethPair;
beforeAll(() => {
  net = vethPair();
  net.a.exec('tc', [
    'qdisc',
    'add',
    'dev',
    net.devA,
    'root',
    'handle',
    '8001:',
    'tbf',
    'rate',
    `${RATE}bit`,
    'burst',
    '1600',
    'limit',
    '200000',
  ]);
});
afterAll(() => net.cleanup());

type Rec = {
  type: string;
  protocol: string;
  src_ip: string;
  dst_ip: string;
  src_port: number;
  dst_port: number;
  len: number;
  qdisc: string;
  handle: string;
  parent: string;
  interface: string;
  netns_name: string;
  queue: number;
  enqueue_ns: number;
  dequeue_ns: number;
  sojourn_ns: number;
};
const events = (json: Record<string, unknown>[]) => json.filter((r) => r.type === 'event') as unknown as Rec[];
const final = (json: Record<string, unknown>[]) =>
  json.find((r) => r.type === 'final') as { sojourn: { total: number }; counters: Record<string, number> };

/** Noise first (another port), then the flow under test, both from A to B. */
function traffic(to: string) {
  sendUdp(net.a, { to, port: 6666, count: NOISE, size: PAYLOAD, fromPort: 46666 });
  sendUdp(net.a, { to, port: 5555, count: N, size: PAYLOAD, fromPort: 45555 });
}

/** While the queue is backlogged, consecutive dequeues are one packet's transmission time apart. */
function expectRate(recs: Rec[]) {
  let backlogged = 0;
  for (let k = 1; k < recs.length; k++) {
    if (recs[k].enqueue_ns > recs[k - 1].dequeue_ns - 1e6) continue; // not queued behind the previous one
    backlogged++;
    const expected = (recs[k].len * 8 * 1e9) / RATE;
    expect(Math.abs(recs[k].dequeue_ns - recs[k - 1].dequeue_ns - expected)).toBeLessThan(expected * 0.15);
  }
  expect(backlogged).toBeGreaterThanOrEqual(recs.length - 5);
}

// On this VM the kernel now and then does not run a tracepoint's BPF program for a qdisc_dequeue
// hit (about 1 in 300-400): ftrace records the dequeue, an unconditional atomic counter at the top
// of the program does not move, and recursion_misses stays 0; every case traced happened in a
// softirq on top of the sandbox's init process (tokio-rt-worker threads). A case has 20-25
// packets, so a run meets it every few cases, and under load more often (three attempts in a row
// once, with two test runs at a time). A wrong plugin fails every attempt; four retries keep the
// exact assertions from failing on that environment quirk.
describe('qdisc-latency-details on the live kernel', { retry: 4 }, () => {
  const v4 = () => ({ a: net.ipA, b: net.ipB, frame: PAYLOAD + 8 + 20 + 14 });
  const cases = [
    { name: 'interface + port, tp_btf', argv: () => ['-I', net.devA, '--netns', net.a.name, '-D', '5555'], expect: N },
    {
      name: 'interface + port, tracepoint fallback',
      argv: () => ['-I', net.devA, '--netns', net.a.name, '-D', '5555'],
      expect: N,
      kinds: ['tracepoint' as const],
    },
    // Each address and port filter may match the source or the destination, independently.
    { name: '--src-ip = the destination, + udp', argv: () => ['-s', net.ipB, '-p', 'udp'], expect: N + NOISE },
    { name: '--src-ip = the destination and --dst-port', argv: () => ['-s', net.ipB, '-D', '5555'], expect: N },
    { name: '--dst-ip = the source and --src-port = the destination port', argv: () => ['-d', net.ipA, '-S', '5555'], expect: N },
    { name: 'both addresses swapped, the noise source port', argv: () => ['-s', net.ipB, '-d', net.ipA, '-D', '46666'], expect: NOISE },
    { name: 'two ports that no packet carries together', argv: () => ['-S', '5555', '-D', '6666'], expect: 0 },
    { name: 'icmp excludes the datagrams', argv: () => ['-I', net.devA, '--netns', net.a.name, '-p', 'icmp'], expect: 0 },
    { name: 'another address excludes them', argv: () => ['-s', '192.0.2.1', '-D', '5555'], expect: 0 },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.expect} records`, async () => {
      const run = await runWith('qdisc-latency-details', [...c.argv(), '-o', 'json'], () => traffic(net.ipB), 600, { onlyKinds: c.kinds });
      const validate = schemaValidator('qdisc-latency-details');
      for (const record of run.json) expect(validate(record)).toBeUndefined();
      const plan = (run.json[0] as { plan: { chosen: { kind: string } }[] }).plan;
      expect(plan.map((p) => p.chosen.kind)).toEqual(c.kinds ? ['tracepoint', 'tracepoint'] : ['tp_btf', 'tp_btf']);
      const recs = events(run.json);
      expect(recs).toHaveLength(c.expect);
      const ours = recs.filter((r) => r.dst_port === 5555);
      for (const r of recs) {
        expect(r).toMatchObject({
          protocol: 'udp',
          src_ip: v4().a,
          dst_ip: v4().b,
          len: v4().frame,
          qdisc: 'tbf',
          handle: '8001:',
          parent: 'root',
          interface: net.devA,
          netns_name: net.a.name,
          queue: 0,
        });
        expect(r.sojourn_ns).toBe(r.dequeue_ns - r.enqueue_ns);
      }
      if (ours.length === N) {
        expect(ours.map((r) => r.src_port)).toEqual(new Array(N).fill(45555));
        expectRate(ours);
      }
      const f = final(run.json);
      expect(f.counters.dequeued).toBe(c.expect);
      expect(f.sojourn.total).toBe(c.expect);
    });
  }

  it('IPv6: N records for the flow, frames 20 bytes longer', async () => {
    const run = await runWith('qdisc-latency-details', ['-d', net.ip6A, '-S', '5555', '-o', 'json'], () => traffic(net.ip6B), 600);
    const recs = events(run.json);
    expect(recs).toHaveLength(N);
    for (const r of recs)
      expect(r).toMatchObject({ protocol: 'udp', src_ip: net.ip6A, dst_ip: net.ip6B, src_port: 45555, len: PAYLOAD + 8 + 40 + 14 });
    expectRate(recs);
  });

  it('--threshold prints only slow packets but counts all of them', async () => {
    const run = await runWith(
      'qdisc-latency-details',
      ['-D', '5555', '-s', net.ipA, '--threshold', '50000', '-o', 'json'],
      () => traffic(net.ipB),
      600,
    );
    const recs = events(run.json);
    const f = final(run.json);
    expect(f.sojourn.total).toBe(N);
    expect(f.counters.below_threshold + recs.length).toBe(N);
    expect(recs.length).toBeGreaterThan(0); // the tail of 20 packets waits > 100 ms
    for (const r of recs) expect(r.sojourn_ns).toBeGreaterThanOrEqual(50_000_000);
  });

  it('text output: one line per packet with the qdisc and the sojourn in us', async () => {
    const run = await runWith('qdisc-latency-details', ['-D', '5555', '-I', net.devA, '--netns', net.a.name], () => traffic(net.ipB), 600);
    expect(run.lines[0]).toMatch(/TIME\s+IFACE\s+TXQ\s+QDISC\s+PROTO\s+SOURCE\s+DESTINATION\s+LEN\s+SOJOURN\(us\)/);
    const rows = run.lines.filter((l) => l.includes(':5555'));
    expect(rows).toHaveLength(N);
    expect(rows[N - 1]).toMatch(
      new RegExp(
        `${net.devA}@${net.a.name}\\s+0\\s+tbf 8001:\\s+udp\\s+${net.ipA.replace(/\./g, '\\.')}:45555\\s+${net.ipB.replace(/\./g, '\\.')}:5555\\s+1042\\s+\\d+\\.\\d{3}`,
      ),
    );
  });
});
