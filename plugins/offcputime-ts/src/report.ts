// The offcputime-ts report: rows per (thread, stacks) with kernel frames symbolised and user frames
// named through /proc/PID/maps; interval reports hold the interval only, the final one the run.
import {
  columns,
  countersSection,
  entriesSinceLastReport,
  type PluginContext,
  reportCounters,
  reportPeriod,
  tableSection,
} from '@nettrace/core';
import { type contract, OffcpuKeyLayout, OffcpuValLayout } from './offcputime_ts.gen.js';
import type { options } from './options.js';
import { readMaps, userStack } from './ustack.js';

/** One report row, as JSON output carries it. */
export type Row = {
  pid: number;
  tid: number;
  comm: string;
  off_cpu_us: number;
  blocks: number;
  max_us: number;
  first_seen: string;
  last_seen: string;
  kernel_stack: string[];
  user_stack: string[];
  folded: string;
};
/** ktime (CLOCK_MONOTONIC ns, as bpf_ktime_get_ns) → wall-clock ISO time. */
const wall = (ns: number) => new Date(Date.now() - (Number(process.hrtime.bigint()) - ns) / 1e6).toISOString();
/** The stack is taken inside sched_switch: frames inner to __schedule are the tracing machinery
 * (the BPF program may be missing from a kallsyms snapshot taken before it was loaded). */
const fromSchedule = (frames: string[]) => {
  const i = frames.findIndex((f) => f.startsWith('__schedule+'));
  return i > 0 ? frames.slice(i) : frames;
};
const bare = (f: string) => f.replace(/\+0x[0-9a-f]+( \[.*\])?$/, '');

export function collect(ctx: PluginContext<typeof options, typeof contract>) {
  const maps = new Map<number, ReturnType<typeof readMaps>>();
  const rows: Row[] = [];
  const counts = ctx.entries('counts', OffcpuKeyLayout, OffcpuValLayout);
  for (const { key, value: val } of entriesSinceLastReport(ctx, 'counts', counts, ['total_ns', 'blocks'])) {
    const total = val.total_ns;
    if (!total) continue;
    if (!maps.has(key.tgid)) maps.set(key.tgid, readMaps(key.tgid));
    const kstack = key.kstack === -1 ? [] : fromSchedule(ctx.kernelStack(key.kstack));
    // -1: no user stack recorded (kernel thread, or user stacks off)
    const ustack = key.ustack === -1 ? [] : userStack(ctx.stackAddresses(key.ustack), maps.get(key.tgid) ?? []);
    // Flame-graph order: root first (comm, user frames outermost first, then kernel frames).
    const folded = [
      key.comm,
      ...[...ustack].reverse(),
      ...(ctx.options.delimited ? ['-'] : []),
      ...[...kstack].reverse().map((f) => `${bare(f)}_[k]`),
    ].join(';');
    rows.push({
      pid: key.tgid,
      tid: key.tid,
      comm: key.comm,
      off_cpu_us: Math.round(total) / 1000,
      blocks: val.blocks,
      max_us: val.max_ns / 1000,
      first_seen: wall(val.first_ns),
      last_seen: wall(val.last_ns),
      kernel_stack: kstack,
      user_stack: ustack,
      folded: `${folded} ${Math.round(total / 1000)}`,
    });
  }
  rows.sort((a, b) => b.off_cpu_us - a.off_cpu_us);
  const table = ctx.options.folded
    ? columns({ folded: '# comm;user frames;kernel frames off-cpu-us (folded, flamegraph.pl input)' })
    : columns({
        pid: 'PID',
        tid: 'TID',
        comm: 'COMM',
        off_cpu_us: 'OFF-CPU(us)',
        blocks: 'BLOCKS',
        max_us: 'MAX(us)',
        stack: {
          header: 'STACK (innermost first: kernel, then user)',
          value: (r: Record<string, unknown>) =>
            [...(r.kernel_stack as string[]).slice(0, 6), ...(r.user_stack as string[]).slice(0, 3)].map(bare).join(' < '),
        },
      });
  const sum = (f: 'off_cpu_us' | 'blocks') => rows.reduce((n, r) => n + r[f], 0);
  const totals = {
    stacks: rows.length,
    off_cpu_us: Math.round(sum('off_cpu_us') * 1000) / 1000,
    blocks: sum('blocks'),
    untracked: reportCounters(ctx).untracked,
  };
  // Folded text must stay flamegraph.pl input: the totals go into a comment line (no trailing
  // " <number>", so flamegraph.pl skips it) instead of a counters section.
  const title = ctx.options.folded
    ? `# ${Object.entries(totals)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`
    : `Off-CPU time (${reportPeriod(ctx)})`;
  return {
    sections: [tableSection('offcpu', title, table, rows), ...(ctx.options.folded ? [] : [countersSection('totals', totals)])],
  };
}
