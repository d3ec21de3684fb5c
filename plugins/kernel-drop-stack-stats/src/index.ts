// kernel-drop-stack-stats: which (drop reason, kernel stack, flow) combinations free the most
// packets? Counts live in an LRU map keyed in the kernel; each report reads, sorts and symbolises
// (interval reports: the interval's drops; the final report: the whole run).
import {
  countersSection,
  definePlugin,
  dropReasonLabel,
  dropReasons,
  entriesSinceLastReport,
  flowEndpoint,
  flowFields,
  type PluginContext,
  reportCounters,
  tableSection,
  tracepointHook,
  vocabulary,
} from '@nettrace/core';
import { contract, DropKeyLayout, DropValLayout } from './kernel_drop_stack_stats.gen.js';

const options = {
  srcIp: vocabulary.srcIp(),
  dstIp: vocabulary.dstIp(),
  srcPort: vocabulary.srcPort(),
  dstPort: vocabulary.dstPort(),
  protocol: vocabulary.protocol(),
  iface: vocabulary.iface({ description: 'only drops of packets on this interface (see --netns)', aliases: ['name'] }),
  netns: vocabulary.netns(),
  groupBy: vocabulary.groupBy({
    choices: ['all', 'stack', 'flow'],
    choiceAliases: { fivetuple: 'flow' }, // BCC's spelling
    default: 'all',
    description: 'group drops by reason and: all (stack and flow), stack, or flow',
  }),
  top: vocabulary.top(),
  clear: vocabulary.clear(),
  maxEntries: { kind: 'uint', long: 'max-entries', description: 'distinct groups kept in the kernel', default: 10240, min: 64 } as const,
};

type Row = Record<string, unknown>;

function collect(ctx: PluginContext<typeof options, typeof contract>) {
  const reasons = dropReasons(ctx.kernelEnum);
  const { groupBy, top } = ctx.options;
  const groups = entriesSinceLastReport(ctx, 'drops', ctx.entries('drops', DropKeyLayout, DropValLayout), ['count', 'bytes']);
  const grouped = groups.reduce((n, g) => n + g.value.count, 0);
  groups.sort((a, b) => b.value.count - a.value.count);
  const shown = groups.slice(0, top).map(({ key, value }) => ({
    reason: dropReasonLabel(reasons, key.reason),
    reason_code: key.reason,
    count: value.count,
    bytes: value.bytes,
    ...(groupBy !== 'stack' ? flowFields(key.flow) : {}),
    interface: value.ifname || '-',
    ...(groupBy !== 'flow' ? { stack: ctx.kernelStack(key.stack_id) } : {}),
  }));
  const columns = [
    { key: 'reason', header: 'REASON' },
    { key: 'count', header: 'COUNT' },
    { key: 'bytes', header: 'BYTES' },
    ...(groupBy !== 'stack'
      ? [
          { key: 'protocol', header: 'PROTO' },
          { key: 'src', header: 'SOURCE', value: (r: Row) => flowEndpoint(r, 'src') },
          { key: 'dst', header: 'DESTINATION', value: (r: Row) => flowEndpoint(r, 'dst') },
        ]
      : []),
    { key: 'interface', header: 'IFACE' },
    ...(groupBy !== 'flow'
      ? [{ key: 'stack', header: 'STACK (innermost first)', value: (r: Row) => (r.stack as string[]).slice(0, 4).join(' < ') }]
      : []),
  ];
  // Every matching drop is counted apart from the LRU table: the drops of groups it evicted (more
  // groups than --max-entries) are in the total, and reported as untracked, never lost silently.
  const { matched } = reportCounters(ctx);
  return {
    sections: [
      tableSection('drops', `Top ${Math.min(top, groups.length)} of ${groups.length} drop groups`, columns, shown),
      countersSection('totals', { total_drops: matched, groups: groups.length, untracked_drops: Math.max(0, matched - grouped) }),
    ],
  };
}

export default definePlugin({
  id: 'kernel-drop-stack-stats',
  summary: 'Packet drops grouped by drop reason, kernel stack and flow, per interval',
  description:
    'Hooks skb:kfree_skb (tp_btf, else the tracepoint). Reason names come from the running kernel (BTF enum skb_drop_reason, else the tracepoint format), so they are right on every kernel.',
  contract,
  options,
  defaultInterval: 5,
  hooks: [tracepointHook('kfree_skb', 'skb/kfree_skb')],
  configure(cfg, o) {
    cfg.set('cfg_group_stack', o.groupBy !== 'flow');
    cfg.set('cfg_group_flow', o.groupBy !== 'stack');
    cfg.maxEntries('drops', o.maxEntries);
  },
  output: { kind: 'report', collect },
});
