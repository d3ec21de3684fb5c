// enqueue-to-iprec-latency: on one interface's receive path, how long does a packet wait between
// enqueue_to_backlog (queued to a CPU's backlog) and __netif_receive_skb (the backlog processes
// it), then until ip_rcv, and how often does it change CPU there? Histograms and counters
// aggregated in the kernel; with --threshold, every slower packet as an event.
import {
  configureStages,
  definePlugin,
  flowFilterOptions,
  NtStageSessionLayout,
  type OptionValues,
  enqueueToIprecProfile as profile,
  profileHooks,
  runTables,
  SESSION_ROW_COLUMNS,
  sessionRow,
  stageOptions,
  stageRun,
  stageSummary,
  vocabulary,
} from '@nettrace/core';

const options = {
  iface: vocabulary.iface({ description: 'the receiving interface (e.g. an OVS internal port), named in --netns', rodata: undefined }),
  ...flowFilterOptions(),
  threshold: vocabulary.threshold({
    description: 'also print each packet whose enqueue -> ip_rcv took at least this long',
    aliases: ['threshold-us'],
  }),
  maxSessions: stageOptions.maxSessions(),
  clear: vocabulary.clear({ description: 'reset counters and histograms after each interval report' }),
  verbose: vocabulary.verbose({ description: 'a histogram per adjacent stage pair, and the path in every report' }),
};

const run = (o: OptionValues<typeof options>) =>
  stageRun('enqueue-to-iprec-latency', profile, o, { internal: o.iface }, { internal: '-I/--interface (the receiving interface)' });

export default definePlugin({
  id: 'enqueue-to-iprec-latency',
  summary: 'Backlog latency on one interface: enqueue_to_backlog -> __netif_receive_skb -> ip_rcv, cross-CPU rate, slow packets',
  description:
    'Follows every received packet of the filtered flow on --interface from enqueue_to_backlog (net:netif_rx where kprobes are missing) through the CPU backlog (__netif_receive_skb, else net:netif_receive_skb) to ip_rcv, keyed by the packet itself; histograms per hop and end to end, cross-CPU hand-offs, and with --threshold one event per slower packet (filtered in the kernel).',
  object: new URL('./enqueue_to_iprec_latency.bpf.o', import.meta.url),
  options,
  defaultInterval: 5,
  hooks: profileHooks(profile),
  configure(cfg, o, ctx) {
    configureStages(cfg, profile, run(o), ctx, {
      aggregate: true,
      details: o.threshold !== undefined,
      thresholdNs: (o.threshold ?? 0) * 1000,
      maxSessions: o.maxSessions,
    });
  },
  output: {
    kind: 'stream',
    layout: NtStageSessionLayout,
    columns: SESSION_ROW_COLUMNS,
    row: (s) => sessionRow(profile, s),
    collect(ctx) {
      const r = run(ctx.options);
      return stageSummary(ctx, profile, runTables(profile, r, ctx), r.directions, {
        clear: ctx.options.clear,
        verbose: ctx.options.verbose,
      });
    },
  },
});
