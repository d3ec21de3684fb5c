// The offcputime-ts report: rows per (thread, stacks) with kernel and user frames symbolised (user
// frames by core's ctx.userStack: ELF symbols of the process's mapped files); interval reports hold
// the interval only, the final one the run, except with --folded: there every report holds only
// what no earlier report printed, so the concatenated output (flamegraph.pl input) counts each
// block once.
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
/** A stack id the kernel could not record: -1 means not asked for (user stacks of kernel threads,
 * or one side turned off), -EFAULT that there was no such stack (BCC's stack_id_err); any other
 * error (-ENOMEM, -EEXIST: the stack table was full or the bucket taken) is a missed stack, which
 * BCC prints as a marker rather than leave the row looking like a shorter stack. */
const EFAULT = 14;
const missed = (id: number) => id < 0 && id !== -1 && id !== -EFAULT;
const noStack = (id: number) => id === -1 || id === -EFAULT;

/** The stack is taken inside sched_switch: frames inner to __schedule are the tracing machinery
 * (the BPF program may be missing from a kallsyms snapshot taken before it was loaded). */
const fromSchedule = (frames: string[]) => {
  const i = frames.findIndex((f) => f.startsWith('__schedule+'));
  return i > 0 ? frames.slice(i) : frames;
};
const bare = (f: string) => f.replace(/\+0x[0-9a-f]+( \[.*\])?$/, '');
/** With --offset: the frame as symbolised, but its ` [module]` (a space would split folded lines). */
const withOffset = (f: string) => f.replace(/ \[.*\]$/, '');

export function collect(ctx: PluginContext<typeof options, typeof contract>) {
  const rows: Row[] = [];
  // Folded output is concatenated by flame-graph tools: the final report then holds only what the
  // interval reports have not printed (with no interval report, that is the whole run).
  const period = ctx.options.folded ? { object: ctx.object, final: false, cumulative: ctx.cumulative } : ctx;
  const counts = ctx.entries('counts', OffcpuKeyLayout, OffcpuValLayout);
  let missedStacks = 0;
  const frame = ctx.options.offset ? withOffset : bare;
  for (const { key, value: val } of entriesSinceLastReport(period, 'counts', counts, ['total_ns', 'blocks'])) {
    const total = val.total_ns;
    if (!total) continue;
    missedStacks += Number(missed(key.kstack)) + Number(missed(key.ustack));
    const kstack = noStack(key.kstack) ? [] : missed(key.kstack) ? ['[Missed Kernel Stack]'] : fromSchedule(ctx.kernelStack(key.kstack));
    const ustack = noStack(key.ustack) ? [] : missed(key.ustack) ? ['[Missed User Stack]'] : ctx.userStack(key.ustack, key.tgid);
    // Flame-graph order: root first (comm, user frames outermost first, then kernel frames).
    const folded = [
      key.comm,
      ...[...ustack].reverse().map(frame),
      ...(ctx.options.delimited && ustack.length > 0 && kstack.length > 0 ? ['-'] : []),
      ...[...kstack].reverse().map((f) => (f.startsWith('[') ? f : `${frame(f)}_[k]`)),
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
            [...(r.kernel_stack as string[]).slice(0, 6), ...(r.user_stack as string[]).slice(0, 3)].map(frame).join(' < '),
        },
      });
  const sum = (f: 'off_cpu_us' | 'blocks') => rows.reduce((n, r) => n + r[f], 0);
  const totals = {
    stacks: rows.length,
    off_cpu_us: Math.round(sum('off_cpu_us') * 1000) / 1000,
    blocks: sum('blocks'),
    untracked: reportCounters({ ...period, counters: ctx.counters }).untracked,
    missed_stacks: missedStacks,
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
