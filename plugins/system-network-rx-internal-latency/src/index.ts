// system-network-rx-internal-latency: where does receive latency on an OVS internal port come
// from? From OVS's output to the internal port, through netif_rx and a CPU's backlog queue (the
// asynchronous boundary, where packets may change CPU) up to TCP/UDP receive: per adjacent stage
// and end to end, with cross-CPU hand-offs, aggregated in the kernel.
import {
  configureStages,
  definePlugin,
  flowFilterOptions,
  type OptionValues,
  rxInternalProfile as profile,
  profileHooks,
  runTables,
  stageOptions,
  stageRun,
  stageSummary,
  vocabulary,
} from '@nettrace/core';

const options = {
  internalInterface: stageOptions.internalInterface(),
  ...flowFilterOptions(),
  maxSessions: stageOptions.maxSessions(),
  clear: vocabulary.clear({ description: 'reset counters and histograms after each interval report' }),
  verbose: vocabulary.verbose({ description: 'a histogram per adjacent stage pair, and the path in every report' }),
};

const run = (o: OptionValues<typeof options>) =>
  stageRun('system-network-rx-internal-latency', profile, o, { internal: o.internalInterface }, ['internal']);

export default definePlugin({
  id: 'system-network-rx-internal-latency',
  summary: 'Receive latency on an OVS internal port per stage, OVS output -> backlog -> TCP/UDP, with cross-CPU hand-offs',
  description:
    "Follows every received packet of the filtered flow from OVS's output to the internal port (ovs_vport_send, internal_dev_recv, netif_rx, enqueue_to_backlog) through the CPU backlog (__netif_receive_skb) to ip_rcv, ip_local_deliver and tcp_v4_rcv/udp_rcv, keyed by the packet itself; per adjacent pair and end to end: count, average, maximum, cross-CPU hops and a log2 histogram (the hop into the backlog is marked as a queue).",
  object: new URL('./system_network_rx_internal_latency.bpf.o', import.meta.url),
  options,
  defaultInterval: 5,
  hooks: profileHooks(profile),
  configure(cfg, o, ctx) {
    configureStages(cfg, profile, run(o), ctx, { aggregate: true, maxSessions: o.maxSessions });
  },
  output: {
    kind: 'report',
    collect(ctx) {
      const r = run(ctx.options);
      return stageSummary(ctx, profile, runTables(profile, r, ctx), r.directions, {
        clear: ctx.options.clear,
        verbose: ctx.options.verbose,
      });
    },
  },
});
