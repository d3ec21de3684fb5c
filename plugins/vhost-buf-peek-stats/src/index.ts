// vhost-buf-peek-stats: what does vhost-net find each time it looks for the next packet of a tap
// queue? vhost_net_buf_peek() returns the next packet's length, or 0 when the tap's ring is empty
// too: per receive virtqueue, how many looks, how many found nothing, and the lengths found.
// Counted in the kernel; each report holds that interval's counts.
import {
  countersSection,
  definePlugin,
  functionHook,
  type PluginContext,
  percent,
  reportCounters,
  sinceLastReport,
  tapQueueFilter,
  tapQueueOptions,
  tunQueueColumn,
  tunQueueFields,
  tunQueueText,
} from '@nettrace/core';
import { contract, decodePeekKey } from './vhost_buf_peek_stats.gen.js';

const options = tapQueueOptions('the virtqueues whose backend is this tap device');

function collect(ctx: PluginContext<typeof options, typeof contract>) {
  const map = ctx.object.map('peeks');
  const counts = new Map<string, { key: ReturnType<typeof decodePeekKey>; count: number }>();
  for (const [k, v] of map.entries()) {
    const key = decodePeekKey(new DataView(k.buffer, k.byteOffset, k.byteLength), 0);
    counts.set(Buffer.from(k).toString('hex'), { key, count: map.sumU64(v) });
  }
  // Per virtqueue (and its tap queue): the return values, as this report must show them.
  const byVq = new Map<string, Record<string, unknown> & { calls: number; empty: number; returns: { ret: number; count: number }[] }>();
  for (const { key, count } of sinceLastReport(ctx, 'peeks', counts, ['count']).values()) {
    if (!count && !ctx.final) continue;
    const id = `${key.nvq}/${key.named ? tunQueueText(key.queue) : ''}`;
    const vq = byVq.get(id) ?? {
      nvq: `0x${key.nvq.toString(16)}`,
      ...(key.named ? tunQueueFields(key.queue) : { device: null, netns_name: null, ifindex: null, netns: null, queue: null }),
      calls: 0,
      empty: 0,
      returns: [],
    };
    vq.calls += count;
    if (key.ret === 0) vq.empty += count;
    vq.returns.push({ ret: key.ret, count });
    byVq.set(id, vq);
  }
  const vqs = [...byVq.values()].map((v) => ({
    ...v,
    empty_pct: percent(v.empty, v.calls, 2),
    returns: v.returns.sort((a, b) => a.ret - b.ret).map((r) => ({ ...r, pct: percent(r.count, v.calls, 2) })),
  }));
  return {
    sections: [
      {
        kind: 'table' as const,
        key: 'vqs',
        title: 'vhost_net_buf_peek per receive virtqueue (0: the ring was empty)',
        columns: [
          tunQueueColumn,
          { key: 'nvq', header: 'NVQ' },
          { key: 'calls', header: 'CALLS' },
          { key: 'empty', header: 'EMPTY' },
          { key: 'empty_pct', header: 'EMPTY%' },
          {
            key: 'returns',
            header: 'RET=COUNT (%)',
            value: (r: Record<string, unknown>) =>
              (r.returns as { ret: number; count: number; pct: number }[]).map((x) => `${x.ret}=${x.count} (${x.pct}%)`).join(' '),
          },
        ],
        rows: vqs,
      },
      countersSection('counters', reportCounters(ctx)),
    ],
  };
}

export default definePlugin({
  id: 'vhost-buf-peek-stats',
  summary: 'What vhost-net finds when it peeks at a tap queue (vhost_net_buf_peek: packet length, 0 = empty), per receive virtqueue',
  description:
    'Hooks vhost_net_buf_peek (static in module vhost_net) on entry and return: fentry/fexit, else kprobe/kretprobe (also on a compiler clone). The virtqueue is named by the tap queue of its backend socket (CO-RE against the vhost and tun BTF).',
  contract,
  options,
  defaultInterval: 1,
  hooks: [
    functionHook('vhost_net_buf_peek', 'vhost_net_buf_peek', { module: 'vhost_net' }),
    functionHook('vhost_net_buf_peek return', 'vhost_net_buf_peek', { module: 'vhost_net', exit: true }),
  ],
  configure: (cfg, o) => tapQueueFilter(cfg, o.iface, o.queue),
  output: { kind: 'report', collect: (ctx) => collect(ctx) },
});
