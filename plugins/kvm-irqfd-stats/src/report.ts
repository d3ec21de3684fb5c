// The report: rows per waking thread and GSI, deferred injections per GSI, kicks per vCPU. The
// kernel keeps cumulative counts; interval reports show that interval's, the final one the whole
// run (core's sinceLastReport mechanism).
import {
  columns,
  countersSection,
  entriesSinceLastReport,
  type PluginContext,
  percent,
  reportCounters,
  reportPeriod,
  tableSection,
  U32Layout,
  U64Layout,
} from '@nettrace/core';
import type { options } from './hooks.js';
import { type contract, type WakeKey, WakeKeyLayout, type WakeVal, WakeValLayout } from './kvm_irqfd_stats.gen.js';

export const CATEGORIES = ['other', 'data', 'control'] as const;
export const SUBCATEGORIES = ['', 'rx', 'tx'] as const;
const GSI_UNKNOWN = 0xffffffff;

export type Ctx = PluginContext<typeof options, typeof contract>;

/** A u32 → u64 count map (slow_path, vcpu_kicks; kvm-irqfd-stats-arm's vgic_queued) as rows
 * `{ [name]: key, count }` of this report, by key. */
export function countRows(ctx: PluginContext<typeof options>, map: string, name: string): Record<string, number>[] {
  const entries = ctx.entries(map, U32Layout, U64Layout).map((e) => ({ ...e, value: { count: e.value } }));
  return entriesSinceLastReport(ctx, map, entries, ['count'])
    .map((e) => ({ [name]: e.key, count: e.value.count }))
    .filter((r) => r.count > 0)
    .sort((x, y) => (x[name] ?? 0) - (y[name] ?? 0));
}

/** One report row: the key's identity and the period's counts. */
function row(k: WakeKey, d: WakeVal, period: number) {
  const unknown = k.gsi === GSI_UNKNOWN;
  return {
    gsi: unknown ? null : k.gsi,
    ...(unknown ? { msi_dest: k.msi_dest, msi_vector: k.msi_vector } : {}),
    category: CATEGORIES[k.category] ?? 'other',
    subcategory: SUBCATEGORIES[k.subcategory] || null,
    comm: k.comm,
    tid: k.tid,
    pid: k.tgid,
    cpu: k.cpu,
    interrupts: d.wakeups,
    rate_per_s: Math.round((100 * d.wakeups) / period) / 100,
    inatomic: d.inatomic,
    inline: d.inline_ok,
    inline_pct: percent(d.inline_ok, d.inatomic),
    deferred: d.deferred,
    undelivered: d.undelivered,
    vcpus: d.vcpus,
    kicks: d.kicks,
  };
}
type Row = ReturnType<typeof row>;

const byIdentity = (a: Row, b: Row) =>
  (a.gsi ?? -1) - (b.gsi ?? -1) ||
  (a.msi_dest ?? 0) - (b.msi_dest ?? 0) ||
  (a.msi_vector ?? 0) - (b.msi_vector ?? 0) ||
  a.tid - b.tid ||
  a.cpu - b.cpu;

const INTERRUPT_COLUMNS = columns({
  gsi: {
    header: 'GSI',
    value: (r) => (r.gsi === null ? `msi ${r.msi_dest}/0x${Number(r.msi_vector).toString(16)}` : String(r.gsi)),
  },
  category: { header: 'CATEGORY', value: (r) => (r.subcategory ? `${r.category}/${r.subcategory}` : String(r.category)) },
  comm: { header: 'THREAD', value: (r) => `${r.comm}:${r.tid}` },
  cpu: 'CPU',
  interrupts: 'IRQS',
  rate_per_s: 'RATE/s',
  inline_pct: 'INLINE%',
  deferred: 'DEFERRED',
  vcpus: 'VCPUS',
  kicks: 'KICKS',
});

const WAKE_COUNTS = ['wakeups', 'inatomic', 'inline_ok', 'deferred', 'undelivered', 'vcpus', 'kicks'] as const;

export function collect(ctx: Ctx) {
  const rows = entriesSinceLastReport(ctx, 'wakes', ctx.entries('wakes', WakeKeyLayout, WakeValLayout), WAKE_COUNTS)
    .map(({ key, value }) => row(key, value, ctx.periodSeconds || 1))
    .filter((r) => r.interrupts > 0)
    .sort(byIdentity);
  const sum = (f: 'interrupts' | 'inline' | 'deferred' | 'kicks') => rows.reduce((n, r) => n + r[f], 0);
  const where = `VM of QEMU_PID ${ctx.options.qemuPid}, ${reportPeriod(ctx)}`;
  return {
    sections: [
      tableSection('interrupts', `irqfd interrupts per thread, GSI and CPU (${where})`, INTERRUPT_COLUMNS, rows),
      tableSection(
        'slow_path',
        'deferred injections reaching kvm_set_msi, per GSI',
        columns({ gsi: 'GSI', count: 'KVM_SET_MSI' }),
        countRows(ctx, 'slow_path', 'gsi'),
      ),
      tableSection(
        'vcpu_kicks',
        "kicks of the VM's vCPUs (all causes)",
        columns({ vcpu: 'VCPU', count: 'KICKS' }),
        countRows(ctx, 'vcpu_kicks', 'vcpu'),
      ),
      countersSection('totals', {
        interrupts: sum('interrupts'),
        inline: sum('inline'),
        deferred: sum('deferred'),
        kicks_in_delivery: sum('kicks'),
        ...reportCounters(ctx),
      }),
    ],
  };
}
