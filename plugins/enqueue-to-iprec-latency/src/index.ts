// enqueue-to-iprec-latency: for packets received on one interface through a CPU's backlog (an OVS
// internal port: internal_dev_recv -> netif_rx), how long each waits between enqueue_to_backlog,
// __netif_receive_skb (the backlog's softirq: the asynchronous boundary) and ip_rcv, how often the
// backlog ran on another CPU than the one that queued it, and, with --threshold, one record per
// packet whose whole path took at least that long. Histograms and counters aggregated in the kernel.
import {
  configureStages,
  crossCpuSection,
  definePlugin,
  flowFilterOptions,
  type HandOffPair,
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
import { contract } from './enqueue_to_iprec_latency.gen.js';

const options = {
  iface: vocabulary.iface({
    description: 'the interface whose backlog receive path is followed (an OVS internal port, e.g. br-int), named in --netns',
    required: true,
    rodata: undefined,
  }),
  ...flowFilterOptions(),
  threshold: vocabulary.threshold({
    description: 'also stream each packet whose enqueue to ip_rcv took at least this long',
    aliases: ['latency-us', 'threshold-us'],
  }),
  maxSessions: stageOptions.maxSessions(),
  clear: vocabulary.clear(),
  verbose: vocabulary.verbose({ description: 'the path (which hook stamps each stage) in every report', aliases: ['debug'] }),
};

const run = (o: OptionValues<typeof options>) =>
  stageRun('enqueue-to-iprec-latency', profile, o, { internal: o.iface }, { internal: '--interface' });

export default definePlugin({
  id: 'enqueue-to-iprec-latency',
  summary:
    "Backlog latency of one interface's received packets: enqueue_to_backlog -> __netif_receive_skb -> ip_rcv (histograms, CPU hand-offs, threshold events)",
  description:
    "Follows every packet of the filtered flow received on --interface through a CPU's backlog (an OVS internal port's path: netif_rx), keyed by the packet itself: enqueue_to_backlog, the backlog's softirq (__netif_receive_skb) and ip_rcv. Per stage pair and end to end, in the kernel: count, average, maximum, a log2 histogram and how often the two stages ran on different CPUs. --threshold (BCC: --threshold, --threshold-us) also streams each packet whose path took at least that long, filtered in the kernel.",
  contract,
  options,
  defaultInterval: 5,
  hooks: profileHooks<typeof contract, keyof typeof options>(profile),
  configure(cfg, o, ctx) {
    const threshold = o.threshold;
    configureStages(cfg, profile, run(o), ctx, {
      aggregate: true,
      details: threshold !== undefined,
      thresholdNs: (threshold ?? 0) * 1000,
      maxSessions: o.maxSessions,
    });
  },
  notes: () => [
    'addresses and ports may each be on either side of the packet (BCC: addresses directional); on one interface the receive path carries one side',
  ],
  output: {
    kind: 'stream',
    layout: NtStageSessionLayout,
    columns: SESSION_ROW_COLUMNS,
    row: (s) => sessionRow(profile, s),
    collect(ctx) {
      const r = run(ctx.options);
      // A histogram per stage pair in every report, as BCC prints them; the path only with -v.
      const { sections } = stageSummary(ctx, profile, runTables(profile, r, ctx), r.directions, { verbose: true });
      const kept = sections.filter((s) => s.key !== 'path' || ctx.final || ctx.options.verbose);
      const pairs = (sections.find((s) => s.key === 'pairs') as { rows: HandOffPair[] } | undefined)?.rows ?? [];
      return { sections: [...kept, crossCpuSection(pairs)] };
    },
  },
});
