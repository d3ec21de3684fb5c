// virtnet-irq-monitor: how often do the guest's virtio-net IRQ handlers run, on which CPUs, with
// which return value, for how long and how far apart? The kernel keeps cumulative per-(IRQ, CPU)
// counters; interval reports show the change since the previous report, the final one the run.
import {
  type BpfObject,
  columns,
  countersSection,
  definePlugin,
  type PluginContext,
  reportCounters,
  reportPeriod,
  sinceLastReport,
  tableSection,
  tracepointHook,
  U32Layout,
  UsageError,
  vocabulary,
} from '@nettrace/core';
import { liveSystem, type Selection, selectIrqs } from './irqs.js';
import { contract, createIrqVal, IrqGapLayout, IrqKeyLayout, type IrqVal, IrqValLayout } from './virtnet_irq_monitor.gen.js';

const MAX_IRQ = 8192;
/** Per IRQ: its (IRQ, CPU) entries summed (dur_max_ns: the largest), its spacing, calls per CPU. */
type Sums = IrqVal & { gap_sum_ns: number; gaps: number; cpus: Record<string, number> };
const selections = new WeakMap<BpfObject, Selection>();
const zero = (): Sums => ({ ...createIrqVal(), gap_sum_ns: 0, gaps: 0, cpus: {} });
const round3 = (n: number) => Math.round(n * 1000) / 1000;

const options = {
  irqs: {
    kind: 'string',
    long: 'irqs',
    description: "IRQs by number or /proc/interrupts name, comma separated (e.g. 38,virtio2-output.0), or 'all'",
  } as const,
  iface: vocabulary.iface({
    description: 'the virtio-net interface whose IRQs to trace (default: every virtio-net interface)',
    rodata: undefined,
  }),
  traceCpu: { kind: 'flag', long: 'trace-cpu', description: 'show the per-CPU distribution of calls', default: false } as const,
};

function collect(ctx: PluginContext<typeof options, typeof contract>) {
  const sel = selections.get(ctx.object) ?? selectIrqs(ctx.options.irqs, ctx.options.iface?.name, liveSystem);
  selections.set(ctx.object, sel);
  const now = new Map<number, Sums>();
  for (const irq of sel.irqs) now.set(irq, zero());
  for (const { key, value } of ctx.entries('stats', IrqKeyLayout, IrqValLayout)) {
    const s = now.get(key.irq) ?? zero();
    for (const f of Object.keys(value) as (keyof IrqVal)[]) if (f !== 'dur_max_ns') s[f] += value[f];
    s.cpus[key.cpu] = value.calls;
    s.dur_max_ns = Math.max(s.dur_max_ns, value.dur_max_ns);
    now.set(key.irq, s);
  }
  for (const { key: irq, value: g } of ctx.entries('gaps', U32Layout, IrqGapLayout)) {
    const s = now.get(irq);
    if (s) Object.assign(s, { gap_sum_ns: g.gap_sum_ns, gaps: g.gaps });
  }
  const names = liveSystem.interrupts();
  const counted = (Object.keys(zero()) as (keyof Sums)[]).filter((f) => f !== 'dur_max_ns');
  const report = sinceLastReport(ctx, 'irqs', new Map([...now].map(([irq, sums]) => [String(irq), sums])), counted);
  const rows = [...report.entries()]
    .map(([irq, s]) => [Number(irq), s] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([irq, s]) => {
      return {
        irq,
        name: names.get(irq)?.names.join(', ') ?? '?',
        calls: s.calls,
        cpus: s.cpus,
        handled: s.ret_handled,
        none: s.ret_none,
        wake_thread: s.ret_wake,
        other: s.ret_other,
        handled_pct: s.calls ? round3((100 * s.ret_handled) / s.calls) : 0,
        avg_us: s.paired ? round3(s.dur_sum_ns / s.paired / 1000) : 0,
        max_us: round3(s.dur_max_ns / 1000),
        avg_interval_us: s.gaps ? round3(s.gap_sum_ns / s.gaps / 1000) : 0,
      };
    })
    .filter((r) => !sel.all || r.calls > 0);
  const problems = reportCounters(ctx);
  const cpuText = (r: Record<string, unknown>) =>
    Object.entries(r.cpus as Record<string, number>)
      .map(([c, n]) => `${c}:${n}`)
      .join(' ');
  const irqColumns = columns({
    irq: 'IRQ',
    name: 'NAME',
    calls: 'CALLS',
    ...(ctx.options.traceCpu ? { cpus: { header: 'CPU:CALLS', value: cpuText } } : {}),
    handled_pct: 'HANDLED%',
    none: 'NONE',
    wake_thread: 'WAKE',
    avg_us: 'AVG_us',
    max_us: 'MAX_us',
    avg_interval_us: 'INTERVAL_us',
  });
  return {
    sections: [
      tableSection('irqs', `IRQ statistics, ${sel.label} (${reportPeriod(ctx)}; MAX_us since start)`, irqColumns, rows),
      countersSection('totals', {
        irqs: rows.length,
        calls: rows.reduce((n, r) => n + r.calls, 0),
        unpaired: problems.unpaired,
        untracked: problems.untracked,
      }),
    ],
  };
}

export default definePlugin({
  id: 'virtnet-irq-monitor',
  summary: "IRQ handler calls, CPUs, return values, duration and spacing for the guest's virtio-net IRQs",
  description:
    'Hooks irq:irq_handler_entry/exit (tp_btf, else raw_tp, else the tracepoints). By default traces every IRQ of every virtio-net device (names virtioN-input.K / -output.K / -config in /proc/interrupts); --interface picks one device, --irqs any IRQs by number or name.',
  contract,
  options,
  defaultInterval: 5,
  hooks: [tracepointHook('irq_handler_entry', 'irq/irq_handler_entry'), tracepointHook('irq_handler_exit', 'irq/irq_handler_exit')],
  configure(cfg, o) {
    // Names and devices are resolved against /proc/interrupts and /sys here, before load: the
    // kernel filter is a bitmap of IRQ numbers.
    const sel = selectIrqs(o.irqs, o.iface?.name, liveSystem);
    if (sel.all) return void cfg.set('cfg_all_irqs', 1);
    const mask = new Uint8Array(MAX_IRQ / 8);
    for (const irq of sel.irqs) {
      if (irq >= MAX_IRQ) throw new UsageError(`--irqs: IRQ ${irq} is above the traceable range (< ${MAX_IRQ})`);
      mask[irq >> 3] |= 1 << (irq & 7);
    }
    cfg.set('cfg_irq_mask', mask);
  },
  output: { kind: 'report', collect },
});
