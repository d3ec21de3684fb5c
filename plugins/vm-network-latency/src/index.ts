// vm-network-latency: for a VM's TCP, UDP and ICMP traffic between its tap (vnet) device, Open
// vSwitch and the physical NIC, how long each hop between adjacent stages takes (conntrack, qdisc
// and driver queue included) and how long the whole host path takes, per direction: histograms
// and counters aggregated in the kernel. `tx` leaves the VM.
import {
  configureStages,
  definePlugin,
  flowFilterOptions,
  type OptionValues,
  vmOvsProfile as profile,
  profileHooks,
  runTables,
  stageOptions,
  stageRun,
  stageSummary,
  vmPathOptions,
  vocabulary,
} from '@nettrace/core';
import { contract } from './vm_network_latency.gen.js';

const options = {
  ...vmPathOptions(),
  ...flowFilterOptions(),
  enableCt: stageOptions.enableCt(),
  maxSessions: stageOptions.maxSessions(),
  clear: vocabulary.clear(),
  verbose: vocabulary.verbose({ description: 'a histogram per adjacent stage pair, and the path in every report' }),
};

const run = (o: OptionValues<typeof options>) =>
  stageRun('vm-network-latency', profile, o, { vm: o.vmInterface, phy: o.phyInterface }, ['vm', 'phy']);

export default definePlugin({
  id: 'vm-network-latency',
  summary: "Latency of a VM's packets per stage between its tap, Open vSwitch and the physical NIC (in-kernel histograms)",
  description:
    "Follows every packet of the filtered flow from stage to stage (tap receive, OVS datapath, upcall, ct() with --enable-ct, output, the NIC's qdisc and driver; and from the NIC back to the tap's qdisc and driver), keyed by the packet itself, and aggregates in the kernel: per adjacent stage pair and end to end, count, average, maximum, cross-CPU hops and a log2 histogram. tx leaves the VM (the libbpf port's -r rx).",
  contract,
  options,
  defaultInterval: 5,
  hooks: profileHooks<typeof contract, keyof typeof options>(profile),
  configure(cfg, o, ctx) {
    configureStages(cfg, profile, run(o), ctx, { aggregate: true, maxSessions: o.maxSessions });
  },
  output: {
    kind: 'report',
    collect(ctx) {
      const r = run(ctx.options);
      return stageSummary(ctx, profile, runTables(profile, r, ctx), r.directions, {
        verbose: ctx.options.verbose,
      });
    },
  },
});
