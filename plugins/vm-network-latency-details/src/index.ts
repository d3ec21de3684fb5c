// vm-network-latency-details: one record per packet of a VM's TCP, UDP and ICMP traffic between
// its tap (vnet) device, Open vSwitch and the physical NIC, with the time of every stage it passed
// in the order it passed them; only packets whose host path took at least --threshold. `tx`
// leaves the VM.
import {
  configureStages,
  definePlugin,
  flowFilterOptions,
  NtStageSessionLayout,
  type OptionValues,
  pathSection,
  vmOvsProfile as profile,
  profileHooks,
  runTables,
  SESSION_ROW_COLUMNS,
  sessionRow,
  sessionsSection,
  stageOptions,
  stageRun,
  vmPathOptions,
} from '@nettrace/core';
import { contract } from './vm_network_latency_details.gen.js';

const options = {
  ...vmPathOptions(),
  ...flowFilterOptions(),
  threshold: stageOptions.threshold(),
  enableCt: stageOptions.enableCt(),
  maxSessions: stageOptions.maxSessions(),
};

const run = (o: OptionValues<typeof options>) =>
  stageRun('vm-network-latency-details', profile, o, { vm: o.vmInterface, phy: o.phyInterface }, ['vm', 'phy']);

export default definePlugin({
  id: 'vm-network-latency-details',
  summary: "Per-packet stage timestamps of a VM's traffic between its tap, Open vSwitch and the physical NIC",
  description:
    'Follows every packet of the filtered flow from stage to stage (tap receive, OVS datapath and upcall, output, the NIC; and back from the NIC to the tap), keyed by the packet itself (TCP sequence and length, IPv4 id, ICMP id and sequence), and streams one record per packet that reached its last stage with every stage in order and the time since the previous one. --threshold (BCC: --latency-us) drops faster packets in the kernel; they are counted. tx leaves the VM.',
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
