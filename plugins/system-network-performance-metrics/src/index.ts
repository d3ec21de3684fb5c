// system-network-performance-metrics (the BCC original's tool): per packet of the host's own
// traffic through an OVS internal port and the physical NIC, every stage it passed with the skb
// as that stage saw it (device, length, hash, queue, CPU), the qdisc sojourn and, with
// --enable-ct, the time in OVS's ct(); and per interval the interface counters of the libbpf port.
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
  type RunContext,
  runTables,
  sessionsSection,
  stageOptions,
  stageRun,
  tracepointHook,
  vocabulary,
} from '@nettrace/core';

const options = {
  ...hostPathOptions(),
  ...flowFilterOptions(),
  threshold: stageOptions.threshold(),
  enableCt: stageOptions.enableCt(),
  maxSessions: stageOptions.maxSessions(),
  verbose: vocabulary.verbose({ description: 'the path (stages observed) in every report' }),
};
type Values = OptionValues<typeof options>;

const run = (o: Values) =>
  stageRun('system-network-performance-metrics', profile, o, { phy: o.phyInterface, internal: o.internalInterface }, ['phy', 'internal']);

const COUNTERS = ['tx_packets', 'tx_bytes', 'rx_packets', 'rx_bytes', 'drops'] as const;

function interfaces(ctx: RunContext<Values>) {
  const map = ctx.object.map('if_counts');
  const rows = map.entries().map(([k, v]) => {
    const ifindex = new DataView(k.buffer, k.byteOffset).getUint32(0, true);
    const o = ctx.options;
    const name = [o.phyInterface, o.internalInterface].find((i) => i?.ifindex === ifindex)?.name ?? String(ifindex);
    return { interface: name, ifindex, ...Object.fromEntries(COUNTERS.map((c, i) => [c, map.sumU64(v, i * 8)])) };
  });
  return {
    kind: 'table' as const,
    key: 'interfaces',
    title: 'Interfaces (every packet, not only the filtered flow; since the start)',
    columns: [{ key: 'interface', header: 'INTERFACE' }, ...COUNTERS.map((c) => ({ key: c, header: c.toUpperCase() }))],
    rows: rows.sort((a, b) => a.ifindex - b.ifindex),
  };
}

export default definePlugin({
  id: 'system-network-performance-metrics',
  summary: "Per-packet stages with skb metadata, qdisc sojourn and conntrack time for the host's traffic via an OVS internal port",
  description:
    "The BCC original's tool: follows every packet of the filtered flow between the host's sockets, the OVS internal port (--internal-interface), the datapath (with --enable-ct its ct() action and conntrack lookup), the physical NIC's qdisc and driver (--phy-interface), and back up to TCP/UDP/ICMP, keyed by the packet itself; one record per packet with every stage's time, device, length, hash, queue and CPU, the qdisc sojourn and the ct() time, filtered by --latency-us in the kernel. Reports carry the per-interface packet, byte and drop counters of the libbpf port.",
  object: new URL('./system_network_performance_metrics.bpf.o', import.meta.url),
  options,
  defaultInterval: 5,
  hooks: [
    ...profileHooks(profile),
    tracepointHook('interface-rx', 'net/netif_receive_skb', { tp_btf: 'nt_pm_rx_b', tracepoint: 'nt_pm_rx_t' }, opt('rx counters')),
    tracepointHook('interface-tx', 'net/net_dev_start_xmit', { tp_btf: 'nt_pm_tx_b', tracepoint: 'nt_pm_tx_t' }, opt('tx counters')),
    tracepointHook('interface-drops', 'skb/kfree_skb', { tp_btf: 'nt_pm_drop_b', tracepoint: 'nt_pm_drop_t' }, opt('drop counters')),
  ],
  configure(cfg, o, ctx) {
    configureStages(cfg, profile, run(o), ctx, {
      details: true,
      meta: true,
      thresholdNs: (o.threshold ?? 0) * 1000,
      maxSessions: o.maxSessions,
    });
  },
  output: {
    kind: 'stream',
    layout: NtStageSessionLayout,
    columns: METRICS_ROW_COLUMNS,
    row: (s, ctx) =>
      metricsRow(profile, s, (i) => deviceName([ctx.options.phyInterface, ctx.options.internalInterface], ctx.options.netns, i)),
    collect(ctx) {
      const r = run(ctx.options);
      const path = ctx.final || ctx.options.verbose ? [pathSection(profile, runTables(profile, r, ctx), r.directions)] : [];
      return { sections: [...path, sessionsSection(ctx, r.directions), interfaces(ctx)] };
    },
  },
});

function opt(what: string) {
  return { optional: true, degrades: `the interface ${what}` };
}
