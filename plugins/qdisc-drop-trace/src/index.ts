// qdisc-drop-trace: which interfaces and qdiscs drop packets, how many and how many bytes, out of
// how many offered? Per-packet lines (every packet offered, or drops only) with the flow and, with
// -v, the kernel stack of each drop. Drops come from the kernel's drop reason where it has one,
// else from the enqueue return code (see bpf/qdisc_drop_trace.bpf.c).
import {
  countersSinceLastReport,
  definePlugin,
  dropReasonLabel,
  dropReasons,
  flowFields,
  flowOptions,
  interfaceColumn,
  kernelStack,
  monotonicToIso,
  netnsLabel,
  type RunContext,
  sinceLastReport,
  stackColumn,
  timeColumn,
  tracepointHook,
  vocabulary,
} from '@nettrace/core';
import { decodeQdiscKey, decodeQdiscVal, type QdiscEvent, QdiscEventLayout } from './qdisc_drop_trace.gen.js';

const options = {
  iface: vocabulary.iface({ description: 'only this interface (see --netns)' }),
  netns: vocabulary.netns(),
  ...flowOptions(),
  dropsOnly: { kind: 'flag', long: 'drops-only', description: 'per-packet lines for dropped packets only', default: false } as const,
  summary: { kind: 'flag', long: 'summary', description: 'no per-packet lines: the per-qdisc reports only', default: false } as const,
  verbose: vocabulary.verbose({ description: 'the kernel stack of each drop (whole stack in JSON, 4 frames in text)' }),
};

type Values = { summary: boolean; dropsOnly: boolean; verbose: boolean };
type Row = Record<string, unknown>;
const NET_XMIT: Record<number, string> = { 1: 'NET_XMIT_DROP', 2: 'NET_XMIT_CN' };
const SOURCES: Record<number, string> = { 1: 'drop reason', 2: 'dev_qdisc_enqueue', 3: '__dev_queue_xmit' };
export const COUNTERS = [
  'reason_drops',
  'enqueue_rc_drops',
  'xmit_rc_drops',
  'cn_returns',
  'unmatched_returns',
  'too_deep',
  'untracked',
] as const;
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

function row(e: QdiscEvent, ctx: RunContext<Values>): Row {
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
    ...(drop && e.stack_id >= 0 ? { stack: kernelStack(ctx.object, e.stack_id, ctx.symbols()) } : {}),
  };
}

const columns = [
  timeColumn(),
  { key: 'event', header: 'EVENT', value: (r: Row) => String(r.event).toUpperCase() },
  interfaceColumn(),
  { key: 'qdisc', header: 'QDISC', value: (r: Row) => `${r.qdisc_kind} ${r.qdisc}` },
  { key: 'len', header: 'LEN' },
  { key: 'protocol', header: 'PROTO' },
  { key: 'src', header: 'SOURCE', value: (r: Row) => (r.src_ip ? `${r.src_ip}:${r.src_port}` : '-') },
  { key: 'dst', header: 'DESTINATION', value: (r: Row) => (r.dst_ip ? `${r.dst_ip}:${r.dst_port}` : '-') },
  { key: 'cause', header: 'CAUSE', value: (r: Row) => r.cause ?? '' },
  stackColumn(),
];

function collect(ctx: RunContext<Values>) {
  const map = ctx.object.map('qdiscs');
  const now = new Map<string, number[]>();
  const names = new Map<string, { interface: string; netns: string; ifindex: number; qdisc: string; kind: string }>();
  for (const [k, v] of map.entries()) {
    const key = decodeQdiscKey(new DataView(k.buffer), 0);
    const val = decodeQdiscVal(new DataView(v.buffer), 0);
    const id = `${key.netns}/${key.ifindex}/${key.handle}`;
    now.set(
      id,
      STATS.map((s) => val[s]),
    );
    names.set(id, {
      interface: val.ifname,
      netns: netnsLabel(key.netns),
      ifindex: key.ifindex,
      qdisc: tcHandle(key.handle),
      kind: val.kind,
    });
  }
  const rows = [...sinceLastReport(ctx, 'qdiscs', now)]
    .filter(([, d]) => ctx.final || d.some(Boolean))
    .map(([id, d]) => ({ ...names.get(id), ...Object.fromEntries(STATS.map((s, i) => [s, d[i]])) }) as Row)
    .sort((a, b) => (b.drops as number) - (a.drops as number) || String(a.interface).localeCompare(String(b.interface)));
  return {
    sections: [
      {
        kind: 'table' as const,
        key: 'qdiscs',
        title: `Qdisc drops (${ctx.final ? 'whole run' : 'this interval'})`,
        columns: [
          interfaceColumn('INTERFACE'),
          { key: 'qdisc', header: 'QDISC', value: (r: Row) => `${r.kind} ${r.qdisc}` },
          { key: 'offered', header: 'OFFERED' },
          { key: 'drops', header: 'DROPS' },
          { key: 'drop_bytes', header: 'DROP_BYTES' },
          { key: 'cn_returns', header: 'CN' },
        ],
        rows,
      },
      {
        kind: 'counters' as const,
        key: 'totals',
        title: 'Drops by source, and bookkeeping',
        values: countersSinceLastReport(ctx, COUNTERS),
      },
    ],
  };
}

export default definePlugin({
  id: 'qdisc-drop-trace',
  summary: 'Packets qdiscs drop, per interface and qdisc handle: packets, bytes, out of how many offered; per-packet lines',
  description:
    'Drops come from skb:kfree_skb with a qdisc drop reason (5.19+), else from the enqueue return code (fexit dev_qdisc_enqueue, else __dev_queue_xmit by fexit or kretprobe); net:net_dev_queue counts the packets offered to each qdisc. Filters apply to both.',
  object: new URL('./qdisc_drop_trace.bpf.o', import.meta.url),
  options,
  defaultInterval: 10,
  hooks: [
    {
      name: 'qdisc drops',
      alternatives: [
        ...tracepointHook('kfree_skb', 'skb/kfree_skb', { tp_btf: 'nt_qdt_btf', tracepoint: 'nt_qdt_tp' }).alternatives.map((a) => ({
          ...a,
          requires: { enum: 'skb_drop_reason', value: 'SKB_DROP_REASON_QDISC_DROP', why: 'qdisc drops carry a drop reason from 5.19' },
        })),
        { program: 'nt_qdt_enq_fx', kind: 'fexit' as const, target: 'dev_qdisc_enqueue' },
        { program: 'nt_qdt_xmit_fx', kind: 'fexit' as const, target: '__dev_queue_xmit' },
        { program: 'nt_qdt_xmit_kr', kind: 'kretprobe' as const, target: '__dev_queue_xmit' },
      ],
    },
    tracepointHook('net_dev_queue', 'net/net_dev_queue', { tp_btf: 'nt_qdt_ndq_btf', tracepoint: 'nt_qdt_ndq_tp' }),
    {
      name: '__dev_queue_xmit entry',
      when: { hook: 'qdisc drops', programs: ['nt_qdt_xmit_fx', 'nt_qdt_xmit_kr'] },
      alternatives: [
        { program: 'nt_qdt_xmit_fe', kind: 'fentry', target: '__dev_queue_xmit' },
        { program: 'nt_qdt_xmit_kp', kind: 'kprobe', target: '__dev_queue_xmit' },
      ],
    },
  ],
  configure(cfg, o) {
    cfg.set('cfg_lines', o.summary ? 0 : o.dropsOnly ? 1 : 2);
    cfg.set('cfg_stack', o.verbose);
  },
  output: {
    kind: 'stream',
    layout: QdiscEventLayout,
    columns,
    row: (e, ctx) => row(e, ctx as RunContext<Values>),
    collect: (ctx) => collect(ctx as RunContext<Values>),
  },
});
