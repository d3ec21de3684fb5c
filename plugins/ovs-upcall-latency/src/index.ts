// ovs-upcall-latency: how long do Open vSwitch upcalls take? From the datapath miss
// (ovs_dp_upcall, OVS_PACKET_CMD_MISS) to ovs-vswitchd sending the same packet back with
// OVS_PACKET_CMD_EXECUTE, per flow kind: upcalls, completed, completion %, mean, and a log2
// histogram of the latency in microseconds. Each interval report holds that interval's numbers.
import {
  countersSection,
  definePlugin,
  functionHook,
  histogramSection,
  ovsUpcallHook,
  type PluginContext,
  reportCounters,
  reportPeriod,
  sinceLastReport,
  vocabulary,
  withSummary,
} from '@nettrace/core';
import { contract, FlowKind, KindStatsLayout } from './ovs_upcall_latency.gen.js';

const options = {
  srcIp: vocabulary.srcIp({ description: 'IPv4/IPv6 address, as source or destination' }),
  dstIp: vocabulary.dstIp({ description: 'IPv4/IPv6 address, as source or destination' }),
  srcPort: vocabulary.srcPort({ description: 'port, as source or destination' }),
  dstPort: vocabulary.dstPort({ description: 'port, as source or destination' }),
  protocol: vocabulary.protocol({ aliases: ['proto', 'l4-protocol'] }),
  verbose: vocabulary.verbose({ description: 'a latency histogram per flow kind too' }),
};
type Ctx = PluginContext<typeof options, typeof contract>;

/** Flow kinds in the kernel's order (enum flow_kind), lower case. */
const KINDS = Object.keys(FlowKind)
  .filter((k) => k !== 'KINDS')
  .map((k) => k.replace(/^KIND_/, '').toLowerCase());

interface KindRow {
  kind: string;
  upcalls: number;
  completed: number;
  latency_sum_ns: number;
  hist: number[];
}

/** Per kind, this report's counts (sinceLastReport: the interval's, or the whole run's). */
function kindRows(ctx: Ctx): KindRow[] {
  const now = new Map<string, KindRow>();
  KINDS.forEach((kind, i) => {
    const s = ctx.read('per_kind', KindStatsLayout, { key: i });
    if (!s) throw new Error(`ovs-upcall-latency: per_kind[${i}] is missing`);
    now.set(kind, { kind, upcalls: s.upcalls, completed: s.completed, latency_sum_ns: s.latency_sum_ns, hist: s.latency_us.slots });
  });
  return [...sinceLastReport(ctx, 'per_kind', now, ['upcalls', 'completed', 'latency_sum_ns', 'hist']).values()];
}

const pct = (part: number, whole: number) => (whole ? Math.round((1000 * part) / whole) / 10 : null);
const meanUs = (sumNs: number, n: number) => (n ? Math.round(sumNs / n / 100) / 10 : null);

function tableRow(r: Omit<KindRow, 'hist'>) {
  return {
    kind: r.kind,
    upcalls: r.upcalls,
    completed: r.completed,
    incomplete: r.upcalls - r.completed,
    completion_pct: pct(r.completed, r.upcalls),
    mean_us: meanUs(r.latency_sum_ns, r.completed),
  };
}

function collect(ctx: Ctx) {
  const rows = kindRows(ctx);
  const total = rows.reduce(
    (t, r) => ({
      kind: 'all',
      upcalls: t.upcalls + r.upcalls,
      completed: t.completed + r.completed,
      latency_sum_ns: t.latency_sum_ns + r.latency_sum_ns,
      hist: t.hist.map((n, i) => n + (r.hist[i] ?? 0)),
    }),
    { kind: 'all', upcalls: 0, completed: 0, latency_sum_ns: 0, hist: (rows[0]?.hist ?? []).map(() => 0) },
  );
  const latency = (key: string, label: string, r: KindRow) =>
    withSummary(
      histogramSection(key, `Upcall → execute latency, ${label} (${reportPeriod(ctx)})`, r.hist, 'us', 'upcalls'),
      r.latency_sum_ns / 1000,
    );
  const shown = rows.filter((r) => r.upcalls || ctx.final);
  return {
    sections: [
      {
        kind: 'table' as const,
        key: 'upcalls',
        title: `Miss upcalls per flow kind (${reportPeriod(ctx)})`,
        columns: [
          { key: 'kind', header: 'KIND' },
          { key: 'upcalls', header: 'UPCALLS' },
          { key: 'completed', header: 'COMPLETED' },
          { key: 'incomplete', header: 'INCOMPLETE' },
          { key: 'completion_pct', header: 'COMPLETION%' },
          { key: 'mean_us', header: 'MEAN(us)' },
        ],
        rows: [...shown, total].map(tableRow),
      },
      latency('latency', 'all kinds', total),
      ...(ctx.options.verbose ? rows.map((r) => latency(`latency_${r.kind}`, r.kind, r)) : []),
      countersSection('counters', reportCounters(ctx)),
    ],
  };
}

export default definePlugin({
  id: 'ovs-upcall-latency',
  summary: 'OVS upcall latency: datapath miss to the OVS_PACKET_CMD_EXECUTE answering it, per flow kind, with completion %',
  description:
    'Hooks the openvswitch:ovs_dp_upcall tracepoint (5.19+), else ovs_dp_upcall (fentry, else kprobe), for miss upcalls, and ovs_packet_cmd_execute (fentry, else kprobe) for the packet ovs-vswitchd sends back; module openvswitch. A miss and its execute are paired by the packet itself (addresses, protocol, ports or ICMP id/sequence, IPv4 id or TCP sequence), read from the skb at the upcall and from the OVS_PACKET_ATTR_PACKET frame (up to two VLAN tags) at the execute. The address, port and protocol filters apply to the flow key OVS extracted, each address and port on either side.',
  contract,
  options,
  defaultInterval: 5,
  hooks: [ovsUpcallHook(), functionHook('execute', 'ovs_packet_cmd_execute', { module: 'openvswitch' })],
  configure(cfg) {
    cfg.set('cfg_either_direction', 2); // upstream: each address and port may be the source or the destination
  },
  output: { kind: 'report', collect },
});
