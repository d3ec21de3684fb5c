// The kprobe smoke check: runs fixtures/kprobe-smoke inside a VM around known traffic (tun packets
// and loopback pings) and returns the final counters, which must equal expectedSmokeCounts().

import type { SmokeCounts } from '../fixtures/kprobe-smoke/src/kprobe_smoke.gen.js';
import { runFixture } from './fixture-run.js';
import { EXTERNAL_BTF_NOTE, externalBtfAfterRefusal } from './module-btf.js';
import type { Cell } from './verify-gate.js';
import type { Vm } from './vm.js';

/** The fixture's counters, as bpf/kprobe_smoke.bpf.c declares them. */
export type { SmokeCounts } from '../fixtures/kprobe-smoke/src/kprobe_smoke.gen.js';

export interface SmokeTraffic {
  /** Echo requests sent into a tun device: one tun_net_xmit each. */
  tunPackets: number;
  /** Loopback pings: two ip_rcv each (request and reply). */
  loopbackPings: number;
}

export type SmokeResult =
  | { ran: true; counts: SmokeCounts; tunRead: number; degraded: string[]; stderr: string }
  | { ran: false; exitCode: number; stderr: string };

const IFF_TUN = 0x0001;
const IFF_NO_PI = 0x1000;

/** What the counters must be for this traffic, exactly. Without fentry on module functions
 * (no module BTF in the kernel) the optional fentry hook is missing and its counters stay 0. */
export function expectedSmokeCounts(t: SmokeTraffic, fentry = true): SmokeCounts {
  const fe = fentry ? t.tunPackets : 0;
  return {
    kp_ip_rcv: 2 * t.loopbackPings,
    fe_tun_xmit: fe,
    kp_tun_xmit: t.tunPackets,
    fe_tun_dev_ok: fe,
    kp_tun_dev_ok: t.tunPackets,
    tun_flags: IFF_TUN | IFF_NO_PI,
    tun_numqueues: 1,
  };
}

/** `btf`: an external BTF file (nettrace btf build) for kernels without module BTF. */
export async function runSmoke(vm: Vm, traffic: SmokeTraffic, btf?: string): Promise<SmokeResult> {
  const r = await runFixture(vm, {
    fixture: 'kprobe-smoke',
    traffic: [
      `tk-tun-traffic tksmoke0 10.230.0 ${traffic.tunPackets}`,
      `ping -q -n -c ${traffic.loopbackPings} -i 0.2 127.0.0.1 >/dev/null`,
    ],
    args: btf ? ['--btf', btf] : [],
  });
  if (!r.ran) return r;
  const counts = r.final.counts as SmokeCounts | undefined;
  if (!counts) throw new Error(`kprobe-smoke final record has no counts: ${JSON.stringify(r.final)}`);
  const tunRead = Number(/packets (\d+)/.exec(r.trafficOutput)?.[1] ?? Number.NaN);
  return { ran: true, counts, tunRead, degraded: (r.final.degraded as string[] | undefined) ?? [], stderr: r.stderr };
}

/** Where the kernel publishes no module BTF, the run without --btf must fail naming the module and
 * the fix; the counters come from a run with the BTF built from the -dbg package. */
export async function smokeCell(vm: Vm, traffic: SmokeTraffic = { tunPackets: 5, loopbackPings: 3 }): Promise<Cell> {
  const gate = await externalBtfAfterRefusal(vm, 'tun', () => runSmoke(vm, traffic));
  if ('failed' in gate) return gate.failed;
  const external = gate.btf;
  const r = await runSmoke(vm, traffic, external);
  if (!r.ran)
    return {
      state: 'failed',
      detail: `kernel ${vm.id}: kprobe-smoke did not run (exit ${r.exitCode})${external ? ` with --btf ${external}` : ''}:\n${r.stderr.trim()}`,
    };
  const fentry = vm.spec.facts.fentryOnModules;
  const problems = smokeProblems(r, traffic, fentry);
  if (problems.length === 0) return { state: 'events verified', detail: external ? EXTERNAL_BTF_NOTE : undefined };
  return { state: 'failed', detail: `kernel ${vm.id}: kprobe-smoke: ${problems.join(', ')}` };
}

/** Every way a run's result differs from what the traffic must give; empty when exact. */
export function smokeProblems(r: Extract<SmokeResult, { ran: true }>, traffic: SmokeTraffic, fentry: boolean): string[] {
  const want = expectedSmokeCounts(traffic, fentry);
  const problems = (Object.keys(want) as (keyof SmokeCounts)[])
    .filter((k) => r.counts[k] !== want[k])
    .map((k) => `${k}=${r.counts[k]} (expected ${want[k]})`);
  if (r.tunRead !== traffic.tunPackets) problems.push(`the tun reader got ${r.tunRead} packets (expected ${traffic.tunPackets})`);
  // Degraded exactly when the optional fentry hook cannot attach.
  if (fentry === r.degraded.length > 0)
    problems.push(`degraded=${JSON.stringify(r.degraded)} (expected ${fentry ? 'none' : 'the fentry hook'})`);
  return problems;
}
