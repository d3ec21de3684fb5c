// ksoftirqd-sched-latency: per CPU, how long after its wake-up does ksoftirqd/N get to run? The
// kernel keeps cumulative per-(CPU, thread) counters and log2 histograms; interval reports show
// the change since the previous report (counts subtract exactly), the final report the whole run.
import { definePlugin, tracepointHook } from '@nettrace/core';
import { contract, KsdEventLayout } from './ksoftirqd_sched_latency.gen.js';
import { options } from './options.js';
import { collect, MAX_CPUS, parseCpuList } from './report.js';

export { parseCpuList };

export default definePlugin({
  id: 'ksoftirqd-sched-latency',
  summary: 'Per-CPU wake-up to run latency of the ksoftirqd/N threads (log2 histograms, counters)',
  description:
    'Hooks sched:sched_wakeup and sched:sched_switch (tp_btf, else raw_tp, else the tracepoints). A sample is the delay from the wake-up of ksoftirqd/N to the switch that runs it; a switch-out drops a pending wake-up, so runs are never paired with stale ones.',
  contract,
  options,
  notes: () => [
    "RUNS counts every switch of ksoftirqd onto its CPU (returns after preemption too); BCC's 'Run count' (runs that followed a wake-up) is SAMPLES here",
  ],
  defaultInterval: 5,
  hooks: [tracepointHook('sched_wakeup', 'sched/sched_wakeup'), tracepointHook('sched_switch', 'sched/sched_switch')],
  configure(cfg, o) {
    if (o.cpu !== undefined) {
      const mask = new Uint8Array(MAX_CPUS / 8);
      for (const c of parseCpuList(o.cpu)) mask[c >> 3] |= 1 << (c & 7);
      cfg.set('cfg_cpu_filter', 1);
      cfg.set('cfg_cpus', mask);
    }
    cfg.set('cfg_threshold_ns', o.threshold * 1000);
    cfg.set('cfg_events', o.verbose);
  },
  output: {
    kind: 'stream',
    layout: KsdEventLayout,
    columns: [
      { key: 'cpu', header: 'CPU' },
      { key: 'pid', header: 'PID' },
      { key: 'comm', header: 'COMM' },
      { key: 'wake_cpu', header: 'WAKER_CPU' },
      { key: 'latency_us', header: 'LAT(us)' },
    ],
    row: (e) => ({
      cpu: e.cpu,
      pid: e.pid,
      comm: e.comm,
      wake_cpu: e.wake_cpu,
      wakeup_ns: e.wakeup_ns,
      run_ns: e.run_ns,
      latency_us: e.latency_ns / 1000,
    }),
    collect,
  },
});
