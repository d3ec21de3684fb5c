// system-network-rx-internal-latency: for packets Open vSwitch outputs to the host's internal port,
// how long each of the ten receive stages takes, from ovs_vport_send through internal_dev_recv,
// netif_rx and a CPU's backlog (the asynchronous boundary) up to TCP/UDP receive, and on which CPUs
// the backlog queued and processed them. Histograms and counters aggregated in the kernel.
import {
  configureStages,
  cpuPairsSection,
  crossCpuSection,
  definePlugin,
  flowFilterOptions,
  type HandOffPair,
  type OptionValues,
  rxInternalProfile as profile,
  profileHooks,
  runTables,
  stageOptions,
  stageRun,
  stageSummary,
  vocabulary,
} from '@nettrace/core';
import { contract } from './system_network_rx_internal_latency.gen.js';

const options = {
  iface: vocabulary.iface({
    description: "the OVS internal port that holds the host's address (BCC: --internal-interface), named in --netns",
    aliases: ['internal-interface'],
    required: true,
    rodata: undefined,
  }),
  phyInterface: {
    ...stageOptions.phyInterface(),
    description:
      'the physical NIC (an OVS port): with it the path starts when the NIC receives the packet, so only packets that came in on it are followed',
  },
  ...flowFilterOptions(),
  maxSessions: stageOptions.maxSessions(),
  clear: vocabulary.clear(),
  verbose: vocabulary.verbose({ description: 'the path (which hook stamps each stage) in every report, not only the final one' }),
};

const ID = 'system-network-rx-internal-latency';
const run = (o: OptionValues<typeof options>) =>
  stageRun(ID, profile, o, { internal: o.iface, phy: o.phyInterface }, { internal: '--interface' });

export default definePlugin({
  id: ID,
  summary:
    'Receive latency on an OVS internal port per stage: ovs_vport_send -> internal_dev_recv -> netif_rx -> backlog -> ip_rcv -> TCP/UDP (histograms, CPU hand-offs)',
  description:
    "Follows every packet of the filtered flow that Open vSwitch outputs to the internal port (--internal-interface) up to TCP, UDP or ICMP receive, keyed by the packet itself: ovs_vport_send, internal_dev_recv, netif_rx, netif_rx_internal, enqueue_to_backlog, the backlog's softirq (__netif_receive_skb: the asynchronous boundary), __netif_receive_skb_core, ip_rcv, ip_local_deliver, tcp_v4_rcv/udp_rcv/icmp_rcv. Per stage transition and end to end, in the kernel: count, average, maximum and a log2 histogram; at the backlog, how many packets were processed on the CPU that queued them and how many elsewhere, per (enqueue CPU, process CPU) pair. Stages whose hooks this kernel lacks are named and skipped.",
  contract,
  options,
  defaultInterval: 5,
  hooks: profileHooks<typeof contract, keyof typeof options>(profile),
  configure(cfg, o, ctx) {
    configureStages(cfg, profile, run(o), ctx, { aggregate: true, cpuPairs: true, maxSessions: o.maxSessions });
  },
  notes: () => [
    'addresses and ports may each be on either side of the packet (the libbpf port: addresses directional); on the receive path a flow goes one way',
  ],
  output: {
    kind: 'report',
    collect(ctx) {
      const r = run(ctx.options);
      // A histogram per stage transition in every report, as upstream prints them; the path only
      // in the final report or with -v.
      const { sections } = stageSummary(ctx, profile, runTables(profile, r, ctx), r.directions, { verbose: true });
      const kept = sections.filter((s) => s.key !== 'path' || ctx.final || ctx.options.verbose);
      const pairs = (sections.find((s) => s.key === 'pairs') as { rows: HandOffPair[] } | undefined)?.rows ?? [];
      return { sections: [...kept, crossCpuSection(pairs), cpuPairsSection(ctx, profile, r.directions)] };
    },
  },
});
