// The kvm irqfd smoke check: runs fixtures/kvm-smoke inside a VM around tk-irqfd (a KVM VM with an
// in-kernel irqchip, an eventfd bound to a GSI with KVM_IRQFD, N writes). A decoy run on another
// GSI comes first, so the GSI read must tell the two apart. Each counter slot (fentry, kprobe)
// must equal the writes exactly, and the VM owner's pid read through irqfd->kvm must be tk-irqfd's.
import type { KvmSmokeCounts } from '../fixtures/kvm-smoke/src/kvm_smoke.gen.js';
import { runFixture } from './fixture-run.js';
import { EXTERNAL_BTF_NOTE, externalBtfAfterRefusal } from './module-btf.js';
import type { Cell } from './verify-gate.js';
import type { Vm } from './vm.js';

/** One slot of the fixture's counters (see bpf/kvm_smoke.bpf.c for each meaning). */
export type KvmCounts = KvmSmokeCounts;

export interface KvmTraffic {
  /** The GSI the fixture checks (--gsi) and the eventfd writes tk-irqfd makes on it. */
  gsi: number;
  writes: number;
  /** A run before it on another GSI, which only the unfiltered counters may see. */
  decoyGsi: number;
  decoyWrites: number;
}

// GSIs the in-kernel irqchip routes by default (IOAPIC pins 0-23).
export const KVM_SMOKE_TRAFFIC: KvmTraffic = { gsi: 5, writes: 4, decoyGsi: 9, decoyWrites: 2 };

/** One tk-irqfd line: "pid P gsi G writes W". */
export interface IrqfdRun {
  pid: number;
  gsi: number;
  writes: number;
}

export type KvmResult =
  | { ran: true; fentry: KvmCounts; kprobe: KvmCounts; runs: IrqfdRun[]; degraded: string[]; stderr: string }
  | { ran: false; exitCode: number; stderr: string };

function irqfdRuns(out: string): IrqfdRun[] {
  return [...out.matchAll(/^pid (\d+) gsi (\d+) writes (\d+)$/gm)].map((m) => ({
    pid: Number(m[1]),
    gsi: Number(m[2]),
    writes: Number(m[3]),
  }));
}

export async function runKvmSmoke(vm: Vm, t: KvmTraffic, btf?: string): Promise<KvmResult> {
  const r = await runFixture(vm, {
    fixture: 'kvm-smoke',
    traffic: [`tk-irqfd ${t.decoyGsi} ${t.decoyWrites}`, `tk-irqfd ${t.gsi} ${t.writes}`],
    args: ['--gsi', String(t.gsi), ...(btf ? ['--btf', btf] : [])],
  });
  if (!r.ran) return r;
  const { fentry, kprobe } = r.final as { fentry?: KvmCounts; kprobe?: KvmCounts };
  if (!fentry || !kprobe) throw new Error(`kvm-smoke final record lacks its counters: ${JSON.stringify(r.final)}`);
  return {
    ran: true,
    fentry,
    kprobe,
    runs: irqfdRuns(r.trafficOutput),
    degraded: (r.final.degraded as string[] | undefined) ?? [],
    stderr: r.stderr,
  };
}

/** What an active slot must show, exactly; `pid` is tk-irqfd's on the checked GSI. */
export function expectedKvmCounts(t: KvmTraffic, pid: number): KvmCounts {
  const all = t.writes + t.decoyWrites;
  const n = t.writes;
  return {
    wakeups: all,
    pollin: all,
    other: 0,
    gsi_seen: t.gsi,
    match: n,
    kvm_set: n,
    kvm_same: n,
    mm_ok: n,
    eventfd_set: n,
    eventfd_same: n,
    pid,
  };
}

const ZERO: KvmCounts = expectedKvmCounts({ gsi: 0, writes: 0, decoyGsi: 0, decoyWrites: 0 }, 0);

/** kernels.json quirk: fentry on irqfd_wakeup attaches but never runs (6.12 here). */
export const FENTRY_SILENT_QUIRK = 'fentry-silent-irqfd_wakeup';

/**
 * Every way a run differs from what the traffic must give; empty when exact. `fentry`: the
 * kernel can hook module functions with fentry; `fentrySilent`: the quirk above, where the
 * fentry slot must stay empty although attached (and must not start counting unnoticed).
 */
export function kvmProblems(r: Extract<KvmResult, { ran: true }>, t: KvmTraffic, fentry: boolean, fentrySilent = false): string[] {
  const problems: string[] = [];
  const want = [
    { gsi: t.decoyGsi, writes: t.decoyWrites },
    { gsi: t.gsi, writes: t.writes },
  ];
  const got = r.runs.map(({ gsi, writes }) => ({ gsi, writes }));
  if (JSON.stringify(got) !== JSON.stringify(want))
    problems.push(`tk-irqfd reported ${JSON.stringify(got)} (expected ${JSON.stringify(want)})`);
  const pid = r.runs[1]?.pid ?? -1;
  const fentryRuns = fentry && !fentrySilent;
  const slots: [string, KvmCounts, KvmCounts][] = [
    ['kprobe', r.kprobe, expectedKvmCounts(t, pid)],
    ['fentry', r.fentry, fentryRuns ? expectedKvmCounts(t, pid) : ZERO],
  ];
  for (const [label, c, w] of slots) {
    // An attached program that never ran is one finding, not eleven wrong counters.
    if (label === 'fentry' && fentryRuns && c.wakeups === 0 && r.kprobe.wakeups > 0) {
      problems.push(`the fentry program on irqfd_wakeup attached but never ran (the kprobe saw ${r.kprobe.wakeups} wake-ups)`);
      continue;
    }
    if (label === 'fentry' && fentrySilent && c.wakeups > 0) {
      problems.push(`fentry on irqfd_wakeup now runs (${c.wakeups} wake-ups): drop the ${FENTRY_SILENT_QUIRK} quirk from kernels.json`);
      continue;
    }
    for (const k of Object.keys(w) as (keyof KvmCounts)[]) if (c[k] !== w[k]) problems.push(`${label} ${k}=${c[k]} (expected ${w[k]})`);
  }
  // Where fentry is silent, the runner finds its trampoline never armed and drops the hook (the
  // run is degraded, the kprobe counts): core's check that an fentry really runs.
  if (fentryRuns === r.degraded.length > 0)
    problems.push(`degraded=${JSON.stringify(r.degraded)} (expected ${fentryRuns ? 'none' : 'the fentry hook'})`);
  return problems;
}

/** The matrix cell. Without module BTF (5.10) the run without --btf must fail naming kvm and the
 * fix; the counters then come from a run with `nettrace btf build`'s BTF. */
export async function kvmSmokeCell(vm: Vm, t: KvmTraffic = KVM_SMOKE_TRAFFIC): Promise<Cell> {
  const gate = await externalBtfAfterRefusal(vm, 'kvm', () => runKvmSmoke(vm, t));
  if ('failed' in gate) return gate.failed;
  const btf = gate.btf;
  const r = await runKvmSmoke(vm, t, btf);
  if (!r.ran)
    return {
      state: 'failed',
      detail: `kernel ${vm.id}: kvm-smoke did not run (exit ${r.exitCode})${btf ? ` with --btf ${btf}` : ''}:\n${r.stderr.trim()}`,
    };
  const silent = vm.spec.quirks.includes(FENTRY_SILENT_QUIRK);
  const problems = kvmProblems(r, t, vm.spec.facts.fentryOnModules, silent);
  if (problems.length === 0)
    return {
      state: 'events verified',
      detail: btf
        ? EXTERNAL_BTF_NOTE
        : silent
          ? `fentry attaches but is never armed here (${FENTRY_SILENT_QUIRK}): the run drops it and the kprobe counts exactly`
          : undefined,
    };
  return { state: 'failed', detail: `kernel ${vm.id}: kvm-smoke: ${problems.join(', ')}` };
}
