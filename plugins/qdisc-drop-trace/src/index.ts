// qdisc-drop-trace: which interfaces and qdiscs drop packets, how many and how many bytes, out of
// how many offered? Per-packet lines (every packet offered, or drops only) with the flow and, with
// -v, the kernel stack of each drop. Drops come from the kernel's drop reason where it has one,
// else from the enqueue return code (see bpf/qdisc_drop_trace.bpf.c).
import {
  columns,
  countersSection,
  definePlugin,
  dropReasonLabel,
  dropReasons,
  flowEndpoint,
  flowFields,
  flowOptions,
  functionHook,
  interfaceColumn,
  ladder,
  monotonicToIso,
  netnsLabel,
  type PluginContext,
  reportCounters,
  sinceLastReport,
  stackColumn,
  tableSection,
  timeColumn,
  tracepointHook,
  vocabulary,
} from '@nettrace/core';
import { contract, type QdiscEvent, QdiscEventLayout, QdiscKeyLayout, QdiscValLayout } from './qdisc_drop_trace.gen.js';

const options = {
  iface: vocabulary.iface({ description: 'only this interface (see --netns)' }),
  netns: vocabulary.netns(),
  ...flowOptions(),
  dropsOnly: { kind: 'flag', long: 'drops-only', description: 'per-packet lines for dropped packets only', default: false } as const,
  summary: { kind: 'flag', long: 'summary', description: 'no per-packet lines: the per-qdisc reports only', default: false } as const,
  verbose: vocabulary.verbose({ description: 'the kernel stack of each drop (whole stack in JSON, 4 frames in text)' }),
};

type Ctx = PluginContext<typeof options, typeof contract>;
type Row = Record<string, unknown>;
const NET_XMIT: Record<number, string> = { 1: 'NET_XMIT_DROP', 2: 'NET_XMIT_CN' };
const SOURCES: Record<number, string> = { 1: 'drop reason', 2: 'dev_qdisc_enqueue', 3: '__dev_queue_xmit' };
const STATS = ['offered', 'offered_bytes', 'drops', 'drop_bytes', 'cn_returns'] as const;

/** A qdisc handle as tc prints it: "8001:" (minor 0) or "1:10" (hex major:minor). */
export function tcHandle(h: number): string {
  const minor = h & 0xffff;
  return `${(h >>> 16).toString(16)}:${minor ? minor.toString(16) : ''}`;
}

/** Why a packet was counted as dropped: the drop reason, or the return code and where it came from. */
export function cause(e: Pick<QdiscEvent, 'source' | 'code'>, reasonLabel: (code: number) => string): string {
  if (e.source === 1) return reasonLabel(e.code);
  return `${NET_XMIT[e.code] ?? e.code} from ${SOURCES[e.source] ?? e.source}`;
}

function row(e: QdiscEvent, ctx: Ctx): Row {
  const drop = e.line === 2;
  const ns = netnsLabel(e.pkt.netns);
  return {
    time: monotonicToIso(e.ts_ns),
    event: drop ? 'drop' : 'queue',
    interface: e.pkt.ifname,
    ...(ns ? { netns: ns } : {}),
    ifindex: e.pkt.ifindex,
    qdisc: tcHandle(e.pkt.qdisc.handle),
    qdisc_kind: e.pkt.qdisc.kind,
    len: e.pkt.len,
    ...flowFields(e.pkt.flow),
    pid: e.pid,
    comm: e.comm,
    ...(drop ? { cause: cause(e, (c) => dropReasonLabel(dropReasons(ctx.kernelEnum), c)) } : {}),
    ...(drop && e.stack_id >= 0 ? { stack: ctx.kernelStack(e.stack_id) } : {}),
  };
}

const eventColumns = [
  timeColumn(),
  ...columns({
    event: { header: 'EVENT', value: (r: Row) => String(r.event).toUpperCase() },
  }),
  interfaceColumn(),
  ...columns({
    qdisc: { header: 'QDISC', value: (r: Row) => `${r.qdisc_kind} ${r.qdisc}` },
    len: 'LEN',
    protocol: 'PROTO',
    src: { header: 'SOURCE', value: (r: Row) => (r.src_ip ? flowEndpoint(r, 'src') : '-') },
    dst: { header: 'DESTINATION', value: (r: Row) => (r.dst_ip ? flowEndpoint(r, 'dst') : '-') },
    cause: { header: 'CAUSE', value: (r: Row) => r.cause ?? '' },
  }),
  stackColumn(),
];

function collect(ctx: Ctx) {
  const now = new Map<string, number[]>();
  const names = new Map<string, { interface: string; netns: string; ifindex: number; qdisc: string; kind: string }>();
  for (const { key, value } of ctx.entries('qdiscs', QdiscKeyLayout, QdiscValLayout)) {
    const id = `${key.netns}/${key.ifindex}/${key.handle}`;
    now.set(
      id,
      STATS.map((s) => value[s]),
    );
    names.set(id, {
      interface: value.ifname,
      netns: netnsLabel(key.netns),
      ifindex: key.ifindex,
      qdisc: tcHandle(key.handle),
      kind: value.kind,
    });
  }
  const rows = [...sinceLastReport(ctx, 'qdiscs', now)]
    .filter(([, d]) => ctx.final || d.some(Boolean))
    .map(([id, d]) => ({ ...names.get(id), ...Object.fromEntries(STATS.map((s, i) => [s, d[i]])) }) as Row)
    .sort((a, b) => (b.drops as number) - (a.drops as number) || String(a.interface).localeCompare(String(b.interface)));
  const qdiscColumns = [
    interfaceColumn('INTERFACE'),
    ...columns({
      qdisc: { header: 'QDISC', value: (r: Row) => `${r.kind} ${r.qdisc}` },
      offered: 'OFFERED',
      drops: 'DROPS',
      drop_bytes: 'DROP_BYTES',
      cn_returns: 'CN',
    }),
  ];
  return {
    sections: [
      tableSection('qdiscs', `Qdisc drops (${ctx.final ? 'whole run' : 'this interval'})`, qdiscColumns, rows),
      countersSection('totals', reportCounters(ctx), 'Drops by source, and bookkeeping'),
    ],
  };
}

export default definePlugin({
  id: 'qdisc-drop-trace',
  summary: 'Packets qdiscs drop, per interface and qdisc handle: packets, bytes, out of how many offered; per-packet lines',
  description:
    'Drops come from skb:kfree_skb with a qdisc drop reason (5.19+), else from the enqueue return code (fexit dev_qdisc_enqueue, else __dev_queue_xmit by fexit or kretprobe); net:net_dev_queue counts the packets offered to each qdisc. Filters apply to both.',
  contract,
  options,
  defaultInterval: 10,
  hooks: [
    ladder('qdisc drops', [
      {
        tracepoint: 'skb/kfree_skb',
        requires: { enum: 'skb_drop_reason', value: 'SKB_DROP_REASON_QDISC_DROP', why: 'qdisc drops carry a drop reason from 5.19' },
      },
      { function: 'dev_qdisc_enqueue', exit: true, only: 'fentry' },
      { function: '__dev_queue_xmit', exit: true },
    ]),
    tracepointHook('net_dev_queue', 'net/net_dev_queue'),
    functionHook('__dev_queue_xmit entry', '__dev_queue_xmit', { pairedWith: { hook: 'qdisc drops', target: '__dev_queue_xmit' } }),
  ],
  configure(cfg, o) {
    cfg.set('cfg_lines', o.summary ? 0 : o.dropsOnly ? 1 : 2);
    cfg.set('cfg_stack', o.verbose);
  },
  output: {
    kind: 'stream',
    layout: QdiscEventLayout,
    columns: eventColumns,
    row,
    collect,
  },
});
