// system-network-latency-details: one record per packet of the host's own TCP, UDP and ICMP
// traffic through an OVS internal port and the physical NIC, with the time of every stage it
// passed, in the order it passed them; only packets whose host path took at least --threshold.
import {
  configureStages,
  definePlugin,
  flowFilterOptions,
  hostPathOptions,
  NtStageSessionLayout,
  type OptionValues,
  pathSection,
  hostOvsProfile as profile,
  profileHooks,
  runTables,
  SESSION_ROW_COLUMNS,
  sessionRow,
  sessionsSection,
  stageOptions,
  stageRun,
} from '@nettrace/core';
import { contract } from './system_network_latency_details.gen.js';

const options = {
  ...hostPathOptions(),
  ...flowFilterOptions(),
  threshold: stageOptions.threshold(),
  enableCt: stageOptions.enableCt(),
  maxSessions: stageOptions.maxSessions(),
};

const run = (o: OptionValues<typeof options>) =>
  stageRun('system-network-latency-details', profile, o, { phy: o.phyInterface, internal: o.internalInterface }, ['phy']);

export default definePlugin({
  id: 'system-network-latency-details',
  summary: "Per-packet stage timestamps of the host's traffic between its sockets, an OVS internal port and the physical NIC",
  description:
    'Follows every packet of the filtered flow from stage to stage (IP output, internal port, OVS datapath and upcall, qdisc, NIC; and back up to TCP/UDP/ICMP receive), keyed by the packet itself, and streams one record per packet that reached its last stage, with every stage it passed in order and the time since the previous one. --threshold (BCC: --latency-us) drops faster packets in the kernel; they are counted.',
  contract,
  options,
  hooks: profileHooks<typeof contract, keyof typeof options>(profile),
  configure(cfg, o, ctx) {
    configureStages(cfg, profile, run(o), ctx, { details: true, thresholdNs: (o.threshold ?? 0) * 1000, maxSessions: o.maxSessions });
  },
  output: {
    kind: 'stream',
    layout: NtStageSessionLayout,
    columns: SESSION_ROW_COLUMNS,
    row: (s) => sessionRow(profile, s),
    collect(ctx) {
      const r = run(ctx.options);
      const path = ctx.final ? [pathSection(profile, runTables(profile, r, ctx), r.directions)] : [];
      return { sections: [...path, sessionsSection(ctx, r.directions)] };
    },
  },
});
