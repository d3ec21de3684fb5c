// offcputime-ts: where do threads spend time blocked off-CPU, by pid/tid and kernel + user stack?
// The kernel sums off-CPU ns per (tgid, tid, stacks, comm); interval reports show each interval's
// time (the "-ts" time series: differences of the cumulative sums), the final report the run.
import { definePlugin, type RunContext, tracepointHook, UsageError, vocabulary } from '@nettrace/core';
import { collect, type Values } from './report.js';

export default definePlugin({
  id: 'offcputime-ts',
  summary: 'Off-CPU time by process, thread and kernel/user stack, per interval or folded for flame graphs',
  description:
    'Hooks sched:sched_switch (tp_btf, else raw_tp, else the tracepoint): the task leaving the CPU is stamped with its stacks, and the time until it runs again is summed in ns. A tid reused by a new task never inherits an old stamp.',
  object: new URL('./offcputime_ts.bpf.o', import.meta.url),
  options: {
    pid: vocabulary.pid(),
    tid: { kind: 'pid', long: 'tid', description: 'thread id to trace', rodata: 'cfg_tid' } as const,
    userThreadsOnly: {
      kind: 'flag',
      long: 'user-threads-only',
      description: 'user threads only (no kernel threads)',
      default: false,
    } as const,
    kernelThreadsOnly: { kind: 'flag', long: 'kernel-threads-only', description: 'kernel threads only', default: false } as const,
    userStacksOnly: { kind: 'flag', long: 'user-stacks-only', description: 'record user stacks only', default: false } as const,
    kernelStacksOnly: { kind: 'flag', long: 'kernel-stacks-only', description: 'record kernel stacks only', default: false } as const,
    minBlock: { kind: 'uint', long: 'min-block-time', description: 'ignore blocks shorter than this', unit: 'us', default: 1 } as const,
    maxBlock: {
      kind: 'uint',
      long: 'max-block-time',
      description: 'ignore blocks longer than this (default: no limit)',
      unit: 'us',
    } as const,
    state: {
      kind: 'uint',
      long: 'state',
      description: 'only tasks leaving in these states: a TASK_* mask (1 interruptible, 2 uninterruptible); 0 = preempted only',
    } as const,
    folded: { kind: 'flag', long: 'folded', description: 'print folded stacks (flamegraph.pl input)', default: false } as const,
    delimited: {
      kind: 'flag',
      long: 'delimited',
      description: 'put "-" between user and kernel frames in folded stacks',
      default: false,
    } as const,
    stackStorage: {
      kind: 'uint',
      long: 'stack-storage-size',
      description: 'distinct stacks kept in the kernel',
      default: 16384,
      min: 64,
    } as const,
    maxEntries: {
      kind: 'uint',
      long: 'max-entries',
      description: 'distinct (thread, stacks) groups kept in the kernel',
      default: 10240,
      min: 64,
    } as const,
  },
  defaultInterval: 0,
  hooks: [tracepointHook('sched_switch', 'sched/sched_switch', { tp_btf: 'nt_oct_btf', raw_tp: 'nt_oct_raw', tracepoint: 'nt_oct_tp' })],
  configure(cfg, o) {
    if (o.userThreadsOnly && o.kernelThreadsOnly) throw new UsageError('--user-threads-only and --kernel-threads-only exclude each other');
    if (o.userStacksOnly && o.kernelStacksOnly) throw new UsageError('--user-stacks-only and --kernel-stacks-only exclude each other');
    if (o.maxBlock !== undefined && o.maxBlock < o.minBlock) throw new UsageError('--max-block-time must not be below --min-block-time');
    cfg.set('cfg_user_threads_only', o.userThreadsOnly);
    cfg.set('cfg_kernel_threads_only', o.kernelThreadsOnly);
    cfg.set('cfg_kernel_stacks', !o.userStacksOnly);
    cfg.set('cfg_user_stacks', !o.kernelStacksOnly);
    cfg.set('cfg_min_ns', BigInt(o.minBlock) * 1000n);
    if (o.maxBlock !== undefined) cfg.set('cfg_max_ns', BigInt(o.maxBlock) * 1000n);
    if (o.state !== undefined) {
      cfg.set('cfg_state_filter', 1);
      cfg.set('cfg_state', o.state);
    }
    cfg.maxEntries('stacks', o.stackStorage);
    cfg.maxEntries('counts', o.maxEntries);
  },
  output: { kind: 'report', collect: (ctx) => collect(ctx as RunContext<Values>) },
});
