// skb-frag-list-watcher: where skbs get a frag_list (GRO fraglist), where it changes and where it
// is cleared (fraglist GSO, linearisation, new heads), and where GSO skbs have nothing to segment.
// One event per change; filters run in the kernel.
import {
  columns,
  countersSection,
  definePlugin,
  enumLabel,
  enumNames,
  flowFields,
  flowText,
  gsoTypeFlags,
  interfaceColumn,
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
import { contract, type FlEvent, FlEventLayout, FlFunc, FlKind, PerFuncCountsLayout } from './skb_frag_list_watcher.gen.js';

/** enum fl_func as the output names it: the kernel function, or the tracepoint of a fallback rung. */
export const FUNCTIONS: Record<Exclude<FlFunc, typeof FlFunc.FL_FUNCS>, string> = {
  [FlFunc.FL_GRO_RECEIVE_LIST]: 'skb_gro_receive_list',
  [FlFunc.FL_SEGMENT_LIST]: 'skb_segment_list',
  [FlFunc.FL_EXPAND_HEAD]: 'pskb_expand_head',
  [FlFunc.FL_PULL_TAIL]: '__pskb_pull_tail',
  [FlFunc.FL_GSO_SEGMENT]: '__skb_gso_segment',
  [FlFunc.FL_UDP_TUNNEL_SEGMENT]: 'skb_udp_tunnel_segment',
  [FlFunc.FL_INET_GSO_SEGMENT]: 'inet_gso_segment',
  [FlFunc.FL_TCP_GSO_SEGMENT]: 'tcp_gso_segment',
  [FlFunc.FL_SKB_SEGMENT]: 'skb_segment',
  [FlFunc.FL_RECEIVE]: 'netif_receive_skb',
  [FlFunc.FL_XMIT]: 'net_dev_start_xmit',
};
const functionName = (f: number) => FUNCTIONS[f as keyof typeof FUNCTIONS] ?? String(f);

/** enum fl_kind: CREATE, CLEAR, MODIFY, ACCESS, INCONSISTENT, SEEN. */
export const KINDS = enumNames(FlKind, 'FL_', FlKind.FL_KINDS);
const kindName = (k: number) => enumLabel(FlKind, k, 'FL_') ?? String(k);

const options = {
  srcIp: vocabulary.srcIp(),
  dstIp: vocabulary.dstIp(),
  srcPort: vocabulary.srcPort(),
  dstPort: vocabulary.dstPort(),
  protocol: vocabulary.protocol(),
  iface: vocabulary.iface({ description: 'only skbs on this device (skb->dev; see --netns)' }),
  netns: vocabulary.netns(),
  gsoOnly: {
    kind: 'flag',
    long: 'gso-only',
    description: 'only GSO skbs (gso_size set when the function is entered)',
    default: false,
  } as const,
  excludeAccess: {
    kind: 'flag',
    long: 'exclude-access',
    description: 'no ACCESS events (skb_segment on a GSO skb without a frag_list, the normal software GSO case)',
    default: false,
  } as const,
  stackTrace: { kind: 'flag', long: 'stack-trace', description: 'kernel stack of every event', default: false } as const,
};

type Ctx = PluginContext<typeof options, typeof contract>;
type Row = Record<string, unknown>;

const hex = (p: bigint) => (p ? `0x${p.toString(16)}` : null);

export function row(e: FlEvent, ctx: Ctx): Row {
  const ns = e.ifindex ? netnsLabel(e.netns) : null;
  return {
    time: monotonicToIso(e.ts_ns),
    ts_ns: e.ts_ns,
    kind: kindName(e.kind),
    func: functionName(e.func),
    skb: hex(e.skb),
    frag_list_before: hex(e.frag_before),
    frag_list_after: hex(e.frag_after),
    gso_type_before: gsoTypeFlags(e.gso_type_before),
    gso_type_after: gsoTypeFlags(e.gso_type_after),
    gso_size_before: e.gso_size_before,
    gso_size_after: e.gso_size_after,
    gso_segs_before: e.gso_segs_before,
    gso_segs_after: e.gso_segs_after,
    nr_frags: e.nr_frags,
    len: e.len,
    data_len: e.data_len,
    interface: e.ifname || null,
    ifindex: e.ifindex,
    ...(ns ? { netns: ns } : {}),
    ...(e.flow.family ? flowFields(e.flow) : { protocol: null }),
    flow: flowText(e.flow),
    comm: e.comm,
    pid: e.pid,
    cpu: e.cpu,
    ...(e.stack_id >= 0 ? { stack: ctx.kernelStack(e.stack_id) } : {}),
  };
}

const gso = (r: Row, when: 'before' | 'after') =>
  `${(r[`gso_type_${when}`] as string[]).join('|') || '-'} size=${r[`gso_size_${when}`]} segs=${r[`gso_segs_${when}`]}`;

const eventColumns = [
  kernelTimeColumn(),
  ...columns({
    kind: 'EVENT',
    func: 'FUNCTION',
    skb: 'SKB',
    frag: { header: 'FRAG_LIST', value: (r: Row) => `${r.frag_list_before ?? 'NULL'} -> ${r.frag_list_after ?? 'NULL'}` },
    gso: {
      header: 'GSO',
      value: (r: Row) => (gso(r, 'before') === gso(r, 'after') ? gso(r, 'after') : `${gso(r, 'before')} -> ${gso(r, 'after')}`),
    },
    flow: 'FLOW',
  }),
  interfaceColumn('DEV'),
  ...columns({ task: { header: 'TASK', value: (r: Row) => `${r.comm}/${r.pid}@${r.cpu}` } }),
  stackColumn(),
];

/** Events per function and kind, and the pairing's bookkeeping. */
function collect(ctx: Ctx) {
  const perFunction = {
    map: 'per_func',
    layout: PerFuncCountsLayout,
    points: FUNCTIONS,
    pointKey: 'func',
    pointHeader: 'FUNCTION',
    kinds: KINDS,
  };
  return {
    sections: [
      kindCountsSection(ctx, 'per_function', 'Events per function and kind', perFunction),
      countersSection('pairing', reportCounters(ctx), 'Entry/return pairing'),
    ],
  };
}

export default definePlugin({
  id: 'skb-frag-list-watcher',
  summary: 'Where skbs get, change and lose a frag_list (GRO fraglist, fraglist GSO, linearisation), and GSO skbs with nothing to segment',
  description:
    'Entry/return pairs (fentry/fexit, else kprobes) over skb_gro_receive_list, skb_segment_list, pskb_expand_head, __pskb_pull_tail and the GSO chain compare skb_shinfo() before and after; skb_segment entry reports GSO skbs without a frag_list. Without kprobes and fentry: skbs seen with a frag_list after GRO and at transmit.',
  contract,
  options,
  defaultInterval: 0,
  hooks,
  configure(cfg, o) {
    cfg.set('cfg_gso_only', o.gsoOnly);
    cfg.set('cfg_exclude_access', o.excludeAccess);
    cfg.set('cfg_stack', o.stackTrace);
  },
  output: {
    kind: 'stream',
    layout: FlEventLayout,
    columns: eventColumns,
    row,
    collect,
  },
});
