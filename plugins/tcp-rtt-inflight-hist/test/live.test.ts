// Live kernel: a TCP transfer over a veth pair between two namespaces. An independent witness (a
// private tracefs instance with an ftrace filter on the same 4-tuple, no BPF) records every
// tcp:tcp_probe hit with its srtt / snd_nxt / snd_una / snd_cwnd; the plugin's sample count and
// its whole 2-D histogram must equal what those records give with the shared bucket rule.
import { log2Slot } from '@nettrace/core';
import { type VethPair, vethPair } from '@nettrace/plugin-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWith } from '../../../tooling/test-support/run.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';
import { type TcpServer, tcpClients, tcpServer } from '../../../tooling/test-support/tcp.js';
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

type Final = {
  totals: { samples: number; samples_without_inflight: number; cells_missed: number };
  rtt: { total: number; buckets: { low: number; high: number; count: number }[] };
  inflight: { total: number; unit: string; buckets: { low: number; high: number; count: number }[] };
  cwnd: { total: number; buckets: { low: number; high: number; count: number }[] };
  rtt_inflight: { rtt_low_us: number; samples: number; inflight: { low: number; count: number }[] }[];
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
    { name: 'IPv4, sending side (client socket)', v6: false, side: 'client', bytes: 3 << 20 },
    { name: 'IPv6, receiving side (server socket)', v6: true, side: 'server', bytes: 2 << 20 },
    { name: 'IPv4, tracepoint fallback only', v6: false, side: 'server', bytes: 2 << 20, onlyKinds: ['tracepoint' as const] },
    { name: 'IPv6, tracepoint fallback only', v6: true, side: 'server', bytes: 2 << 20, onlyKinds: ['tracepoint' as const] },
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
    it(`${c.name}: samples and 2-D cells equal the tcp_probe hits of that 4-tuple`, async () => {
      const [ipA, ipB, port] = c.v6 ? [net.ip6A, net.ip6B, PORT6] : [net.ipA, net.ipB, c.dual ? PORT_DUAL : PORT4];
      const cport = clientPort++;
      const [local, lport, remote, rport] = c.side === 'server' ? [ipB, port, ipA, cport] : [ipA, cport, ipB, port];
      const witness = traceWitness({ 'tcp/tcp_probe': `sport == ${lport} && dport == ${rport}` });
      let lines: string[] = [];
      const run = await runWith(
        'tcp-rtt-inflight-hist',
        ['-s', local, '-S', String(lport), '-d', remote, '-D', String(rport), '-o', 'json'],
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
      expect(lines.length).toBeGreaterThan(c.side === 'server' ? 20 : 1);
      // the dual-stack server's socket really is IPv6 (v4-mapped) in the kernel's own record
      if (c.dual) expect(lines.every((l) => l.includes('family=AF_INET6') && l.includes(`::ffff:${ipB}`))).toBe(true);
      expect(final.totals).toEqual({ samples: lines.length, samples_without_inflight: 0, cells_missed: 0 });
      for (const h of [final.rtt, final.inflight, final.cwnd]) expect(h.total).toBe(lines.length);
      expect(final.rtt_inflight.reduce((n, r) => n + r.samples, 0)).toBe(lines.length);
      expect(pluginCells(final)).toEqual(expectedCells(lines));
      // The congestion window (packets), sample by sample from the same records.
      expect(pluginBuckets(final.cwnd)).toEqual(witnessBuckets(lines.map((l) => field(l, 'snd_cwnd'))));
      // Smoothed RTT on a veth pair: well under a second.
      expect(final.rtt.buckets.every((b) => b.high < 1_000_000)).toBe(true);
    });
  }

  it('--inflight-unit packets: every sample between the witness bounds (bytes / MSS and cwnd); cwnd exact', async () => {
    const cport = clientPort++;
    const witness = traceWitness({ 'tcp/tcp_probe': `sport == ${cport} && dport == ${PORT4}` });
    let lines: string[] = [];
    const run = await runWith(
      'tcp-rtt-inflight-hist',
      ['-S', String(cport), '-D', String(PORT4), '--inflight-unit', 'packets', '-o', 'json'],
      async () => {
        await tcpClients(net.a, { to: net.ipB, port: PORT4, bytes: 2 << 20, fromPort: cport });
        await settle();
        lines = witness.stop().get('tcp/tcp_probe')!;
      },
    );
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
    expect(text).toMatch(/Smoothed RTT\n\s+us\s+: count\s+distribution/);
    expect(text).toMatch(/RTT x in-flight \(bytes\): samples per cell\nRTT\(us\) \\ IN-FLIGHT\s+0 -> 0\s.*TOTAL/);
  });
});
