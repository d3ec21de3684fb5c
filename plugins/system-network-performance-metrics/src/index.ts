// system-network-performance-metrics (BCC system_network_perfomance_metrics.py): per packet of the
// host's own traffic through an OVS internal port, the OVS datapath (with --enable-ct its ct()
// action and conntrack lookup) and the physical NIC's qdisc and driver, every stage it passed with
// the skb as that stage saw it, the qdisc sojourn and the ct() time; and the libbpf port's
// per-interface packets, bytes and drops as a report section. `tx` leaves the host's sockets.
import {
  configureStages,
  definePlugin,
  deviceName,
  flowFilterOptions,
  hostPathOptions,
  METRICS_ROW_COLUMNS,
  metricsRow,
  NtStageSessionLayout,
  type OptionValues,
  pathSection,
  hostOvsProfile as profile,
  profileHooks,
  runTables,
  sessionsSection,
  stageOptions,
  stageRun,
  stageSummary,
  tracepointHook,
  tracepointPrograms,
  vocabulary,
} from '@nettrace/core';
import { countedInterfaces, interfacesSection } from './interfaces.js';
import { contract } from './system_network_performance_metrics.gen.js';

const options = {
  ...hostPathOptions(),
  ...flowFilterOptions(),
  threshold: stageOptions.threshold(),
  enableCt: stageOptions.enableCt(),
  maxSessions: stageOptions.maxSessions(),
  iface: vocabulary.iface({
    description: 'count only this interface in the per-interface section (default: --phy-interface and --internal-interface)',
  }),
  histogram: vocabulary.histogram({
    description: 'also aggregate in the kernel: count, average, maximum and a latency histogram per adjacent stage pair and end to end',
  }),
  verbose: vocabulary.verbose({ description: 'the path in every report, not only the final one' }),
};
type Values = OptionValues<typeof options>;
const counters = (column: string) => ({ optional: true, degrades: `the per-interface ${column} counters` });

const run = (o: Values) =>
  stageRun('system-network-performance-metrics', profile, o, { phy: o.phyInterface, internal: o.internalInterface }, ['phy', 'internal']);

export default definePlugin({
  id: 'system-network-performance-metrics',
  summary:
    "Per-packet stages with skb metadata, qdisc sojourn and conntrack time for the host's traffic through an OVS internal port and the NIC; per-interface packets, bytes and drops",
  description:
    "Follows every packet of the filtered flow from the host's IP output through the OVS internal port (--internal-interface), the datapath (with --enable-ct its ct() action and conntrack lookup), the NIC's qdisc and driver (--phy-interface), and back up to TCP/UDP/ICMP receive, keyed by the packet itself; one record per packet with every stage's time, device, length, paged bytes, hash, queue and CPU, the qdisc sojourn and the ct() time, filtered by --latency-us in the kernel. Each report adds, per interface, the packets and bytes of the flow it transmitted and received and those the kernel dropped. tx leaves the host's sockets.",
  contract,
  options,
  hooks: [
    ...profileHooks<typeof contract, keyof typeof options>(profile),
    tracepointPrograms(
      'interface transmit',
      'net/net_dev_start_xmit',
      { tp_btf: 'nt_ifc_tx_b', tracepoint: 'nt_ifc_tx_t' },
      counters('TX'),
    ),
    tracepointPrograms('interface receive', 'net/netif_receive_skb', { tp_btf: 'nt_ifc_rx_b', tracepoint: 'nt_ifc_rx_t' }, counters('RX')),
    tracepointHook('interface drops', 'skb/kfree_skb', counters('DROPS')),
  ],
  configure(cfg, o, ctx) {
    configureStages(cfg, profile, run(o), ctx, {
      details: true,
      meta: true,
      aggregate: o.histogram,
      thresholdNs: (o.threshold ?? 0) * 1000,
      maxSessions: o.maxSessions,
    });
    const ifindexes = new Uint32Array(4);
    ifindexes.set(countedInterfaces(o).map((i) => i.ifindex));
    cfg.set('cfg_ifc_ifindex', new Uint8Array(ifindexes.buffer));
  },
  output: {
    kind: 'stream',
    layout: NtStageSessionLayout,
    columns: METRICS_ROW_COLUMNS,
    row: (s, ctx) =>
      metricsRow(profile, s, (i) => deviceName([ctx.options.phyInterface, ctx.options.internalInterface], ctx.options.netns, i)),
    collect(ctx) {
      const r = run(ctx.options);
      const t = runTables(profile, r, ctx);
      // stageSummary() has the session counters too: a second read would see this report's delta as zero.
      const stages = ctx.options.histogram
        ? stageSummary(ctx, profile, t, r.directions, { verbose: true }).sections
        : [...(ctx.final || ctx.options.verbose ? [pathSection(profile, t, r.directions)] : []), sessionsSection(ctx, r.directions)];
      return { sections: [...stages, interfacesSection(ctx, countedInterfaces(ctx.options))] };
    },
  },
});
