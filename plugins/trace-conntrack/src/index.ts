// trace-conntrack: follow packets through connection tracking: per packet the verdict, ctinfo,
// entry status and TCP state at each conntrack function, plus the NEW/DESTROY stream of the
// entries. Filters run in the kernel, on either side of a flow (BCC's reverse match).
import {
  columns,
  countersSection,
  definePlugin,
  enumNames,
  flowFields,
  flowText,
  kernelTimeColumn,
  kindCountsSection,
  monotonicToIso,
  netnsLabel,
  type PluginContext,
  reportCounters,
  stackColumn,
  vocabulary,
} from '@nettrace/core';
import { hooks } from './hooks.js';
import { ctinfoName, ovsStateFlags, statusFlags, tcpFlags, tcpStateName, verdictName } from './labels.js';
import { CtClass, type CtEvent, CtEventLayout, CtPoint, contract, PerPointCountsLayout } from './trace_conntrack.gen.js';

/** enum ct_point as the output names it, with the kernel function (or tracepoint) of each. */
export const POINTS: Record<Exclude<CtPoint, typeof CtPoint.CT_POINTS>, [string, string]> = {
  [CtPoint.CT_IN]: ['in', 'nf_conntrack_in'],
  [CtPoint.CT_TCP]: ['tcp_state', 'nf_conntrack_tcp_packet'],
  [CtPoint.CT_REFRESH]: ['refresh', '__nf_ct_refresh_acct'],
  [CtPoint.CT_NEW]: ['new', '__nf_conntrack_confirm'],
  [CtPoint.CT_DESTROY]: ['destroy', 'nf_ct_destroy'],
  [CtPoint.CT_XMIT]: ['xmit', 'net_dev_start_xmit'],
  [CtPoint.CT_OVS_EXEC]: ['ovs_execute', 'ovs_ct_execute'],
  [CtPoint.CT_OVS_LOOKUP]: ['ovs_lookup', '__ovs_ct_lookup'],
  [CtPoint.CT_OVS_UPDATE]: ['ovs_update', '__ovs_ct_update_key'],
};

const options = {
  srcIp: vocabulary.srcIp(),
  dstIp: vocabulary.dstIp(),
  srcPort: vocabulary.srcPort(),
  dstPort: vocabulary.dstPort(),
  protocol: vocabulary.protocol({ description: 'L4 protocol: tcp, udp, icmp, all or a number' }),
  filtersFile: vocabulary.filtersFile(),
  netns: vocabulary.netns({
    description: "only this network namespace's conntrack (a name under /var/run/netns or /proc/PID/ns/net)",
  }),
  relTime: {
    kind: 'flag',
    long: 'rel-time',
    description: 'seconds since the first event instead of clock time',
    default: false,
  } as const,
  stack: {
    kind: 'enum',
    long: 'stack',
    choices: ['true', 'false'],
    description: 'kernel stack of every event',
    default: 'false',
  } as const,
};

type Ctx = PluginContext<typeof options, typeof contract>;
type Row = Record<string, unknown>;

const hex = (p: bigint) => (p ? `0x${p.toString(16)}` : null);
/** --rel-time: the first event's timestamp, per run (object). */
const firstTs = new WeakMap<object, number>();

function packet(e: CtEvent) {
  if (!e.pkt.family) return null;
  const tcp = e.pkt.protocol === 6 ? { tcp_flags: tcpFlags(e.tcp_flags), tcp_seq: e.tcp_seq, tcp_ack: e.tcp_ack } : {};
  return { ...flowFields(e.pkt), ip_id: e.ip_id, ...tcp };
}

export function row(e: CtEvent, ctx: Ctx): Row {
  const [point, func] = POINTS[e.point as keyof typeof POINTS] ?? [String(e.point), '?'];
  if (!firstTs.has(ctx.object)) firstTs.set(ctx.object, e.ts_ns);
  const state = (v: number) => tcpStateName((n) => ctx.kernelEnum(n), v) ?? null;
  return {
    time: monotonicToIso(e.ts_ns),
    ts_ns: e.ts_ns,
    ...(ctx.options.relTime ? { rel_s: (e.ts_ns - (firstTs.get(ctx.object) ?? e.ts_ns)) / 1e9 } : {}),
    point,
    func,
    comm: e.comm,
    pid: e.pid,
    cpu: e.cpu,
    interface: e.ifname || null,
    ifindex: e.ifindex,
    netns: e.netns ? netnsLabel(e.netns) : null,
    packet: packet(e),
    pkt_text: e.pkt.family ? flowText(e.pkt) : null,
    skb: hex(e.skb),
    ctinfo: ctinfoName(e.ctinfo),
    ct: hex(e.ct),
    status: e.ct ? Number(e.status) : null,
    status_flags: e.ct ? statusFlags(Number(e.status)) : [],
    tcp_state_before: state(e.tcp_state_before),
    tcp_state: state(e.tcp_state),
    verdict: point === 'ovs_execute' ? (e.verdict ? `ERROR(${e.verdict})` : 'OK') : (verdictName(e.verdict) ?? null),
    zone: e.zone,
    zone_dir: e.zone_dir,
    mark: e.mark,
    orig: e.ct ? flowFields(e.orig) : null,
    reply: e.ct ? flowFields(e.reply) : null,
    ...(point === 'ovs_execute' || point === 'ovs_lookup' ? { ovs_commit: Boolean(e.ovs_commit) } : {}),
    ...(point === 'ovs_update' ? { ovs_ct_state: ovsStateFlags(e.ovs_state) } : {}),
    ...(e.stack_id >= 0 ? { stack: ctx.kernelStack(e.stack_id) } : {}),
  };
}

const packetText = (r: Row) => {
  const flags = (r.packet as { tcp_flags?: string[] } | null)?.tcp_flags;
  return `${r.pkt_text ?? '-'}${flags ? ` [${flags.join('|')}]` : ''}`;
};
const stateText = (r: Row) =>
  r.tcp_state_before && r.tcp_state_before !== r.tcp_state ? `${r.tcp_state_before}->${r.tcp_state}` : (r.tcp_state ?? '-');

const eventColumns = [
  kernelTimeColumn(),
  ...columns({
    point: 'POINT',
    packet: { header: 'PACKET', value: packetText },
    ctinfo: 'CTINFO',
    ct: 'ENTRY',
    tcp_state: { header: 'TCP STATE', value: stateText },
    status_flags: { header: 'STATUS', value: (r: Row) => (r.status_flags as string[]).join('|') || '-' },
    verdict: { header: 'VERDICT', value: (r: Row) => r.verdict ?? '-' },
  }),
  stackColumn(),
];

/** Events per point and protocol, and the pairing's bookkeeping. */
function collect(ctx: Ctx) {
  const perPoint = {
    map: 'per_point',
    layout: PerPointCountsLayout,
    points: Object.fromEntries(Object.entries(POINTS).map(([i, [p]]) => [i, p])),
    pointKey: 'point',
    pointHeader: 'POINT',
    kinds: enumNames(CtClass, 'CT_CLASS_', CtClass.CT_CLASSES),
  };
  return {
    sections: [
      kindCountsSection(ctx, 'per_point', 'Events per point and protocol', perPoint),
      countersSection('pairing', reportCounters(ctx), 'Entry/return pairing'),
    ],
  };
}

export default definePlugin({
  id: 'trace-conntrack',
  summary: 'Packets through connection tracking: verdict, ctinfo, status and TCP state per packet, plus entry NEW/DESTROY',
  description:
    'fentry/fexit (else kprobes) on nf_conntrack_in, nf_conntrack_tcp_packet, __nf_ct_refresh_acct, __nf_conntrack_confirm (NEW), nf_ct_destroy/destroy_conntrack (DESTROY) and the OVS conntrack functions (ovs_ct_execute, __ovs_ct_lookup, __ovs_ct_update_key). Without kprobes and fentry only the entry each transmitted packet carries is shown (net:net_dev_start_xmit).',
  contract,
  options,
  defaultInterval: 0,
  hooks,
  notes: (o) => (o.stack === 'true' ? [] : ['no kernel stacks unless --stack true (BCC printed them by default)']),
  configure(cfg, o) {
    cfg.set('cfg_either_direction', 1);
    cfg.set('cfg_stack', o.stack === 'true');
  },
  output: {
    kind: 'stream',
    layout: CtEventLayout,
    columns: eventColumns,
    row,
    collect,
  },
});
