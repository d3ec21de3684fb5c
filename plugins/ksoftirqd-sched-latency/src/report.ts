// The ksoftirqd-sched-latency report: per-(CPU, thread) counters and per-CPU histograms; interval
// reports are differences of the kernel's cumulative counts (exact for counts), the final the run.
import {
  columns,
  countersSection,
  entriesSinceLastReport,
  histogramSection,
  type PluginContext,
  reportCounters,
  reportPeriod,
  tableSection,
  UsageError,
} from '@nettrace/core';
import { type contract, KsdKeyLayout, KsdValLayout } from './ksoftirqd_sched_latency.gen.js';
import type { options } from './options.js';

export const MAX_CPUS = 1024;
type Row = {
  cpu: number;
  pid: number;
  comm: string;
  wakeups: number;
  runs: number;
  pairs: number;
  high_latency: number;
  unpaired_wakeups: number;
  avg_us: number;
  max_us: number;
};

/** "0,2,4-7" → sorted CPU numbers (the BCC original's --cpu syntax). */
export function parseCpuList(text: string): number[] {
  const cpus = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)(?:\s*-\s*(\d+))?\s*$/.exec(part);
    const lo = Number(m?.[1]);
    const hi = Number(m?.[2] ?? m?.[1]);
    if (!m || hi < lo || hi >= MAX_CPUS) throw new UsageError(`--cpu: '${text}' is not a CPU list like 0,2,4-7 (CPUs below ${MAX_CPUS})`);
    for (let c = lo; c <= hi; c++) cpus.add(c);
  }
  return [...cpus].sort((a, b) => a - b);
}

export function collect(ctx: PluginContext<typeof options, typeof contract>) {
  const rows: Row[] = [];
  const perCpu = new Map<number, { comm: string; counts: number[] }>();
  const counted = ['wakeups', 'runs', 'pairs', 'high', 'sum_ns', 'hist'] as const;
  for (const { key, value: d } of entriesSinceLastReport(ctx, 'stats', ctx.entries('stats', KsdKeyLayout, KsdValLayout), counted)) {
    rows.push({
      cpu: key.cpu,
      pid: key.pid,
      comm: d.comm,
      wakeups: d.wakeups,
      runs: d.runs,
      pairs: d.pairs,
      high_latency: d.high,
      unpaired_wakeups: Math.max(0, d.wakeups - d.pairs),
      avg_us: d.pairs ? Math.round(d.sum_ns / d.pairs) / 1000 : 0,
      max_us: d.max_ns / 1000,
    });
    const cpu = perCpu.get(key.cpu) ?? { comm: d.comm, counts: new Array<number>(d.hist.slots.length).fill(0) };
    for (const [i, n] of d.hist.slots.entries()) cpu.counts[i] += n;
    perCpu.set(key.cpu, cpu);
  }
  rows.sort((a, b) => a.cpu - b.cpu || a.pid - b.pid);
  const sum = (f: 'wakeups' | 'runs' | 'pairs' | 'high_latency') => rows.reduce((n, r) => n + r[f], 0);
  const threads = columns({
    cpu: 'CPU',
    pid: 'PID',
    comm: 'COMM',
    wakeups: 'WAKEUPS',
    runs: 'RUNS',
    pairs: 'SAMPLES',
    high_latency: `>${ctx.options.threshold}us`,
    avg_us: 'AVG_us',
    max_us: 'MAX_us',
  });
  return {
    sections: [
      tableSection('threads', `ksoftirqd wake-up -> run (${reportPeriod(ctx)}; MAX_us since start)`, threads, rows),
      ...[...perCpu.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([cpu, h]) =>
          histogramSection(`latency_cpu${cpu}`, `CPU ${cpu} (${h.comm}) wake-up -> run latency`, h.counts, 'us', 'latency'),
        ),
      countersSection('totals', {
        wakeups: sum('wakeups'),
        runs: sum('runs'),
        samples: sum('pairs'),
        high_latency: sum('high_latency'),
        threshold_us: ctx.options.threshold,
        untracked: reportCounters(ctx).untracked,
      }),
    ],
  };
}
