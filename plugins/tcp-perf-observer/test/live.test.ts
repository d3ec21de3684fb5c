// Live kernel: TCP connections over a veth pair between two namespaces. N connections must give
// exactly N connect-latency samples (and events); connects to a closed port are failures; RTT
// samples equal the tcp:tcp_probe hits an independent tracefs witness records for those sockets;
// an nft rule that drops the flow's data segments for a moment forces retransmissions, which must
// appear as RETRANS events of that flow, as many as the kernel's tcp_retransmit_skb hits; a
// socket filter that drops the server's arriving segments gives DROP events equal to the
// socket's own drop counter, and a driven connection life cycle gives the per-state counters.
import { fileURLToPath } from 'node:url';
import { log2Slot, possibleCpus } from '@nettrace/core';
import { type VethPair, vethPair } from '@nettrace/plugin-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineDriver } from '../../../tooling/test-support/line-driver.js';
import { runWith } from '../../../tooling/test-support/run.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';
import { type TcpServer, tcpClients, tcpServer } from '../../../tooling/test-support/tcp.js';
import { traceWitness } from '../../../tooling/test-support/tracefs.js';

let net: VethPair;
let server4: TcpServer;
let server6: TcpServer;
const base = 30000 + (process.pid % 2000) * 10;
const PORT4 = base;
const PORT6 = base + 1;
const CLOSED = base + 2;
let clientPort = 50000 + (process.pid % 1000) * 10;
const validate = schemaValidator('tcp-perf-observer');
const HUGE = String(4_000_000_000);
/** CPUs the per-CPU rate windows may run on: every CPU the kernel can bring up, not only those
 * this process may use (softirqs run anywhere). */
const cpus = possibleCpus();

beforeAll(async () => {
  net = vethPair(100 + (process.pid % 120));
  server4 = await tcpServer(net.b, net.ipB, PORT4);
  server6 = await tcpServer(net.b, net.ip6B, PORT6);
});
afterAll(async () => {
  await server4?.close();
  await server6?.close();
  net.cleanup();
});

type Ev = Record<string, unknown>;
type Summary = { count: number; mean: number; p50: number; p90: number; p99: number };
type Final = {
  counters: Record<string, number>;
  rtt?: { total: number; summary: Summary };
  connlat?: { total: number; buckets: { low: number; high: number }[]; summary: Summary };
};
/** A numeric field of a tcp_probe record. */
const field = (l: string, name: string) => Number(/=(0x[0-9a-f]+|\d+)/.exec(l.slice(l.indexOf(` ${name}=`)))![1]);
/** What histogramSummary() must say of these samples: exact mean, percentiles as log2 bucket upper bounds. */
function summaryOf(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const bound = (q: number) => {
    const v = sorted[Math.ceil(q * values.length) - 1];
    return v === 0 ? 0 : 2 ** log2Slot(v) - 1;
  };
  const mean = Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100;
  return { count: values.length, mean, p50: bound(0.5), p90: bound(0.9), p99: bound(0.99) };
}
const settle = () => new Promise((r) => setTimeout(r, 100));
const DRIVER = fileURLToPath(new URL('./filtered-connection.py', import.meta.url));

/** test/filtered-connection.py in a namespace, driven line by line. */
const driver = (ns: string, args: string[]) => lineDriver(ns, 'python3', [DRIVER, ...args]);
/** Counter changes between two "snmp-* Name=value ..." lines. */
function delta(start: string, end: string): Record<string, number> {
  const parse = (l: string) =>
    Object.fromEntries(
      l
        .split(' ')
        .slice(1)
        .map((kv) => kv.split('='))
        .map(([k, v]) => [k, Number(v)]),
    );
  const [a, b] = [parse(start), parse(end)];
  return Object.fromEntries(Object.keys(b).map((k) => [k, b[k] - a[k]]));
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function parse(json: Record<string, unknown>[]) {
  for (const r of json) expect(validate(r)).toBeUndefined();
  return { events: json.filter((r) => r.type === 'event') as Ev[], final: json.find((r) => r.type === 'final') as unknown as Final };
}

describe('tcp-perf-observer on the live kernel', () => {
  const connectCases = [
    { name: 'IPv4', v6: false, n: 5 },
    { name: 'IPv6', v6: true, n: 3 },
    { name: 'IPv4, tracepoints only', v6: false, n: 4, onlyKinds: ['tracepoint' as const] },
  ];
  for (const c of connectCases) {
    it(`${c.name}: ${c.n} connections give ${c.n} connect-latency samples and events; RTT samples = tcp_probe hits`, async () => {
      const [ipA, ipB, port] = c.v6 ? [net.ip6A, net.ip6B, PORT6] : [net.ipA, net.ipB, PORT4];
      const first = clientPort;
      clientPort += c.n;
      const witness = traceWitness({
        'sock/inet_sock_set_state': `oldstate == 2 && newstate == 1 && dport == ${port} && sport >= ${first} && sport < ${first + c.n}`,
        'tcp/tcp_probe': `dport == ${port} && sport >= ${first} && sport < ${first + c.n}`,
        // On a busy machine a FIN or tail-loss probe is sometimes retransmitted: those are events too.
        'tcp/tcp_retransmit_skb': `dport == ${port} && sport >= ${first} && sport < ${first + c.n}`,
      });
      let seen = new Map<string, string[]>();
      const run = await runWith(
        'tcp-perf-observer',
        ['-d', ipB, '-D', String(port), '--connlat-threshold', '0', '--rtt-threshold', HUGE, '--detail-rate', '0', '-o', 'json'],
        async () => {
          const done = await tcpClients(net.a, { to: ipB, port, connections: c.n, bytes: 100_000, fromPort: first });
          expect(done.replies).toEqual(Array(c.n).fill(100_000));
          await settle();
          seen = witness.stop();
        },
        300,
        { onlyKinds: c.onlyKinds },
      );
      if (c.onlyKinds)
        expect((run.json[0].plan as { chosen: { kind: string } }[]).map((p) => p.chosen.kind)).toEqual([
          'tracepoint',
          'tracepoint',
          'tracepoint',
          'tracepoint',
        ]);
      const { events, final } = parse(run.json);
      expect(seen.get('sock/inet_sock_set_state')).toHaveLength(c.n);
      const retransmits = seen.get('tcp/tcp_retransmit_skb')?.length ?? 0;
      expect(events.filter((e) => e.event === 'RETRANS')).toHaveLength(retransmits);
      const connlat = events.filter((e) => e.event === 'CONNLAT');
      expect(connlat).toHaveLength(c.n);
      expect(events).toHaveLength(c.n + retransmits);
      connlat.forEach((e, i) => {
        expect(e).toMatchObject({
          event: 'CONNLAT',
          protocol: 'tcp',
          src_ip: ipA,
          src_port: first + i,
          dst_ip: ipB,
          dst_port: port,
          state: 'ESTABLISHED',
          comm: 'node',
        });
        expect(e.connect_latency_us).toBeLessThan(1_000_000);
      });
      expect(final.counters).toMatchObject({
        connects: c.n,
        connect_failures: 0,
        retransmits,
        events_suppressed: 0,
        connects_untracked: 0,
      });
      expect(final.connlat!.total).toBe(c.n);
      const probes = seen.get('tcp/tcp_probe')!.length;
      expect(probes).toBeGreaterThan(0);
      expect(final.counters.rtt_hits).toBe(probes);
      expect(final.counters.rtt_samples).toBe(probes);
      expect(final.rtt!.total).toBe(probes);
      // mean and percentiles of the RTT from the records, of the connect latency from the events
      expect(final.rtt!.summary).toEqual(summaryOf(seen.get('tcp/tcp_probe')!.map((l) => field(l, 'srtt'))));
      expect(final.connlat!.summary).toEqual(summaryOf(connlat.map((e) => e.connect_latency_us as number)));
    });
  }

  it("a socket filter drops the server socket's segments: DROP events and drops = its sk_drops; states of one driven life cycle", async () => {
    const cport = clientPort++;
    const port = CLOSED + 3;
    // Every transition of either socket of the connection, as the kernel traces it, not the
    // listener's (its child's SYN_RECV is traced at the clone, as LISTEN -> SYN_RECV).
    const witness = traceWitness({
      'sock/inet_sock_set_state': `newstate != 10 && (oldstate != 10 || newstate != 7) && (sport == ${port} || dport == ${port} || sport == ${cport})`,
    });
    let transitions: string[] = [];
    let sockDrops = -1;
    const snmp: Record<string, Record<string, number>> = {};
    const run = await runWith(
      'tcp-perf-observer',
      [
        '-s',
        net.ipA,
        '-d',
        net.ipB,
        '-S',
        String(cport),
        '-D',
        String(port),
        '--connlat-threshold',
        HUGE,
        '--detail-rate',
        '0',
        '-o',
        'json',
      ],
      async () => {
        const server = driver(net.b.name, ['server', net.ipB, String(port)]);
        await server.line('ready');
        const client = driver(net.a.name, ['client', net.ipB, String(port), String(cport)]);
        await client.line('connected');
        await server.line('filtered');
        client.send('send');
        sockDrops = Number((await server.line('drops')).split(' ')[1]);
        expect(await client.line('reply')).toBe('reply 1000');
        server.send('end');
        for (const [side, d] of [
          ['a', client],
          ['b', server],
        ] as const)
          snmp[side] = delta(await d.line('snmp-start'), await d.line('snmp-end'));
        await Promise.all([client.exit, server.exit]);
        await settle();
        transitions = witness.stop().get('sock/inet_sock_set_state')!;
      },
    );
    const { events, final } = parse(run.json);
    const drops = events.filter((e) => e.event === 'DROP');
    expect(sockDrops).toBeGreaterThanOrEqual(1);
    const filtered = drops.filter((e) => e.reason === 'SOCKET_FILTER');
    expect(filtered).toHaveLength(sockDrops);
    expect(final.counters.drops).toBe(drops.length);
    for (const e of filtered)
      expect(e).toMatchObject({
        src_ip: net.ipB,
        src_port: port,
        dst_ip: net.ipA,
        dst_port: cport,
        state: 'ESTABLISHED',
        location: expect.stringMatching(/^tcp_v4_rcv\+/),
      });
    // The kernel also calls the free of a segment it processed in a closing state (a pure ACK in
    // CLOSE_WAIT/LAST_ACK, depending on ACK timing) a drop without a reason: reported, not in sk_drops.
    for (const e of drops.filter((e) => e.reason !== 'SOCKET_FILTER'))
      expect(e).toMatchObject({ reason: 'NOT_SPECIFIED', location: expect.stringMatching(/^tcp_rcv_state_process\+/) });
    // The life cycle the test drove: the client connects, half-closes first and closes when the
    // server has closed; the server's child goes SYN_RECV -> ESTABLISHED -> CLOSE_WAIT -> LAST_ACK -> CLOSE.
    const entered = (name: string) =>
      transitions.filter((l) => l.includes(`newstate=TCP_${name} `) || l.endsWith(`newstate=TCP_${name}`)).length;
    const states = (final as unknown as { states: Record<string, number> }).states;
    expect(states).toEqual({
      SYN_SENT: 1,
      SYN_RECV: 1,
      ESTABLISHED: 2,
      FIN_WAIT1: 1,
      FIN_WAIT2: 1,
      CLOSE: 2,
      CLOSE_WAIT: 1,
      LAST_ACK: 1,
      CLOSING: 0,
      LISTEN: 0,
    });
    for (const [name, n] of Object.entries(states)) expect([name, entered(name)]).toEqual([name, n]);
    // the namespaces' own counters: one active open (A), one passive open (B)
    expect([snmp.a.ActiveOpens, snmp.b.PassiveOpens, snmp.a.AttemptFails, snmp.b.AttemptFails]).toEqual([
      states.SYN_SENT,
      states.SYN_RECV,
      0,
      0,
    ]);
  });

  it('connects to a closed port are counted as failures, not latency samples', async () => {
    const first = clientPort;
    clientPort += 3;
    const run = await runWith('tcp-perf-observer', ['-d', net.ipB, '-D', String(CLOSED), '--connlat-threshold', '0', '-o', 'json'], () =>
      tcpClients(net.a, { to: net.ipB, port: CLOSED, connections: 3, fromPort: first }).then(
        () => expect.unreachable('the port is closed'),
        (err: Error) => expect(err.message).toMatch(/ECONNREFUSED/),
      ),
    );
    const { events, final } = parse(run.json);
    expect(events).toHaveLength(0);
    expect(final.counters).toMatchObject({ connects: 0, connect_failures: 3, drops: 0 });
    expect((final as unknown as { states: Record<string, number> }).states).toMatchObject({ SYN_SENT: 3, CLOSE: 3, ESTABLISHED: 0 });
  });

  it('a dropped data segment is retransmitted: RETRANS events of that flow, as many as the kernel retransmits', async () => {
    const cport = clientPort++;
    // Drop the flow's data segments (not the handshake or pure ACKs) at B's input for a second.
    const rule = `table inet ntrtx { chain in { type filter hook input priority 0; tcp dport ${PORT4} tcp sport ${cport} meta length > 200 drop; }; }`;
    const witness = traceWitness({ 'tcp/tcp_retransmit_skb': `sport == ${cport} && dport == ${PORT4}` });
    let hits: string[] = [];
    const run = await runWith(
      'tcp-perf-observer',
      ['-s', net.ipA, '-S', String(cport), '-D', String(PORT4), '-o', 'json'], // one socket: the client's
      async () => {
        net.b.exec('nft', ['-f', '-'], rule);
        const client = tcpClients(net.a, { to: net.ipB, port: PORT4, bytes: 1000, fromPort: cport });
        await sleep(1000);
        net.b.exec('nft', ['delete', 'table', 'inet', 'ntrtx']);
        expect((await client).replies).toEqual([1000]);
        await settle();
        hits = witness.stop().get('tcp/tcp_retransmit_skb')!;
      },
    );
    const { events, final } = parse(run.json);
    const retrans = events.filter((e) => e.event === 'RETRANS');
    expect(hits.length).toBeGreaterThanOrEqual(1);
    expect(retrans).toHaveLength(hits.length);
    expect(final.counters.retransmits).toBe(hits.length);
    for (const e of retrans) {
      expect(e).toMatchObject({ src_ip: net.ipA, src_port: cport, dst_ip: net.ipB, dst_port: PORT4, err: 0 });
      expect(['ESTABLISHED', 'FIN_WAIT1']).toContain(e.state);
      expect(e.total_retrans).toBeGreaterThanOrEqual(1);
    }
    // total_retrans counts up by one per retransmitted segment of this connection.
    expect(retrans.map((e) => e.total_retrans)).toEqual(retrans.map((_, i) => i + 1));
  });

  it('--detail-rate caps events in the kernel and counts the rest; --mode summary sends none', async () => {
    const a = clientPort;
    clientPort += 2;
    const capped = await runWith(
      'tcp-perf-observer',
      [
        '-d',
        net.ipB,
        '-D',
        String(PORT4),
        '-S',
        String(a),
        '--rtt-threshold',
        '0',
        '--connlat-threshold',
        HUGE,
        '--detail-rate',
        '3',
        '-o',
        'json',
      ],
      () => tcpClients(net.a, { to: net.ipB, port: PORT4, bytes: 2 << 20, fromPort: a }).then(() => undefined),
    );
    const c = parse(capped.json);
    expect(c.final.counters.rtt_samples).toBeGreaterThan(6);
    // Every RTT sample (threshold 0) and every retransmission of the flow asks for an event (a
    // 2 MiB transfer may retransmit on a loaded machine); the cap lets some through, counts the rest.
    expect(c.events.length + c.final.counters.events_suppressed).toBe(c.final.counters.rtt_samples + c.final.counters.retransmits);
    // The cap is 3 events per CPU per kernel second (a per-CPU window keyed by ktime seconds): in
    // every second the events span, at most 3 per CPU this machine has, whatever its CPU count.
    const perSecond = new Map<number, number>();
    for (const e of c.events) {
      const second = Math.floor((e.ts_ns as number) / 1e9);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    for (const n of perSecond.values()) expect(n).toBeLessThanOrEqual(3 * cpus);
    const rtt = c.events.filter((e) => e.event === 'RTT');
    expect(c.events.length - rtt.length).toBeLessThanOrEqual(c.final.counters.retransmits);
    expect(rtt.every((e) => (e.srtt_us as number) >= 0 && (e.snd_cwnd as number) > 0)).toBe(true);

    const summary = await runWith(
      'tcp-perf-observer',
      [
        '-d',
        net.ipB,
        '-D',
        String(PORT4),
        '-S',
        String(a + 1),
        '--rtt-threshold',
        '0',
        '--connlat-threshold',
        '0',
        '--mode',
        'summary',
        '-o',
        'json',
      ],
      () => tcpClients(net.a, { to: net.ipB, port: PORT4, bytes: 100_000, fromPort: a + 1 }).then(() => undefined),
    );
    const s = parse(summary.json);
    expect(s.events).toHaveLength(0);
    expect(s.final.counters.connects).toBe(1);
    expect(s.final.counters.rtt_samples).toBeGreaterThan(0);
  });

  it("BCC's spellings: --laddr/--raddr match either orientation, --sample-rate takes every Nth hit of each socket", async () => {
    const cport = clientPort++;
    const witness = traceWitness({
      'tcp/tcp_probe': `(sport == ${cport} && dport == ${PORT4}) || (sport == ${PORT4} && dport == ${cport})`,
    });
    let lines: string[] = [];
    const run = await runWith(
      'tcp-perf-observer',
      [
        '--laddr',
        net.ipA,
        '--raddr',
        net.ipB,
        '--lport',
        String(cport),
        '--rport',
        String(PORT4),
        '--sample-rate',
        '3',
        '--rtt-threshold-us',
        HUGE,
        '--connlat-threshold-us',
        HUGE,
        '-o',
        'json',
      ],
      async () => {
        await tcpClients(net.a, { to: net.ipB, port: PORT4, bytes: 1 << 20, fromPort: cport });
        await settle();
        lines = witness.stop().get('tcp/tcp_probe')!;
      },
    );
    const { events, final } = parse(run.json);
    const socket = (l: string) => Number(/ src=\S*:(\d+) /.exec(l)![1]);
    // both sockets of the connection: the client's (its ACKs) and the server's (the data)
    expect(new Set(lines.map(socket))).toEqual(new Set([cport, PORT4]));
    const sampled = [cport, PORT4].flatMap((p) => lines.filter((l) => socket(l) === p).filter((_, i) => i % 3 === 0));
    expect(final.counters).toMatchObject({ rtt_hits: lines.length, rtt_samples: sampled.length, connects: 1 });
    expect(final.rtt!.summary).toEqual(summaryOf(sampled.map((l) => field(l, 'srtt'))));
    // no RTT or CONNLAT event over the huge thresholds (RETRANS and DROP may happen on a loaded machine)
    expect(events.filter((e) => e.event === 'RTT' || e.event === 'CONNLAT')).toEqual([]);
  });

  it('table output: events as lines, then counters and histograms', async () => {
    const cport = clientPort++;
    const run = await runWith(
      'tcp-perf-observer',
      ['-d', net.ipB, '-D', String(PORT4), '-S', String(cport), '--connlat-threshold', '0', '--rtt-threshold', HUGE],
      () => tcpClients(net.a, { to: net.ipB, port: PORT4, bytes: 1000, fromPort: cport }).then(() => undefined),
    );
    const text = run.lines.join('\n');
    expect(text).toMatch(/^TIME\s+EVENT\s+LOCAL\s+REMOTE\s+STATE\s+US/m);
    expect(text).toMatch(
      new RegExp(
        `CONNLAT\\s+${net.ipA.replace(/\./g, '\\.')}:${cport}\\s+${net.ipB.replace(/\./g, '\\.')}:${PORT4}\\s+ESTABLISHED\\s+\\d+`,
      ),
    );
    expect(text).toMatch(/connects\s+1\n/);
    expect(text).toMatch(
      /Connect latency \(SYN_SENT -> ESTABLISHED\)\n {2}count 1 {2}mean \d+ us {2}p50 <= \d+ {2}p90 <= \d+ {2}p99 <= \d+\n\s+us\s+: count/,
    );
  });
});
