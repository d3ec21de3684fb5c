// tcp-send-rtt-inflight-hist inside the test kernels, on tcp_rate_skb_sent itself (fentry, or
// kprobe with NETTRACE_AVOID=fentry): a transfer of known size over one connection, and the
// witness is an ftrace kprobe on tcp_rate_skb_sent filtered on that socket's local port (its
// offset taken from the kernel's BTF), never the plugin: sends = the witness's hits, and with
// --sample-rate N each flow keeps ceil(sends / N) of them.
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
  inflight: { total: number; summary: { mean: number; p99: number } };
  cwnd: { total: number; summary: { mean: number } };
  bandwidth?: { total: number };
  flows: Record<string, number | string>[];
}
interface Plan {
  hook: string;
  chosen: { kind: string; target: string } | null;
}

kernelSuite('tcp-send-rtt-inflight-hist', (k) => {
  const transfer = async (ns: string, subnet: string, lport: number, args: string[], env?: Record<string, string>) => {
    const offset = await btfMemberOffset(k.vm().tree.vmlinux, 'sock.__sk_common.skc_num');
    const r = await k.run({
      args: ['--lport', String(lport), ...args],
      env,
      setup: [`tk-netns ${ns} ${subnet} >/dev/null`],
      traffic: [`tk-tcp-send ${ns} ${subnet} ${BYTES} ${lport} ${offset}`],
    });
    expect(r.exitCode, r.stderr).toBe(0);
    for (const rec of [r.header, r.final]) expect(validate(rec)).toBeUndefined();
    const sends = Number(parseHelperOutput(r.trafficOutput).sends);
    expect(sends).toBeGreaterThan(1);
    return { sends, final: r.final as unknown as Final, plan: (r.header as { plan: Plan[] }).plan };
  };

  k.verify('a 2 MB transfer: one sample per tcp_rate_skb_sent of the flow, the SYN without an RTT', async () => {
    const { sends, final, plan } = await transfer('ts1', '10.246.1', 42001, ['--bw-hist']);
    expect(plan[0].chosen).toMatchObject({ kind: 'fentry', target: 'tcp_rate_skb_sent' });
    expect(final.totals).toMatchObject({ sends, samples: sends - 1, no_rtt: 1, untracked: 0 });
    expect(final.flows).toEqual([expect.objectContaining({ flow: 'tcp 10.246.1.1:42001 -> 10.246.1.2:5202', sends, samples: sends - 1 })]);
    expect([final.rtt.total, final.inflight.total, final.cwnd.total]).toEqual([sends - 1, sends - 1, sends - 1]);
    // A bulk transfer keeps packets out at most sends, and the bandwidth needs them.
    expect(final.inflight.summary.p99).toBeGreaterThan(1);
    expect(final.bandwidth?.total).toBeGreaterThan(0);
    expect(final.bandwidth?.total).toBeLessThanOrEqual(sends - 1);
  });

  k.verify('--sample-rate 5 on the kprobe rung: ceil(sends / 5) of them, the first being the SYN', async () => {
    const { sends, final, plan } = await transfer('ts2', '10.246.2', 42002, ['--sample-rate', '5'], { NETTRACE_AVOID: 'fentry' });
    expect(plan[0].chosen).toMatchObject({ kind: 'kprobe', target: 'tcp_rate_skb_sent' });
    expect(final.totals).toMatchObject({ sends, samples: Math.ceil(sends / 5) - 1, no_rtt: 1 });
    expect(final.flows[0]).toMatchObject({ sends, samples: Math.ceil(sends / 5) - 1 });
  });
});
