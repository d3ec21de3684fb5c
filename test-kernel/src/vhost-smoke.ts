// The vhost smoke check: runs fixtures/vhost-smoke inside a VM around pings into a vhost-net device
// driven from user space (tk-vhost-traffic -x: rx queue with a call eventfd, tx queue without) and
// compares each counter slot (fentry, kprobe) with the traffic and with what the driver reports.
import type { VhostSmokeCounts } from '../fixtures/vhost-smoke/src/vhost_smoke.gen.js';
import { runFixture } from './fixture-run.js';
import { EXTERNAL_BTF_NOTE, externalBtfAfterRefusal } from './module-btf.js';
import { type VhostTrafficResult, vhostTrafficResults } from './traffic.js';
import type { Cell } from './verify-gate.js';
import type { Vm } from './vm.js';

/** One slot of the fixture's counters (see bpf/vhost_smoke.bpf.c for each meaning). */
export type VhostCounts = VhostSmokeCounts;

export interface VhostTraffic {
  tap: string;
  subnet: string;
  /** Echo requests into the tap: one receive buffer used each. */
  pings: number;
}

/** tk-vhost-net's ring size (QSIZE) and transmit frames (-t 1). */
export const VHOST_RING = 64;
const TX_FRAMES = 1;

export const VHOST_SMOKE_TRAFFIC: VhostTraffic = { tap: 'tkvs0', subnet: '10.236.0', pings: 6 };

export type VhostResult =
  | {
      ran: true;
      fentry: VhostCounts;
      kprobe: VhostCounts;
      driver: VhostTrafficResult;
      degraded: string[];
      stderr: string;
    }
  | { ran: false; exitCode: number; stderr: string };

export async function runVhostSmoke(vm: Vm, t: VhostTraffic, btf?: string): Promise<VhostResult> {
  const r = await runFixture(vm, {
    fixture: 'vhost-smoke',
    traffic: [`tk-vhost-traffic -x ${t.tap} ${t.subnet} ${t.pings}`],
    args: btf ? ['--btf', btf] : [],
  });
  if (!r.ran) return r;
  const { fentry, kprobe } = r.final as { fentry?: VhostCounts; kprobe?: VhostCounts };
  if (!fentry || !kprobe) throw new Error(`vhost-smoke final record lacks its counters: ${JSON.stringify(r.final)}`);
  const driver = vhostTrafficResults(r.trafficOutput)[0];
  if (!driver) throw new Error(`vhost-smoke: no result line from tk-vhost-traffic in:\n${r.trafficOutput}`);
  return { ran: true, fentry, kprobe, driver, degraded: (r.final.degraded as string[] | undefined) ?? [], stderr: r.stderr };
}

/** What one active slot must show: exact sums and every cross-check true for every call. The
 * number of signal calls depends on batching, so those are compared with each other, bounded. */
export function vhostSlotProblems(c: VhostCounts, t: VhostTraffic): string[] {
  const calls = c.rx_calls + c.tx_calls;
  const want: Partial<Record<keyof VhostCounts, number>> = {
    rx_used: t.pings,
    tx_used: TX_FRAMES,
    tx_calls: TX_FRAMES,
    other_calls: 0,
    sig_calls: calls,
    vq_dev_ok: calls,
    dev_vq_ok: calls,
    idx_ok: calls,
    priv_set: calls,
    rx_call_set: c.rx_calls,
    tx_call_set: 0, // -x: the tx queue has no call eventfd
    rx_net_ok: c.rx_calls,
    rx_num: VHOST_RING,
    tx_num: VHOST_RING,
    hrx_ok: c.hrx_calls,
    nvqs: 2,
  };
  const problems = (Object.keys(want) as (keyof VhostCounts)[])
    .filter((k) => c[k] !== want[k])
    .map((k) => `${k}=${c[k]} (expected ${want[k]})`);
  if (c.rx_calls < 1 || c.rx_calls > t.pings) problems.push(`rx_calls=${c.rx_calls} (expected 1..${t.pings})`);
  if (c.hrx_calls < 1) problems.push('hrx_calls=0 (expected handle_rx calls)');
  return problems;
}

/** Every way a run differs from what the traffic must give; empty when exact. */
export function vhostProblems(r: Extract<VhostResult, { ran: true }>, t: VhostTraffic, fentry: boolean): string[] {
  const problems = vhostSlotProblems(r.kprobe, t).map((p) => `kprobe ${p}`);
  if (fentry) {
    problems.push(...vhostSlotProblems(r.fentry, t).map((p) => `fentry ${p}`));
    // Both programs see the same calls, so the slots must be identical.
    if (JSON.stringify(r.fentry) !== JSON.stringify(r.kprobe))
      problems.push(`fentry ${JSON.stringify(r.fentry)} differs from kprobe ${JSON.stringify(r.kprobe)}`);
  } else if (Object.values(r.fentry).some((v) => v !== 0)) {
    problems.push(`fentry counters ${JSON.stringify(r.fentry)} (expected all 0: no fentry on modules here)`);
  }
  const d = r.driver;
  if (d.rxUsed !== t.pings || d.txUsed !== TX_FRAMES)
    problems.push(`the driver says rx_used ${d.rxUsed} tx_used ${d.txUsed} (expected ${t.pings}, ${TX_FRAMES})`);
  // No EVENT_IDX and interrupts wanted: every rx signal call with a call eventfd signals it once,
  // which the driver counts exactly (the sum of its eventfd reads; a read can merge signals).
  if (d.rxSignals !== r.kprobe.rx_call_set || d.txSignals !== 0)
    problems.push(`the driver counted ${d.rxSignals} rx and ${d.txSignals} tx signals (expected rx_call_set ${r.kprobe.rx_call_set}, 0)`);
  const degraded = fentry ? 0 : 2; // the two fentry hooks
  if (r.degraded.length !== degraded)
    problems.push(`degraded=${JSON.stringify(r.degraded)} (expected ${fentry ? 'none' : 'the two fentry hooks'})`);
  return problems;
}

/** The matrix cell. Without module BTF (5.10) the run without --btf must fail naming vhost and
 * vhost_net and the fix; the counters then come from a run with `nettrace btf build`'s BTF. */
export async function vhostSmokeCell(vm: Vm, t: VhostTraffic = VHOST_SMOKE_TRAFFIC): Promise<Cell> {
  const gate = await externalBtfAfterRefusal(vm, ['vhost', 'vhost_net'], () => runVhostSmoke(vm, t));
  if ('failed' in gate) return gate.failed;
  const btf = gate.btf;
  const r = await runVhostSmoke(vm, t, btf);
  if (!r.ran)
    return {
      state: 'failed',
      detail: `kernel ${vm.id}: vhost-smoke did not run (exit ${r.exitCode})${btf ? ` with --btf ${btf}` : ''}:\n${r.stderr.trim()}`,
    };
  const problems = vhostProblems(r, t, vm.spec.facts.fentryOnModules);
  if (problems.length === 0)
    return {
      state: 'events verified',
      detail: btf ? EXTERNAL_BTF_NOTE : undefined,
    };
  return { state: 'failed', detail: `kernel ${vm.id}: vhost-smoke: ${problems.join(', ')}` };
}
