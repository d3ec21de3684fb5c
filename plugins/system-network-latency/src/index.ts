// system-network-latency: for the host's own TCP, UDP and ICMP traffic through an OVS internal
// port and the physical NIC, how long each hop between adjacent stages takes and how long the
// whole host path takes, per direction: histograms and counters aggregated in the kernel.
import {
  configureStages,
  definePlugin,
  flowFilterOptions,
  hostPathOptions,
  type OptionValues,
  hostOvsProfile as profile,
  profileHooks,
  runTables,
  stageOptions,
  stageRun,
  stageSummary,
  vocabulary,
} from '@nettrace/core';
import { contract } from './system_network_latency.gen.js';

const options = {
  ...hostPathOptions(),
  ...flowFilterOptions(),
  enableCt: stageOptions.enableCt(),
  maxSessions: stageOptions.maxSessions(),
  clear: vocabulary.clear(),
  verbose: vocabulary.verbose({ description: 'a histogram per adjacent stage pair, and the path in every report' }),
};

const run = (o: OptionValues<typeof options>) =>
  stageRun('system-network-latency', profile, o, { phy: o.phyInterface, internal: o.internalInterface }, ['phy']);

export default definePlugin({
  id: 'system-network-latency',
  summary: "Latency of the host's packets per stage between its sockets, an OVS internal port and the physical NIC (in-kernel histograms)",
  description:
    'Follows every packet of the filtered flow from stage to stage (socket send, internal port, OVS datapath and upcall, qdisc, NIC; and back up to TCP/UDP/ICMP receive), keyed by the packet itself, and aggregates in the kernel: per adjacent stage pair and end to end, count, average, maximum, cross-CPU hops and a log2 histogram. Stages whose hooks this kernel lacks are named and skipped.',
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
