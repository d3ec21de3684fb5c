// virtnet-irq-monitor: how often do the guest's virtio-net IRQ handlers run, on which CPUs, with
// which return value, for how long and how far apart? The kernel keeps cumulative per-(IRQ, CPU)
// counters; interval reports show the change since the previous report, the final one the run.
import { type BpfObject, definePlugin, type RunContext, UsageError, vocabulary } from '@nettrace/core';
import { liveSystem, type Selection, selectIrqs } from './irqs.js';
import { decodeIrqGap, decodeIrqKey, decodeIrqVal } from './virtnet_irq_monitor.gen.js';

const MAX_IRQ = 8192;
const FIELDS = ['calls', 'ret_none', 'ret_handled', 'ret_wake', 'ret_other', 'dur_sum_ns', 'paired', 'gap_sum_ns', 'gaps'] as const;
type Sums = Record<(typeof FIELDS)[number], number> & { cpus: Record<string, number>; dur_max_ns: number };
type Values = { irqs?: string; iface?: { name: string }; traceCpu: boolean };
const state = new WeakMap<BpfObject, { sel: Selection; prev: Map<number, Sums> }>();
const zero = (): Sums => ({
  calls: 0,
  ret_none: 0,
  ret_handled: 0,
  ret_wake: 0,
  ret_other: 0,
  dur_sum_ns: 0,
  paired: 0,
  gap_sum_ns: 0,
  gaps: 0,
  cpus: {},
  dur_max_ns: 0,
});
const round3 = (n: number) => Math.round(n * 1000) / 1000;

function collect(ctx: RunContext<Values>) {
  const st = state.get(ctx.object) ?? { sel: selectIrqs(ctx.options.irqs, ctx.options.iface?.name, liveSystem), prev: new Map() };
  const now = new Map<number, Sums>();
  for (const irq of st.sel.irqs) now.set(irq, zero());
  for (const [k, v] of ctx.object.map('stats').entries()) {
    const key = decodeIrqKey(new DataView(k.buffer), 0);
    const val = decodeIrqVal(new DataView(v.buffer), 0);
    const s = now.get(key.irq) ?? zero();
    for (const f of FIELDS) if (f in val) s[f] += val[f as keyof typeof val] as number;
    s.cpus[key.cpu] = val.calls;
    s.dur_max_ns = Math.max(s.dur_max_ns, val.dur_max_ns);
    now.set(key.irq, s);
  }
  for (const [k, v] of ctx.object.map('gaps').entries()) {
    const g = decodeIrqGap(new DataView(v.buffer), 0);
    const s = now.get(new DataView(k.buffer).getUint32(0, true));
    if (s) Object.assign(s, { gap_sum_ns: g.gap_sum_ns, gaps: g.gaps });
  }
  state.set(ctx.object, { sel: st.sel, prev: now });
  const names = liveSystem.interrupts();
  const rows = [...now.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([irq, s]) => {
      const b = ctx.final ? zero() : (st.prev.get(irq) ?? zero());
      const d = Object.fromEntries(FIELDS.map((f) => [f, s[f] - b[f]])) as unknown as Sums;
      const cpus = Object.fromEntries(Object.entries(s.cpus).map(([c, n]) => [c, n - (b.cpus[c] ?? 0)]));
      return {
        irq,
        name: names.get(irq)?.names.join(', ') ?? '?',
        calls: d.calls,
        cpus,
        handled: d.ret_handled,
        none: d.ret_none,
        wake_thread: d.ret_wake,
        other: d.ret_other,
        handled_pct: d.calls ? round3((100 * d.ret_handled) / d.calls) : 0,
        avg_us: d.paired ? round3(d.dur_sum_ns / d.paired / 1000) : 0,
        max_us: round3(s.dur_max_ns / 1000),
        avg_interval_us: d.gaps ? round3(d.gap_sum_ns / d.gaps / 1000) : 0,
      };
    })
    .filter((r) => !st.sel.all || r.calls > 0);
  const problems = ctx.object.map('problems');
  const count = (i: number) => problems.sumU64(problems.lookup(new Uint8Array([i, 0, 0, 0])) ?? new Uint8Array(problems.valueBytes));
  const cpuText = (r: Record<string, unknown>) =>
    Object.entries(r.cpus as Record<string, number>)
      .map(([c, n]) => `${c}:${n}`)
      .join(' ');
  return {
    sections: [
      {
        kind: 'table' as const,
        key: 'irqs',
        title: `IRQ statistics, ${st.sel.label} (${ctx.final ? 'whole run' : 'this interval'}; MAX_us since start)`,
        columns: [
          { key: 'irq', header: 'IRQ' },
          { key: 'name', header: 'NAME' },
          { key: 'calls', header: 'CALLS' },
          ...(ctx.options.traceCpu ? [{ key: 'cpus', header: 'CPU:CALLS', value: cpuText }] : []),
          { key: 'handled_pct', header: 'HANDLED%' },
          { key: 'none', header: 'NONE' },
          { key: 'wake_thread', header: 'WAKE' },
          { key: 'avg_us', header: 'AVG_us' },
          { key: 'max_us', header: 'MAX_us' },
          { key: 'avg_interval_us', header: 'INTERVAL_us' },
        ],
        rows,
      },
      {
        kind: 'counters' as const,
        key: 'totals',
        values: { irqs: rows.length, calls: rows.reduce((n, r) => n + r.calls, 0), unpaired: count(1), untracked: count(0) },
      },
    ],
  };
}

export default definePlugin({
  id: 'virtnet-irq-monitor',
  summary: "IRQ handler calls, CPUs, return values, duration and spacing for the guest's virtio-net IRQs",
  description:
    'Hooks irq:irq_handler_entry/exit (tp_btf, else raw_tp, else the tracepoints). By default traces every IRQ of every virtio-net device (names virtioN-input.K / -output.K / -config in /proc/interrupts); --interface picks one device, --irqs any IRQs by number or name.',
  object: new URL('./virtnet_irq_monitor.bpf.o', import.meta.url),
  options: {
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
  },
  defaultInterval: 5,
  hooks: ['entry', 'exit'].map((side) => ({
    name: `irq_handler_${side}`,
    alternatives: [
      { program: `nt_vim_${side === 'entry' ? 'in' : 'out'}_btf`, kind: 'tp_btf' as const, target: `irq/irq_handler_${side}` },
      { program: `nt_vim_${side === 'entry' ? 'in' : 'out'}_raw`, kind: 'raw_tp' as const, target: `irq/irq_handler_${side}` },
      { program: `nt_vim_${side === 'entry' ? 'in' : 'out'}_tp`, kind: 'tracepoint' as const, target: `irq/irq_handler_${side}` },
    ],
  })),
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
  output: { kind: 'report', collect: (ctx) => collect(ctx as RunContext<Values>) },
});
