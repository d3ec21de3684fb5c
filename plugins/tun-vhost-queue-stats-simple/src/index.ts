// tun-vhost-queue-stats-simple: per tap queue, both ends of the host-to-guest path. At transmit:
// how many packets were waiting in the queue's ring (vhost-net not keeping up) and the tun file's
// NAPI flags; at vhost's signal calls on the queue's virtqueues: the buffers returned and the
// receive queue's used index. Aggregated in the kernel; each report holds that interval's counts.
import {
  countersSection,
  definePlugin,
  functionHook,
  type PluginContext,
  reportCounters,
  ringDepthFields,
  tapQueueFilter,
  tapQueueOptions,
  tunQueueColumn,
  tunQueueHistograms,
  tunQueueRows,
} from '@nettrace/core';
import { contract, decodeQueueStats } from './tun_vhost_queue_stats_simple.gen.js';

const options = tapQueueOptions();

const COUNTED = ['xmit', 'rx_signals', 'rx_used', 'tx_signals', 'tx_used', 'last_used'] as const;

function collect(ctx: PluginContext<typeof options, typeof contract>) {
  const rows = tunQueueRows(ctx, 'queues', decodeQueueStats, COUNTED);
  const table = rows.map(({ xmit, last_used, depth_max, ...r }) => {
    const depth = ringDepthFields(xmit, depth_max);
    return {
      ...r,
      xmits: depth.count,
      ring_full: depth.full,
      depth_avg: depth.avg,
      depth_max: depth.max,
      napi_enabled: Boolean(r.napi_enabled),
      napi_frags_enabled: Boolean(r.napi_frags_enabled),
    };
  });
  return {
    sections: [
      {
        kind: 'table' as const,
        key: 'queues',
        title: 'Per tap queue: transmits and ring depth (tun), signal calls and used buffers (vhost)',
        columns: [
          tunQueueColumn,
          { key: 'xmits', header: 'XMITS' },
          { key: 'ring_full', header: 'FULL' },
          { key: 'depth_avg', header: 'DEPTH_AVG' },
          { key: 'depth_max', header: 'DEPTH_MAX' },
          { key: 'rx_signals', header: 'RX_SIGNALS' },
          { key: 'rx_used', header: 'RX_USED' },
          { key: 'last_used_idx', header: 'LAST_USED_IDX' },
          { key: 'tx_signals', header: 'TX_SIGNALS' },
          { key: 'tx_used', header: 'TX_USED' },
          { key: 'napi_enabled', header: 'NAPI', value: (r: Record<string, unknown>) => (r.napi_enabled ? 'on' : 'off') },
          { key: 'napi_frags_enabled', header: 'NAPI_FRAGS', value: (r: Record<string, unknown>) => (r.napi_frags_enabled ? 'on' : 'off') },
        ],
        rows: table,
      },
      ...tunQueueHistograms(rows, 'depth', (r) => r.xmit.hist, 'Packets waiting in the ring at tun_net_xmit', {
        label: 'depth',
        unit: 'packets',
      }),
      ...tunQueueHistograms(rows, 'last_used', (r) => r.last_used, 'Receive used index at vhost signal', {
        label: 'last_used_idx',
        unit: 'index',
      }),
      countersSection('counters', reportCounters(ctx)),
    ],
  };
}

export default definePlugin({
  id: 'tun-vhost-queue-stats-simple',
  summary: 'Per tap queue: ring depth at transmit, vhost used index and signals, NAPI flags',
  description:
    'Hooks tun_net_xmit (module tun) and vhost_add_used_and_signal_n (module vhost), fentry else kprobe. A virtqueue is attributed to the tap queue its backend socket belongs to; all reads are CO-RE against the tun and vhost BTF.',
  contract,
  options,
  defaultInterval: 1,
  hooks: [
    functionHook('tun_net_xmit', 'tun_net_xmit', { module: 'tun' }),
    functionHook('vhost_add_used_and_signal_n', 'vhost_add_used_and_signal_n', { module: 'vhost' }),
  ],
  configure: (cfg, o) => tapQueueFilter(cfg, o.iface, o.queue),
  output: { kind: 'report', collect: (ctx) => collect(ctx) },
});
