// qdisc-drop-trace inside the test kernels: a burst of N UDP datagrams through a tbf with a
// one-packet bucket (tk-qdisc-drops) drops N - delivered of them, tc's own counter; the plugin must
// count exactly those, from whichever source the kernel offers: 6.1 and 6.12 report them with the
// QDISC_DROP drop reason, 5.10 has no drop reasons and must use the return code of
// __dev_queue_xmit. NETTRACE_AVOID proves the other rungs of the ladder on the same kernels.
import { expect } from 'vitest';
import { kernelSuite } from '../../../test-kernel/src/plugin-suite.js';
import { parseHelperOutput } from '../../../test-kernel/src/traffic.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';

const validate = schemaValidator('qdisc-drop-trace');

const N = 200;
const SIZE = 1000;
const FRAME = SIZE + 8 + 20 + 14;
const PORT = 9;

interface Plan {
  hook: string;
  chosen: { kind: string; target: string; program: string } | null;
  not_needed?: string;
}
interface Final {
  qdiscs: { interface: string; qdisc: string; kind: string; offered: number; drops: number; drop_bytes: number }[];
  totals: Record<string, number>;
}

kernelSuite('qdisc-drop-trace', (k) => {
  const burst = async (ns: string, subnet: string, env?: Record<string, string>) => {
    const r = await k.run({
      args: ['--summary', '-p', 'udp', '-D', String(PORT)],
      env,
      setup: [`tk-netns ${ns} ${subnet} >/dev/null`],
      traffic: [`tk-qdisc-drops ${ns} ${subnet} ${N} ${SIZE} ${PORT}`],
    });
    expect(r.exitCode, r.stderr).toBe(0);
    for (const rec of [r.header, r.final]) expect(validate(rec)).toBeUndefined();
    const tc = parseHelperOutput(r.trafficOutput);
    const [offered, delivered, dropped] = [Number(tc.offered), Number(tc.delivered), Number(tc.dropped)];
    expect(offered).toBe(N);
    expect(dropped).toBeGreaterThan(N / 2);
    expect(offered - delivered).toBe(dropped);
    const plan = (r.header as { plan: Plan[] }).plan;
    const final = r.final as unknown as Final;
    expect(final.qdiscs).toEqual([
      expect.objectContaining({
        interface: `v-${ns}`,
        qdisc: '8001:',
        kind: 'tbf',
        offered: N,
        drops: dropped,
        drop_bytes: dropped * FRAME,
      }),
    ]);
    return { plan, totals: final.totals, dropped };
  };
  const chosen = (plan: Plan[], hook: string) =>
    plan.find((h) => h.hook === hook)?.chosen?.program ?? plan.find((h) => h.hook === hook)?.not_needed;

  k.verify('N datagrams through a one-packet tbf: the drops tc counts, from the source this kernel offers', async () => {
    const { plan, totals, dropped } = await burst('qd1', '10.244.1');
    if (k.spec.id === '5.10') {
      // No drop reasons before 5.17 and no dev_qdisc_enqueue: __dev_queue_xmit's return code.
      expect(chosen(plan, 'qdisc drops')).toBe('nt_qdt_xmit_fx');
      expect(chosen(plan, '__dev_queue_xmit entry')).toBe('nt_qdt_xmit_fe');
      expect(totals).toMatchObject({ reason_drops: 0, enqueue_rc_drops: 0, xmit_rc_drops: dropped });
    } else {
      expect(chosen(plan, 'qdisc drops')).toBe('nt_qdt_btf');
      expect(chosen(plan, '__dev_queue_xmit entry')).toMatch(/^qdisc drops uses tp_btf/);
      expect(totals).toMatchObject({ reason_drops: dropped, enqueue_rc_drops: 0, xmit_rc_drops: 0 });
    }
    expect(totals.unmatched_returns + totals.too_deep + totals.untracked).toBe(0);
  });

  k.verify(
    'the return-code rungs count the same drops (fexit dev_qdisc_enqueue where it exists, kretprobe __dev_queue_xmit)',
    async () => {
      if (k.spec.id !== '5.10') {
        const enq = await burst('qd2', '10.244.2', { NETTRACE_AVOID: 'nt_qdt_btf,nt_qdt_tp' });
        expect(chosen(enq.plan, 'qdisc drops')).toBe('nt_qdt_enq_fx');
        expect(enq.totals).toMatchObject({ reason_drops: 0, enqueue_rc_drops: enq.dropped, xmit_rc_drops: 0 });
      }
      const kret = await burst('qd3', '10.244.3', { NETTRACE_AVOID: 'fentry,fexit,nt_qdt_btf,nt_qdt_tp' });
      expect(chosen(kret.plan, 'qdisc drops')).toBe('nt_qdt_xmit_kr');
      expect(chosen(kret.plan, '__dev_queue_xmit entry')).toBe('nt_qdt_xmit_kp');
      expect(kret.totals).toMatchObject({ reason_drops: 0, enqueue_rc_drops: 0, xmit_rc_drops: kret.dropped, unmatched_returns: 0 });
    },
    { everyKernel: true },
  ); // the rungs differ between kernels
});
