// tcp-send-rtt-inflight-hist inside the test kernels, on tcp_rate_skb_sent itself (fentry, or
// kprobe with NETTRACE_AVOID=fentry): a transfer of known size over one connection, and the
// witness is an ftrace kprobe on tcp_rate_skb_sent filtered on that socket's local port (its
// offset taken from the kernel's BTF), never the plugin: sends = the witness's hits, and with
// --sample-rate N each flow keeps ceil(sends / N) of them. The main case's witness also reads each
// call's packets_out and srtt_us, so the in-flight histogram, its mean and the bandwidth samples are
// checked value for value (how many packets are out at a send depends on how fast ACKs come back,
// which under TCG can be "none" for a whole transfer).
import { HIST_SLOTS, histogramJson, log2Slot } from '@nettrace/core';
import { expect } from 'vitest';
import { btfMemberOffset } from '../../../test-kernel/src/btf-offsets.js';
import { kernelSuite } from '../../../test-kernel/src/plugin-suite.js';
import { parseHelperOutput } from '../../../test-kernel/src/traffic.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';

const validate = schemaValidator('tcp-send-rtt-inflight-hist');

const BYTES = 2_000_000;

interface Final {
  totals: Record<string, number>;
  rtt: { total: number; summary: { count: number; p50: number; p99: number } };
  inflight: { total: number; buckets: { low: number; high: number; count: number }[]; summary: { mean: number } };
  cwnd: { total: number; summary: { mean: number } };
  bandwidth?: { total: number };
  flows: Record<string, number | string>[];
}
interface Plan {
  hook: string;
  chosen: { kind: string; target: string } | null;
}

kernelSuite('tcp-send-rtt-inflight-hist', (k) => {
  const offsets = (...paths: string[]) => Promise.all(paths.map((p) => btfMemberOffset(k.vm().tree.vmlinux, p)));
  const transfer = async (ns: string, subnet: string, lport: number, args: string[], env?: Record<string, string>) => {
    const state = await offsets('sock.__sk_common.skc_num', 'tcp_sock.packets_out', 'tcp_sock.srtt_us');
    const r = await k.run({
      args: ['--lport', String(lport), ...args],
      env,
      setup: [`tk-netns ${ns} ${subnet} >/dev/null`],
      traffic: [`tk-tcp-send ${ns} ${subnet} ${BYTES} ${lport} ${state.join(' ')}`],
    });
    expect(r.exitCode, r.stderr).toBe(0);
    for (const rec of [r.header, r.final]) expect(validate(rec)).toBeUndefined();
    const out = parseHelperOutput(r.trafficOutput);
    const sends = Number(out.sends);
    expect(sends).toBeGreaterThan(1);
    // Each call's [packets_out, srtt in µs] as the plugin reads them (srtt_us is kept << 3).
    const calls = (out.state ?? '')
      .split(',')
      .map((c) => c.split(':').map(Number))
      .map(([p, s]) => [p, s >> 3]);
    expect(calls).toHaveLength(sends);
    return { sends, calls, final: r.final as unknown as Final, plan: (r.header as { plan: Plan[] }).plan };
  };
  /** `values` in the shared log2 histogram, in its JSON form (non-empty buckets, inclusive bounds). */
  const log2Buckets = (values: number[]) => {
    const counts = new Array<number>(HIST_SLOTS).fill(0);
    for (const v of values) counts[log2Slot(v)]++;
    return histogramJson({ label: 'inflight', unit: 'packets', kind: 'log2', counts }).buckets;
  };

  k.verify('a 2 MB transfer: one sample per tcp_rate_skb_sent of the flow, the SYN without an RTT', async () => {
    const { sends, calls, final, plan } = await transfer('ts1', '10.246.1', 42001, ['--bw-hist']);
    expect(plan[0].chosen).toMatchObject({ kind: 'fentry', target: 'tcp_rate_skb_sent' });
    // Only the SYN goes out before an RTT exists.
    const sampled = calls.filter(([, srtt]) => srtt > 0);
    expect(sampled).toHaveLength(sends - 1);
    expect(final.totals).toMatchObject({ sends, samples: sends - 1, no_rtt: 1, untracked: 0 });
    expect(final.flows).toEqual([expect.objectContaining({ flow: 'tcp 10.246.1.1:42001 -> 10.246.1.2:5202', sends, samples: sends - 1 })]);
    expect([final.rtt.total, final.inflight.total, final.cwnd.total]).toEqual([sends - 1, sends - 1, sends - 1]);
    const packetsOut = sampled.map(([p]) => p);
    expect(final.inflight.buckets).toEqual(log2Buckets(packetsOut));
    expect(final.inflight.summary.mean).toBeCloseTo(packetsOut.reduce((a, b) => a + b, 0) / packetsOut.length, 1);
    // The bandwidth needs packets out: one sample per send that had some.
    expect(final.bandwidth?.total).toBe(packetsOut.filter((p) => p > 0).length);
  });

  k.verify('--sample-rate 5 on the kprobe rung: ceil(sends / 5) of them, the first being the SYN', async () => {
    const { sends, final, plan } = await transfer('ts2', '10.246.2', 42002, ['--sample-rate', '5'], { NETTRACE_AVOID: 'fentry' });
    expect(plan[0].chosen).toMatchObject({ kind: 'kprobe', target: 'tcp_rate_skb_sent' });
    expect(final.totals).toMatchObject({ sends, samples: Math.ceil(sends / 5) - 1, no_rtt: 1 });
    expect(final.flows[0]).toMatchObject({ sends, samples: Math.ceil(sends / 5) - 1 });
  });
});
