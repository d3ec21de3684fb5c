// Live kernel: a TCP transfer over a veth pair between two namespaces. An independent witness (a
// private tracefs instance with an ftrace filter on the same 4-tuple, no BPF) records every
// tcp:tcp_probe hit with its srtt / snd_nxt / snd_una / snd_cwnd; the plugin's sample count, its
// whole 2-D histogram and its means must equal what those records give with the shared bucket
// rule. Request/response rounds of whole segments make packets in flight (and the bandwidth) exact
// from the same records; dropped segments give retransmissions that ss reads from the socket, and
// a connection stalled on purpose gives the highest retrans_out/lost_out exactly.
import { fileURLToPath } from 'node:url';
import { log2Slot } from '@nettrace/core';
import { type VethPair, vethPair } from '@nettrace/plugin-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineDriver } from '../../../tooling/test-support/line-driver.js';
import { runWith } from '../../../tooling/test-support/run.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';
import { type TcpServer, tcpClients, tcpRounds, tcpServer } from '../../../tooling/test-support/tcp.js';
import { traceWitness } from '../../../tooling/test-support/tracefs.js';

let net: VethPair;
let server4: TcpServer;
let server6: TcpServer;
let serverDual: TcpServer;
const base = 20000 + (process.pid % 2000) * 10;
const PORT4 = base;
const PORT6 = base + 1;
const PORT_DUAL = base + 2;
let clientPort = base + 3;
/** Ports of the request/response servers tcpRounds starts in B. */
const ROUNDS = 60000 + (process.pid % 500) * 4;
const validate = schemaValidator('tcp-rtt-inflight-hist');

beforeAll(async () => {
  net = vethPair(100 + (process.pid % 120));
  server4 = await tcpServer(net.b, net.ipB, PORT4);
  server6 = await tcpServer(net.b, net.ip6B, PORT6);
  serverDual = await tcpServer(net.b, '::', PORT_DUAL); // IPv4 clients get v4-mapped IPv6 sockets
});
afterAll(async () => {
  await server4?.close();
  await server6?.close();
  await serverDual?.close();
  net.cleanup();
});

/** Lets the connection's last segments land before the witness stops (the plugin stops later). */
const settle = () => new Promise((r) => setTimeout(r, 100));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Hist = {
  total: number;
  unit: string;
  buckets: { low: number; high: number; count: number }[];
  summary: { count: number; mean: number; p50: number; p90: number; p99: number };
};
type Final = {
  totals: { hits: number; samples: number; samples_without_inflight: number; cells_missed: number; flows_untracked: number };
  rtt: Hist;
  inflight: Hist;
  cwnd: Hist;
  bandwidth?: Hist;
  retransmissions: Record<string, number>;
  rtt_inflight: { rtt_low_us: number; samples: number; inflight: { low: number; count: number }[] }[];
};
const mean = (values: number[]) => Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100;
/** The upper bound of the log2 bucket holding the sample of rank ceil(q * n) (histogramSummary's rule). */
const percentile = (values: number[], q: number) => {
  const v = [...values].sort((a, b) => a - b)[Math.ceil(q * values.length) - 1];
  return v === 0 ? 0 : 2 ** log2Slot(v) - 1;
};

/** The low end of the shared log2 bucket a value falls in. */
const low = (v: number) => (v === 0 ? 0 : 2 ** (log2Slot(v) - 1));
/** A numeric field of a tcp_probe record. */
const field = (l: string, name: string) => Number(/=(0x[0-9a-f]+|\d+)/.exec(l.slice(l.indexOf(` ${name}=`)))![1]);

/** Expected cells "rttLow/inflightLow" → count, from the witness records. */
function expectedCells(lines: string[]): Map<string, number> {
  const cells = new Map<string, number>();
  for (const l of lines) {
    const f = (name: string) => field(l, name);
    const inflight = (Number(f('snd_nxt')) - Number(f('snd_una'))) >>> 0;
    const key = `${low(Number(f('srtt')))}/${low(inflight)}`;
    cells.set(key, (cells.get(key) ?? 0) + 1);
  }
  return cells;
}

/** Bucket low end → samples, for values of the witness records. */
function witnessBuckets(values: number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const v of values) out.set(low(v), (out.get(low(v)) ?? 0) + 1);
  return out;
}
const pluginBuckets = (h: { buckets: { low: number; count: number }[] }) =>
  new Map(h.buckets.filter((b) => b.count > 0).map((b) => [b.low, b.count]));

function pluginCells(final: Final): Map<string, number> {
  const cells = new Map<string, number>();
  for (const r of final.rtt_inflight) for (const c of r.inflight) cells.set(`${r.rtt_low_us}/${c.low}`, c.count);
  return cells;
}

describe('tcp-rtt-inflight-hist on the live kernel', () => {
  const cases = [
    { name: 'IPv4, receiving side (server socket)', v6: false, side: 'server', bytes: 3 << 20 },
    { name: 'IPv4, both addresses: either orientation, both sockets', v6: false, side: 'both', bytes: 3 << 20 },
    { name: 'IPv6, receiving side (server socket)', v6: true, side: 'server', bytes: 2 << 20 },
    { name: 'IPv4, tracepoint fallback only', v6: false, side: 'server', bytes: 2 << 20, onlyKinds: ['tracepoint' as const] },
    { name: 'IPv6, both addresses, tracepoint fallback only', v6: true, side: 'both', bytes: 2 << 20, onlyKinds: ['tracepoint' as const] },
    {
      name: 'IPv4 to a dual-stack server (v4-mapped IPv6 socket, filtered as IPv4)',
      v6: false,
      dual: true,
      side: 'server',
      bytes: 2 << 20,
    },
    {
      name: 'IPv4 to a dual-stack server, tracepoint fallback only',
      v6: false,
      dual: true,
      side: 'server',
      bytes: 2 << 20,
      onlyKinds: ['tracepoint' as const],
    },
  ];
  for (const c of cases) {
    it(`${c.name}: samples, 2-D cells (bytes) and means equal the tcp_probe hits of that 4-tuple`, async () => {
      const [ipA, ipB, port] = c.v6 ? [net.ip6A, net.ip6B, PORT6] : [net.ipA, net.ipB, c.dual ? PORT_DUAL : PORT4];
      const cport = clientPort++;
      // 'server': the server socket by its local end and remote port; 'both': the client's 4-tuple
      // with both addresses, which BCC matches in either orientation, so the server socket too.
      const filter =
        c.side === 'server'
          ? ['-s', ipB, '-S', String(port), '-D', String(cport)]
          : ['--laddr', ipA, '--lport', String(cport), '--raddr', ipB, '--rport', String(port)];
      const tuple =
        c.side === 'server'
          ? `sport == ${port} && dport == ${cport}`
          : `(sport == ${port} && dport == ${cport}) || (sport == ${cport} && dport == ${port})`;
      const witness = traceWitness({ 'tcp/tcp_probe': tuple });
      let lines: string[] = [];
      const run = await runWith(
        'tcp-rtt-inflight-hist',
        [...filter, '--inflight-unit', 'bytes', '-o', 'json'],
        async () => {
          const done = await tcpClients(net.a, { to: ipB, port, bytes: c.bytes, fromPort: cport });
          expect(done.replies).toEqual([c.bytes]);
          await settle();
          lines = witness.stop().get('tcp/tcp_probe')!;
        },
        300,
        { onlyKinds: c.onlyKinds },
      );
      if (c.onlyKinds) expect((run.json[0].plan as { chosen: { kind: string } }[])[0].chosen.kind).toBe('tracepoint');
      for (const r of run.json) expect(validate(r)).toBeUndefined();
      const final = run.json.find((r) => r.type === 'final') as unknown as Final;
      expect(lines.length).toBeGreaterThan(20);
      // the dual-stack server's socket really is IPv6 (v4-mapped) in the kernel's own record
      if (c.dual) expect(lines.every((l) => l.includes('family=AF_INET6') && l.includes(`::ffff:${ipB}`))).toBe(true);
      // both sockets of the connection were seen (the client's by its ACKs, the server's by the data)
      if (c.side === 'both') expect(new Set(lines.map((l) => Number(/ src=\S*:(\d+) /.exec(l)![1])))).toEqual(new Set([port, cport]));
      expect(final.totals).toEqual({
        hits: lines.length,
        samples: lines.length,
        samples_without_inflight: 0,
        cells_missed: 0,
        flows_untracked: 0,
      });
      for (const h of [final.rtt, final.inflight, final.cwnd]) expect(h.total).toBe(lines.length);
      expect(final.rtt_inflight.reduce((n, r) => n + r.samples, 0)).toBe(lines.length);
      expect(pluginCells(final)).toEqual(expectedCells(lines));
      // The congestion window (packets), sample by sample from the same records.
      const cwnd = lines.map((l) => field(l, 'snd_cwnd'));
      expect(pluginBuckets(final.cwnd)).toEqual(witnessBuckets(cwnd));
      // Mean (exact: the kernel keeps the sums) and percentiles of RTT and cwnd, from the records.
      for (const [h, values] of [
        [final.rtt, lines.map((l) => field(l, 'srtt'))],
        [final.cwnd, cwnd],
      ] as const)
        expect(h.summary).toEqual({
          count: lines.length,
          mean: mean(values),
          p50: percentile(values, 0.5),
          p90: percentile(values, 0.9),
          p99: percentile(values, 0.99),
        });
      // Smoothed RTT on a veth pair: well under a second.
      expect(final.rtt.buckets.every((b) => b.high < 1_000_000)).toBe(true);
    });
  }

  it('rounds of whole segments: packets out, its mean, the bandwidth and --sample-rate exact from the records', async () => {
    const cport = clientPort++;
    const MSS = 1448; // 1500-byte veth, IPv4, TCP timestamps
    const witness = traceWitness({ 'tcp/tcp_probe': `sport == ${cport} && dport == ${ROUNDS}` });
    let lines: string[] = [];
    const run = await runWith(
      'tcp-rtt-inflight-hist',
      ['--lport', String(cport), '--rport', String(ROUNDS), '--sample-rate', '2', '--bw-hist', '-o', 'json'],
      async () => {
        await tcpRounds(net.a, net.b, { to: net.ipB, port: ROUNDS, fromPort: cport, rounds: 30, bytes: 4 * MSS });
        await settle();
        lines = witness.stop().get('tcp/tcp_probe')!;
      },
    );
    for (const r of run.json) expect(validate(r)).toBeUndefined();
    const final = run.json.find((r) => r.type === 'final') as unknown as Final;
    // Each round is 4 whole segments (Nagle off, one write) and ACKs end on segment boundaries, so
    // the packets sent and not acknowledged are the unacknowledged bytes / MSS at every hit.
    const unacked = lines.map((l) => (field(l, 'snd_nxt') - field(l, 'snd_una')) >>> 0);
    expect(lines.length).toBeGreaterThanOrEqual(30);
    expect(unacked.every((b) => b % MSS === 0)).toBe(true);
    expect(unacked.some((b) => b > 0)).toBe(true);
    // --sample-rate 2: the socket's 1st, 3rd, 5th ... hit
    const sampled = lines.map((l, i) => ({ packets: unacked[i] / MSS, srtt: field(l, 'srtt') })).filter((_, i) => i % 2 === 0);
    expect(final.totals).toMatchObject({ hits: lines.length, samples: sampled.length, samples_without_inflight: 0, flows_untracked: 0 });
    expect(final.inflight.unit).toBe('packets');
    const packets = sampled.map((x) => x.packets);
    expect(pluginBuckets(final.inflight)).toEqual(witnessBuckets(packets));
    expect(final.inflight.summary).toMatchObject({ count: sampled.length, mean: mean(packets), p50: percentile(packets, 0.5) });
    // --bw-hist: packets out x MSS x 8 / srtt (Mbit/s) in 500 Mbit/s buckets, samples with packets out
    const mbps = sampled.filter((x) => x.packets > 0).map((x) => Math.floor((x.packets * MSS * 8) / x.srtt));
    const bw = new Map<number, number>();
    for (const m of mbps) bw.set(Math.min(Math.floor(m / 500), 63) * 500, (bw.get(Math.min(Math.floor(m / 500), 63) * 500) ?? 0) + 1);
    expect(final.bandwidth!.unit).toBe('Mbit/s');
    expect(pluginBuckets(final.bandwidth!)).toEqual(bw);
    expect(final.bandwidth!.summary).toMatchObject({ count: mbps.length, mean: mean(mbps) });
  });

  it('retransmissions: total_retrans, its growth and the out/lost state equal what ss reads from the socket', async () => {
    const cport = clientPort++;
    const port = ROUNDS + 1;
    // B drops about a third of the client's data segments (never the handshake or ACKs): each
    // loss is retransmitted after a probe or retransmission timeout.
    const table = `ntrtx${process.pid}`;
    const rule = `table inet ${table} { chain in { type filter hook input priority 0; tcp sport ${cport} meta length > 200 numgen random mod 3 == 0 drop; }; }`;
    const tuple = `sport == ${cport} && dport == ${port}`;
    const witness = traceWitness({ 'tcp/tcp_probe': tuple, 'tcp/tcp_retransmit_skb': tuple });
    let rounds = { totalRetrans: 0, retransOut: 0, lostOut: 0 };
    let trace: Map<string, string[]> = new Map();
    const run = await runWith('tcp-rtt-inflight-hist', ['-S', String(cport), '-D', String(port), '-o', 'json'], async () => {
      net.b.exec('nft', ['-f', '-'], rule);
      try {
        rounds = await tcpRounds(net.a, net.b, { to: net.ipB, port, fromPort: cport, rounds: 40, bytes: 1000 });
      } finally {
        net.b.exec('nft', ['delete', 'table', 'inet', table]);
      }
      trace = witness.stop();
    });
    for (const r of run.json) expect(validate(r)).toBeUndefined();
    const final = run.json.find((r) => r.type === 'final') as unknown as Final;
    expect(rounds.totalRetrans).toBeGreaterThan(0);
    // Each round is one segment, so each retransmission adds 1 to total_retrans. Those before the
    // socket's first tcp_probe (its first answer) are in its first sample's total, not its growth.
    const probes = trace.get('tcp/tcp_probe')!;
    const sent = trace.get('tcp/tcp_retransmit_skb')!.filter((l) => !/ err=-\d/.test(l));
    const stamp = (l: string) => Number(/ (\d+\.\d+): /.exec(l)![1]);
    const before = sent.filter((l) => stamp(l) < stamp(probes[0])).length;
    expect(final.retransmissions).toMatchObject({
      total_retrans: rounds.totalRetrans,
      retrans_delta: rounds.totalRetrans - before,
    });
    // The last sample's out/lost state is the socket's at its last tcp_probe, which can come before
    // the ACK that clears a retransmitted segment (ss, read later, then says 0): with one segment per
    // round, never more than one. The stalled-connection case below checks them exactly.
    expect(final.retransmissions.retrans_out).toBeGreaterThanOrEqual(rounds.retransOut);
    expect(final.retransmissions.retrans_out).toBeLessThanOrEqual(1);
    expect(final.retransmissions.lost_out).toBeGreaterThanOrEqual(rounds.lostOut);
    expect(final.retransmissions.lost_out).toBeLessThanOrEqual(1);
    expect(sent.length).toBe(rounds.totalRetrans);
    const intervals = run.json.filter((r) => r.type === 'interval') as unknown as Final[];
    expect(intervals.reduce((n, r) => n + r.retransmissions.retrans_delta, 0)).toBeLessThanOrEqual(rounds.totalRetrans);
  });

  it('max_retrans_out / max_lost_out: a stalled 2-segment write, sampled while stalled, equals what ss reads then', async () => {
    const cport = clientPort++;
    const port = ROUNDS + 2;
    const MSS = 1448;
    const STALLED = fileURLToPath(new URL('./stalled-connection.py', import.meta.url));
    const table = `ntstall${process.pid}`;
    // B drops every data segment of the client (not its ACKs) until the rule goes.
    const rule = `table inet ${table} { chain in { type filter hook input priority 0; tcp sport ${cport} tcp dport ${port} meta length > 200 drop; }; }`;
    const tuple = `sport == ${cport} && dport == ${port}`;
    const witness = traceWitness({ 'tcp/tcp_probe': tuple, 'tcp/tcp_retransmit_skb': tuple });
    const ss = () => {
      const out = net.a.exec('ss', ['-tinH', `( sport = :${cport} )`]);
      const retrans = /\bretrans:(\d+)\/(\d+)/.exec(out);
      return {
        retransOut: Number(retrans?.[1] ?? 0),
        total: Number(retrans?.[2] ?? 0),
        lostOut: Number(/\blost:(\d+)/.exec(out)?.[1] ?? 0),
      };
    };
    let stalled = { retransOut: -1, total: -1, lostOut: -1 };
    let after = stalled;
    let trace = new Map<string, string[]>();
    const run = await runWith('tcp-rtt-inflight-hist', ['-S', String(cport), '-D', String(port), '-o', 'json'], async () => {
      const server = lineDriver(net.b.name, 'python3', [STALLED, 'server', net.ipB, String(port), String(2 * MSS)]);
      await server.line('ready');
      const client = lineDriver(net.a.name, 'python3', [STALLED, 'client', net.ipB, String(port), String(cport), String(2 * MSS)]);
      await Promise.all([client.line('connected'), server.line('accepted')]);
      net.b.exec('nft', ['-f', '-'], rule);
      try {
        client.send('send');
        await client.line('sent');
        // The retransmission timeout marks both segments lost and resends the first: lost 2,
        // retrans_out 1 from then on, whatever further timeouts fire (each resends the first again).
        for (let i = 0; i < 200 && !(stalled.lostOut === 2 && stalled.retransOut === 1); i++) {
          await sleep(50);
          stalled = ss();
        }
        // One segment from the server: a tcp_probe sample of the client socket in that state.
        server.send('poke');
        await client.line('poked');
        expect(ss()).toMatchObject({ retransOut: stalled.retransOut, lostOut: stalled.lostOut });
      } finally {
        net.b.exec('nft', ['delete', 'table', 'inet', table]);
      }
      // Recovery resends what is left one segment per ACK (cwnd 1 after the timeout): never more
      // outstanding or lost than while stalled.
      expect(await server.line('received')).toBe(`received ${2 * MSS}`);
      for (let i = 0; i < 100 && (after = ss()).retransOut + after.lostOut > 0; i++) await sleep(50);
      // The client closes first: out of ESTABLISHED, it is sampled no more (the server's FIN
      // would otherwise be one more sample).
      client.send('end');
      await client.exit;
      server.send('end');
      await server.exit;
      await settle();
      trace = witness.stop();
    });
    for (const r of run.json) expect(validate(r)).toBeUndefined();
    const final = run.json.find((r) => r.type === 'final') as unknown as Final;
    expect(stalled).toMatchObject({ retransOut: 1, lostOut: 2 });
    expect(after).toMatchObject({ retransOut: 0, lostOut: 0 });
    const sent = trace.get('tcp/tcp_retransmit_skb')!.filter((l) => !/ err=-\d/.test(l));
    expect(sent).toHaveLength(after.total);
    // The client's first sample is the poke: the retransmissions before it are in its first total.
    const stamp = (l: string) => Number(/ (\d+\.\d+): /.exec(l)![1]);
    const first = stamp(trace.get('tcp/tcp_probe')![0]);
    expect(final.retransmissions).toEqual({
      total_retrans: after.total,
      retrans_delta: sent.filter((l) => stamp(l) > first).length,
      // The last sample is the ACK of the last retransmission (the second segment), seen before
      // it is processed: that segment still out and lost.
      retrans_out: 1,
      lost_out: 1,
      max_retrans_out: stalled.retransOut,
      max_lost_out: stalled.lostOut,
    });
  });

  it('in flight in packets by default (packets_out): every sample between the witness bounds (bytes / MSS and cwnd); cwnd exact', async () => {
    const cport = clientPort++;
    const witness = traceWitness({ 'tcp/tcp_probe': `sport == ${cport} && dport == ${PORT4}` });
    let lines: string[] = [];
    const run = await runWith('tcp-rtt-inflight-hist', ['-S', String(cport), '-D', String(PORT4), '-o', 'json'], async () => {
      await tcpClients(net.a, { to: net.ipB, port: PORT4, bytes: 2 << 20, fromPort: cport });
      await settle();
      lines = witness.stop().get('tcp/tcp_probe')!;
    });
    for (const r of run.json) expect(validate(r)).toBeUndefined();
    const final = run.json.find((r) => r.type === 'final') as unknown as Final;
    expect(lines.length).toBeGreaterThan(1);
    expect(final.totals.samples).toBe(lines.length);
    expect(final.inflight.unit).toBe('packets');
    expect(final.inflight.total).toBe(lines.length);
    const cwnd = lines.map((l) => field(l, 'snd_cwnd'));
    expect(pluginBuckets(final.cwnd)).toEqual(witnessBuckets(cwnd));
    // tcp_probe has no packet count, but it bounds one per sample. Every segment in flight holds
    // at most one MSS (at most 1460 bytes on this 1500-byte veth), so packets >= ceil(bytes / 1460);
    // nothing is lost or SACKed on a veth and the window only grows in slow start, so what was sent
    // under the cwnd is still within it: packets <= snd_cwnd. Log2 buckets keep that order, so the
    // plugin's distribution must sit between the two witness distributions at every bucket edge.
    const atLeast = lines.map((l) => Math.ceil(((field(l, 'snd_nxt') - field(l, 'snd_una')) >>> 0) / 1460));
    const atOrAbove = (values: number[], edge: number) => values.filter((v) => low(v) >= edge).length;
    const plugin = final.inflight.buckets.flatMap((b) => Array<number>(b.count).fill(b.low));
    expect(atLeast.some((v) => v >= 4)).toBe(true); // a real window, not an idle flow
    for (const edge of new Set([...plugin, ...atLeast, ...cwnd].map(low))) {
      expect(atOrAbove(plugin, edge), `samples at or above ${edge} packets`).toBeGreaterThanOrEqual(atOrAbove(atLeast, edge));
      expect(atOrAbove(plugin, edge), `samples at or above ${edge} packets`).toBeLessThanOrEqual(atOrAbove(cwnd, edge));
    }
  });

  it('a filter that excludes the flow counts nothing (while the flow has hits)', async () => {
    const cport = clientPort++;
    const witness = traceWitness({ 'tcp/tcp_probe': `sport == ${PORT4} && dport == ${cport}` });
    let hits = 0;
    const run = await runWith('tcp-rtt-inflight-hist', ['-s', net.ipB, '-S', String(PORT4), '-d', '192.0.2.77', '-o', 'json'], async () => {
      await tcpClients(net.a, { to: net.ipB, port: PORT4, bytes: 1 << 20, fromPort: cport });
      hits = witness.stop().get('tcp/tcp_probe')!.length;
    });
    expect(hits).toBeGreaterThan(10);
    const final = run.json.find((r) => r.type === 'final') as unknown as Final;
    expect(final.totals.samples).toBe(0);
    expect(final.rtt_inflight).toEqual([]);
  });

  it('table output shows the histograms and the RTT x in-flight matrix', async () => {
    const cport = clientPort++;
    const run = await runWith('tcp-rtt-inflight-hist', ['-S', String(PORT4), '-D', String(cport)], () =>
      tcpClients(net.a, { to: net.ipB, port: PORT4, bytes: 1 << 20, fromPort: cport }).then(() => undefined),
    );
    const text = run.lines.join('\n');
    expect(text).toMatch(
      /Smoothed RTT\n {2}count \d+ {2}mean [\d.]+ us {2}p50 <= \d+ {2}p90 <= \d+ {2}p99 <= \d+\n\s+us\s+: count\s+distribution/,
    );
    expect(text).toMatch(/In flight \(packets\)\n {2}count \d+ {2}mean [\d.]+ packets/);
    expect(text).toMatch(/Retransmissions\n {2}total_retrans +\d+\n {2}retrans_delta +\d+\n {2}retrans_out +\d+\n {2}lost_out +\d+/);
    expect(text).toMatch(/RTT x in-flight \(packets\): samples per cell\nRTT\(us\) \\ IN-FLIGHT\s+0 -> 0\s.*TOTAL/);
  });
});
