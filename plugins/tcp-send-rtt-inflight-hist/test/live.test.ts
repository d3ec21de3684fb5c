// Live kernel: no fentry or kprobes here, so sends are counted on the degraded path
// (net:net_dev_start_xmit with skb->sk). R request/response rounds on one connection leave as R
// data segments plus the SYN; the client socket's own TCP_INFO (data_segs_out, read with ss before
// it aborts) is the witness. Sampling every Nth send keeps ceil(sends / N).

import { type VethPair, vethPair } from '@nettrace/plugin-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runWith } from '../../../tooling/test-support/run.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';
import { type Rounds, tcpRounds } from '../../../tooling/test-support/tcp.js';
import { traceWitness } from '../../../tooling/test-support/tracefs.js';

const ROUNDS = 40;
const BYTES = 1000;

let net: VethPair;
beforeAll(() => {
  net = vethPair();
});
afterAll(() => net.cleanup());

interface Final {
  totals: Record<string, number>;
  rtt: { total: number; summary: { count: number; mean: number; p50: number; p90: number; p99: number } };
  inflight: { total: number };
  cwnd: { total: number; summary: { mean: number } };
  bandwidth?: { total: number };
  flows: Record<string, number | string>[];
}

let port = 41000;
const rounds = (fromPort: number) => tcpRounds(net.a, net.b, { to: net.ipB, port: 5300, fromPort, rounds: ROUNDS, bytes: BYTES });

describe('tcp-send-rtt-inflight-hist on the live kernel (degraded: device transmits)', () => {
  it('counts each send of the flow once: data segments + the SYN, all sampled', async () => {
    const from = port++;
    let witness: Rounds = { dataSegsOut: 0, dataSegsIn: 0, segsOut: 0, bytesSent: 0 };
    const run = await runWith('tcp-send-rtt-inflight-hist', ['--lport', String(from), '--bw-hist', '-o', 'json'], async () => {
      witness = await rounds(from);
    });
    const validate = schemaValidator('tcp-send-rtt-inflight-hist');
    for (const r of run.json) expect(validate(r)).toBeUndefined();
    const header = run.json.find((r) => r.type === 'header') as { plan: { hook: string; chosen: { kind: string; target: string } }[] };
    expect(header.plan[0].chosen).toMatchObject({ kind: 'tp_btf', target: 'net_dev_start_xmit' });
    const final = run.json.find((r) => r.type === 'final') as unknown as Final & { degraded: string[] };
    expect(final.degraded[0]).toMatch(/^tcp sends via tp_btf:net\/net_dev_start_xmit: sends are counted where they reach a driver/);
    expect(witness.dataSegsOut).toBe(ROUNDS);
    expect(witness.bytesSent).toBe(ROUNDS * BYTES);
    const sends = witness.dataSegsOut + 1; // the SYN
    expect(final.totals).toMatchObject({ sends, samples: sends - 1, no_rtt: 1, retransmits: 0, untracked: 0 });
    expect(final.flows).toEqual([
      expect.objectContaining({ flow: `tcp ${net.ipA}:${from} -> ${net.ipB}:5300`, sends, samples: sends - 1 }),
    ]);
    // Every sample is in each histogram; a ping-pong keeps at most one packet out.
    expect([final.rtt.total, final.inflight.total, final.cwnd.total]).toEqual([sends - 1, sends - 1, sends - 1]);
    expect(final.rtt.summary.p50).toBeLessThanOrEqual(final.rtt.summary.p99);
    expect(final.bandwidth?.total).toBe(0); // packets_out is 0 at each send of a ping-pong: no bandwidth
  }, 60_000);

  it('--sample-rate N keeps every Nth send of each flow; --laddr and --raddr (BCC) match both ends of the pair', async () => {
    const from = port++;
    let witness: Rounds = { dataSegsOut: 0, dataSegsIn: 0, segsOut: 0, bytesSent: 0 };
    const run = await runWith(
      'tcp-send-rtt-inflight-hist',
      ['--laddr', net.ipA, '--raddr', net.ipB, '--sample-rate', '3', '-o', 'json'],
      async () => {
        witness = await rounds(from);
      },
    );
    const final = run.json.find((r) => r.type === 'final') as unknown as Final;
    const client = witness.dataSegsOut + 1; // + the SYN
    const server = witness.dataSegsIn; // its one-byte answers (the SYN-ACK is not a tcp_rate_skb_sent)
    expect(server).toBe(ROUNDS);
    const flow = (src: string, sp: number, dst: string, dp: number) =>
      final.flows.find((f) => f.flow === `tcp ${src}:${sp} -> ${dst}:${dp}`);
    expect(flow(net.ipA, from, net.ipB, 5300)).toMatchObject({ sends: client, samples: Math.ceil(client / 3) - 1 }); // the SYN has no RTT yet
    expect(flow(net.ipB, 5300, net.ipA, from)).toMatchObject({ sends: server, samples: Math.ceil(server / 3) });
    expect(final.totals).toMatchObject({ sends: client + server, no_rtt: 1, samples: Math.ceil(client / 3) - 1 + Math.ceil(server / 3) });
  }, 60_000);

  it('counts the retransmissions of each flow: the tcp_retransmit_skb hits the kernel traced for it (ftrace witness)', async () => {
    const from = port++;
    let witness: Rounds = { dataSegsOut: 0, dataSegsIn: 0, segsOut: 0, bytesSent: 0 };
    const rtx = traceWitness({ 'tcp/tcp_retransmit_skb': `sport == ${from}` });
    let hits = 0;
    try {
      const run = await runWith('tcp-send-rtt-inflight-hist', ['--lport', String(from), '-o', 'json'], async () => {
        // Mid-transfer the peer's end goes down for 1.5 s: the next request is lost and retransmitted.
        const down = () => {
          net.b.ip('link', 'set', net.devB, 'down');
          setTimeout(() => net.b.ip('link', 'set', net.devB, 'up'), 1500);
        };
        witness = await tcpRounds(
          net.a,
          net.b,
          { to: net.ipB, port: 5300, fromPort: from, rounds: ROUNDS, bytes: BYTES, pauseAfter: 10, pauseMs: 500 },
          down,
        );
      });
      hits = rtx.stop().get('tcp/tcp_retransmit_skb')?.length ?? 0;
      const final = run.json.find((r) => r.type === 'final') as unknown as Final;
      expect(hits).toBeGreaterThan(0);
      expect(final.totals.retransmits).toBe(hits);
      expect(final.flows[0].retransmits).toBe(hits);
      // Degraded: a link down swaps in the noop qdisc, which drops lost copies before the driver,
      // so the driver saw each request at least once and at most every copy TCP sent (exactly
      // ROUNDS + 1 when every retransmission but the last fell while the link was down).
      const sends = final.flows[0].sends as number;
      expect(sends).toBeGreaterThanOrEqual(ROUNDS + 1);
      expect(sends).toBeLessThanOrEqual(witness.dataSegsOut + 1);
    } finally {
      if (!hits) rtx.stop();
    }
  }, 60_000);

  it('a filter that matches no socket counts nothing', async () => {
    const from = port++;
    const run = await runWith('tcp-send-rtt-inflight-hist', ['--lport', String(from + 100), '-o', 'json'], () =>
      rounds(from).then(() => {}),
    );
    expect((run.json.find((r) => r.type === 'final') as unknown as Final).totals.sends).toBe(0);
  }, 60_000);

  it('interval reports hold their own sends; the final report the whole run; text shows the percentiles', async () => {
    const from = port++;
    let total = 0;
    const run = await runCli(
      'tcp-send-rtt-inflight-hist',
      ['--lport', String(from), '-i', '1'],
      async () => {
        total += (await rounds(from)).dataSegsOut + 1;
        await new Promise((r) => setTimeout(r, 2500));
        total += (await rounds(from + 1000)).dataSegsOut; // another port: not counted
      },
      1500,
    );
    expect(run.code, run.stderr).toBe(0);
    const intervals = run.json.filter((r) => r.type === 'interval') as unknown as Final[];
    const perInterval = intervals.map((i) => i.totals.sends).filter(Boolean);
    expect(perInterval.reduce((a, b) => a + b, 0)).toBe(ROUNDS + 1);
    expect((run.json.find((r) => r.type === 'final') as unknown as Final).totals.sends).toBe(ROUNDS + 1);
    expect(total).toBeGreaterThan(ROUNDS);

    const text = await runWith('tcp-send-rtt-inflight-hist', ['--lport', String(port)], () => rounds(port++).then(() => {}));
    const out = text.lines.join('\n');
    expect(out).toMatch(/Smoothed RTT at send\n {2}count \d+ {2}mean [\d.]+ us {2}p50 <= \d+ {2}p90 <= \d+ {2}p99 <= \d+/);
    expect(out).toMatch(/FLOW\s+SENDS\s+SAMPLES\s+RETRANSMITS/);
  }, 90_000);
});
