// vm-network-performance-metrics: per packet of a VM's traffic between its tap (vnet), Open vSwitch
// and the physical NIC, every stage it passed with the skb as that stage saw it (device, length,
// hash, queue, CPU), the qdisc sojourn and, with --enable-ct, the time in OVS's ct(). `tx` leaves
// the VM.
import {
  configureStages,
  definePlugin,
  deviceName,
  flowFilterOptions,
  METRICS_ROW_COLUMNS,
  metricsRow,
  NtStageSessionLayout,
  type OptionValues,
  pathSection,
  vmOvsProfile as profile,
  profileHooks,
  runTables,
  sessionsSection,
  stageOptions,
  stageRun,
  vmPathOptions,
} from '@nettrace/core';
import { contract } from './vm_network_performance_metrics.gen.js';

const options = {
  ...vmPathOptions(),
  ...flowFilterOptions(),
  threshold: stageOptions.threshold(),
  enableCt: stageOptions.enableCt(),
  maxSessions: stageOptions.maxSessions(),
};
const run = (o: OptionValues<typeof options>) =>
  stageRun('vm-network-performance-metrics', profile, o, { vm: o.vmInterface, phy: o.phyInterface }, ['vm', 'phy']);

export default definePlugin({
  id: 'vm-network-performance-metrics',
  summary: "Per-packet stages with skb metadata, qdisc sojourn and conntrack time for a VM's traffic through Open vSwitch",
  description:
    "Follows every packet of the filtered flow between the VM's tap (--vm-interface), the OVS datapath (with --enable-ct its ct() action and conntrack lookup), the physical NIC's qdisc and driver (--phy-interface), and back, keyed by the packet itself; one record per packet with every stage's time, device, length, paged bytes, hash, queue and CPU, the qdisc sojourn and the ct() time, filtered by --latency-us in the kernel. tx leaves the VM.",
  contract,
  options,
  hooks: profileHooks<typeof contract, keyof typeof options>(profile),
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
    row: (s, ctx) => metricsRow(profile, s, (i) => deviceName([ctx.options.vmInterface, ctx.options.phyInterface], ctx.options.netns, i)),
    collect(ctx) {
      const r = run(ctx.options);
      const path = ctx.final ? [pathSection(profile, runTables(profile, r, ctx), r.directions)] : [];
      return { sections: [...path, sessionsSection(ctx, r.directions)] };
    },
  },
});
