// kernel-drop-stack-stats: which (drop reason, kernel stack, flow) combinations free the most
// packets? Counts live in an LRU map keyed in the kernel; each report reads, sorts and symbolises.
import {
  definePlugin,
  dropReasonLabel,
  dropReasons,
  flowFields,
  interfaceName,
  kernelStack,
  type RunContext,
  tracepointHook,
  vocabulary,
} from '@nettrace/core';
import { decodeDropKey, decodeDropVal } from './kernel_drop_stack_stats.gen.js';

const options = {
  srcIp: vocabulary.srcIp(),
  dstIp: vocabulary.dstIp(),
  srcPort: vocabulary.srcPort(),
  dstPort: vocabulary.dstPort(),
  protocol: vocabulary.protocol(),
  iface: vocabulary.iface({ description: 'only drops of packets on this interface' }),
  groupBy: vocabulary.groupBy({
    choices: ['all', 'stack', 'flow'],
    default: 'all',
    description: 'group drops by reason and: all (stack and flow), stack, or flow',
  }),
  top: vocabulary.top(),
  clear: vocabulary.clear(),
  maxEntries: { kind: 'uint', long: 'max-entries', description: 'distinct groups kept in the kernel', default: 10240, min: 64 } as const,
};

type Values = { groupBy: string; top: number; clear: boolean };
type Row = Record<string, unknown>;

function collect(ctx: RunContext<Values>) {
  const map = ctx.object.map('drops');
  const reasons = dropReasons(ctx.kernelEnum);
  const { groupBy, top } = ctx.options;
  const rows = [];
  let total = 0;
  for (const [k, v] of map.entries()) {
    const key = decodeDropKey(new DataView(k.buffer), 0);
    const val = decodeDropVal(new DataView(v.buffer), 0);
    total += val.count;
    rows.push({ key, val });
    if (ctx.options.clear) map.delete(k);
  }
  rows.sort((a, b) => b.val.count - a.val.count);
  const shown = rows.slice(0, top).map(({ key, val }) => ({
    reason: dropReasonLabel(reasons, key.reason),
    reason_code: key.reason,
    count: val.count,
    bytes: val.bytes,
    ...(groupBy !== 'stack' ? { ...flowFields(key.flow), interface: interfaceName(key.ifindex) } : {}),
    ...(groupBy !== 'flow' ? { stack: kernelStack(ctx.object, key.stack_id, ctx.symbols()) } : {}),
  }));
  const untracked = ctx.object.map('drops_untracked');
  const missed = untracked.sumU64(untracked.lookup(new Uint8Array(4)) ?? new Uint8Array(untracked.valueBytes));
  const columns = [
    { key: 'reason', header: 'REASON' },
    { key: 'count', header: 'COUNT' },
    { key: 'bytes', header: 'BYTES' },
    ...(groupBy !== 'stack'
      ? [
          { key: 'protocol', header: 'PROTO' },
          { key: 'src', header: 'SOURCE', value: (r: Row) => `${r.src_ip}:${r.src_port}` },
          { key: 'dst', header: 'DESTINATION', value: (r: Row) => `${r.dst_ip}:${r.dst_port}` },
          { key: 'interface', header: 'IFACE' },
        ]
      : []),
    ...(groupBy !== 'flow'
      ? [{ key: 'stack', header: 'STACK (innermost first)', value: (r: Row) => (r.stack as string[]).slice(0, 4).join(' < ') }]
      : []),
  ];
  return {
    sections: [
      {
        kind: 'table' as const,
        key: 'drops',
        title: `Top ${Math.min(top, rows.length)} of ${rows.length} drop groups`,
        columns,
        rows: shown,
      },
      { kind: 'counters' as const, key: 'totals', values: { total_drops: total, groups: rows.length, untracked_drops: missed } },
    ],
  };
}

export default definePlugin({
  id: 'kernel-drop-stack-stats',
  summary: 'Packet drops grouped by drop reason, kernel stack and flow, per interval',
  description:
    'Hooks skb:kfree_skb (tp_btf, else the tracepoint). Reason names come from the running kernel (BTF enum skb_drop_reason, else the tracepoint format), so they are right on every kernel.',
  object: new URL('./kernel_drop_stack_stats.bpf.o', import.meta.url),
  options,
  defaultInterval: 5,
  hooks: [tracepointHook('kfree_skb', 'skb/kfree_skb', { tp_btf: 'nt_kds_btf', tracepoint: 'nt_kds_tp' })],
  configure(cfg, o) {
    cfg.set('cfg_group_stack', o.groupBy !== 'flow');
    cfg.set('cfg_group_flow', o.groupBy !== 'stack');
    cfg.maxEntries('drops', o.maxEntries);
  },
  output: { kind: 'report', collect: (ctx) => collect(ctx as RunContext<Values>) },
});
