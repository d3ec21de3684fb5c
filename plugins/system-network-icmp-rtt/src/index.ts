// system-network-icmp-rtt: per ICMP echo through an OVS internal port and the physical NIC, how the
// round trip splits: the first packet's seven stages through this host (IP output, internal port,
// OVS datapath, NIC; or NIC, OVS rx handler, datapath, ICMP receive), the time until the second
// (tx: the wire and the remote host; rx: this host's echo handling), the second packet's seven
// stages. One session per echo, keyed by the packets' own addresses, echo id and sequence; an RTT
// histogram per report interval, aggregated in the kernel.
import {
  configureStages,
  definePlugin,
  NtStageSessionLayout,
  type OptionValues,
  ovsIcmpRttProfile as profile,
  profileHooks,
  roundTripColumns,
  roundTripRow,
  runTables,
  stageOptions,
  stageRun,
  stageSummary,
  UsageError,
  unfinishedSection,
  vocabulary,
} from '@nettrace/core';
import { contract } from './system_network_icmp_rtt.gen.js';

const options = {
  srcIp: vocabulary.srcIp({
    required: true,
    description: "this host's address (BCC: the local IP; the pinger with --direction tx, the pinged with rx)",
  }),
  dstIp: vocabulary.dstIp({ required: true, description: 'the remote address (the pair matches in either order)' }),
  phyInterface: {
    ...stageOptions.phyInterface(),
    required: true,
    max: 2,
    description: "the physical NIC (an OVS port), or a bond's two members as a comma list (eth0,eth1), named in --netns",
  },
  internalInterface: stageOptions.internalInterface(),
  netns: vocabulary.netns(),
  direction: vocabulary.direction({
    choices: ['tx', 'rx'],
    default: 'tx',
    description: 'tx: this host pings (request out through OVS, reply in); rx: this host is pinged (request in, reply out)',
  }),
  latencyMs: {
    kind: 'uint',
    long: 'latency-ms',
    description: 'stream only round trips whose first to last observed stage took at least this long',
    unit: 'ms',
  },
  latencyUs: { kind: 'uint', long: 'latency-us', description: 'the same threshold in microseconds (older BCC spelling)', unit: 'us' },
  disableKernelStacks: {
    kind: 'flag',
    long: 'disable-kernel-stacks',
    description: 'no kernel stack per stage (taken by default, as BCC printed them; in JSON stages[].stack)',
    default: false,
  },
  maxSessions: stageOptions.maxSessions(),
} as const;

type Values = OptionValues<typeof options>;

const run = (o: Values) => stageRun('system-network-icmp-rtt', profile, o, { phy: o.phyInterface, internal: o.internalInterface }, ['phy']);

/** --latency-ms or --latency-us (not both), in nanoseconds. */
function thresholdNs(o: Values): number {
  if (o.latencyMs !== undefined && o.latencyUs !== undefined) throw new UsageError('--latency-ms and --latency-us exclude each other');
  return o.latencyUs !== undefined ? o.latencyUs * 1e3 : (o.latencyMs ?? 0) * 1e6;
}

export default definePlugin({
  id: 'system-network-icmp-rtt',
  summary: 'Per ICMP echo through an OVS internal port and the NIC: request path, wire + remote, reply path (7 stages each), RTT histogram',
  description:
    "Follows each ICMP echo request and its reply between --src-ip (this host, on an OVS internal port) and --dst-ip as one session keyed by the packets' own addresses, echo id and sequence (so a concurrent pinger with the same echo id never mixes in), stamping seven stages per packet: ip_output, the internal port's transmit, ovs_dp_process_packet, ovs_dp_upcall, ovs_flow_key_extract_userspace, ovs_vport_send and dev_queue_xmit on the NIC going out; netif_receive_skb on the NIC, netdev_frame_hook, the same OVS stages and icmp_rcv coming in. One record per round trip (with a kernel stack per stage unless --disable-kernel-stacks) and, per report, the round trips' end-to-end histogram and adjacent-stage statistics of that interval. On kernels without kprobes or the openvswitch module it runs on the device tracepoints and says which stages it lost.",
  contract,
  options,
  hooks: profileHooks<typeof contract, keyof typeof options>(profile),
  configure(cfg, o, ctx) {
    configureStages(cfg, profile, run(o), ctx, {
      details: true,
      aggregate: true,
      thresholdNs: thresholdNs(o),
      maxSessions: o.maxSessions,
      stacks: !o.disableKernelStacks,
    });
    // Only ICMP between the two hosts is parsed further (echo requests and replies are followed).
    cfg.set('cfg_protocol', 1);
  },
  output: {
    kind: 'stream',
    layout: NtStageSessionLayout,
    columns: roundTripColumns('KERNEL STACKS (per stage, innermost 3 frames)'),
    row: (s, ctx) => roundTripRow(profile, s, ctx.options.disableKernelStacks ? undefined : (id) => ctx.kernelStack(id)),
    collect(ctx) {
      const r = run(ctx.options);
      // The kernel only adds; each report holds its interval's round trips (the final one the run's).
      const { sections } = stageSummary(ctx, profile, runTables(profile, r, ctx), r.directions);
      const unfinished = ctx.final ? [unfinishedSection(ctx, profile, ctx.options.direction as 'tx' | 'rx')] : [];
      return { sections: [...sections, ...unfinished] };
    },
  },
});
