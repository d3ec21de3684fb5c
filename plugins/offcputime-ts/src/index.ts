// offcputime-ts: where do threads spend time blocked off-CPU, by pid/tid and kernel + user stack?
// The kernel sums off-CPU ns per (tgid, tid, stacks, comm); interval reports show each interval's
// time (the "-ts" time series: differences of the cumulative sums), the final report the run.
import { definePlugin, tracepointHook, UsageError } from '@nettrace/core';
import { contract } from './offcputime_ts.gen.js';
import { options } from './options.js';
import { collect } from './report.js';

export default definePlugin({
  id: 'offcputime-ts',
  summary: 'Off-CPU time by process, thread and kernel/user stack, per interval or folded for flame graphs',
  description:
    'Hooks sched:sched_switch (tp_btf, else raw_tp, else the tracepoint): the task leaving the CPU is stamped with its stacks, and the time until it runs again is summed in ns. A tid reused by a new task never inherits an old stamp.',
  contract,
  options,
  defaultInterval: 0,
  hooks: [tracepointHook('sched_switch', 'sched/sched_switch')],
  configure(cfg, o) {
    if (o.userThreadsOnly && o.kernelThreadsOnly) throw new UsageError('--user-threads-only and --kernel-threads-only exclude each other');
    if (o.userStacksOnly && o.kernelStacksOnly) throw new UsageError('--user-stacks-only and --kernel-stacks-only exclude each other');
    if (o.maxBlock !== undefined && o.maxBlock < o.minBlock) throw new UsageError('--max-block-time must not be below --min-block-time');
    const ids = (list: number[]) => new Uint8Array(Uint32Array.from({ length: 16 }, (_, i) => list[i] ?? 0).buffer);
    if (o.pid) {
      cfg.set('cfg_pids', ids(o.pid));
      cfg.set('cfg_npids', o.pid.length);
    }
    if (o.tid) {
      cfg.set('cfg_tids', ids(o.tid));
      cfg.set('cfg_ntids', o.tid.length);
    }
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
  output: { kind: 'report', collect },
});
