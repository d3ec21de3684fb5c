// tun-vhost-queue-stats-full: per tap queue, every stage of the host-to-guest path. Ring depth when
// the host transmits and when vhost-net reads (tun_recvmsg); at handle_rx and at vhost's signal
// call, the receive virtqueue's backlog: "consumption" (guest buffers available, not yet taken)
// and "delay" (buffers taken, not yet returned). Aggregated in the kernel, per interval.
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
import { contract, decodeQueueStats, type QueueStats } from './tun_vhost_queue_stats_full.gen.js';

const options = tapQueueOptions();

const HISTS = [
  ['depth_xmit', (q: QueueStats) => q.xmit.hist, 'Packets waiting in the ring at tun_net_xmit', 'packets'],
  ['depth_recv', (q: QueueStats) => q.recv.hist, 'Packets left in the ring at tun_recvmsg', 'packets'],
  [
    'consumption_rx',
    (q: QueueStats) => q.consumption_rx,
    'Guest buffers available, not taken (avail - last_avail) at handle_rx',
    'buffers',
  ],
  ['delay_rx', (q: QueueStats) => q.delay_rx, 'Buffers taken, not returned (last_avail - last_used) at handle_rx', 'buffers'],
  ['consumption_signal', (q: QueueStats) => q.consumption_signal, 'Guest buffers available, not taken at the signal call', 'buffers'],
  ['delay_signal', (q: QueueStats) => q.delay_signal, 'Buffers taken, not returned at the signal call', 'buffers'],
] as const;

const COLUMNS = [
  'xmits',
  'ring_full',
  'depth_xmit_avg',
  'depth_xmit_max',
  'handle_rx',
  'recvmsg',
  'depth_recv_avg',
  'depth_recv_max',
  'signals',
  'used',
];

function collect(ctx: PluginContext<typeof options, typeof contract>) {
  const counted = [
    'xmit',
    'recv',
    'handle_rx',
    'signals',
    'used',
    'consumption_rx',
    'delay_rx',
    'consumption_signal',
    'delay_signal',
  ] as const;
  const rows = tunQueueRows(ctx, 'queues', decodeQueueStats, counted);
  const table = rows.map((r) => {
    const x = ringDepthFields(r.xmit, r.depth_max_xmit);
    const v = ringDepthFields(r.recv, r.depth_max_recv);
    const { device, netns_name, ifindex, netns, queue, handle_rx, signals, used } = r;
    return {
      device,
      netns_name,
      ifindex,
      netns,
      queue,
      xmits: x.count,
      ring_full: x.full,
      depth_xmit_avg: x.avg,
      depth_xmit_max: x.max,
      handle_rx,
      recvmsg: v.count,
      depth_recv_avg: v.avg,
      depth_recv_max: v.max,
      signals,
      used,
    };
  });
  return {
    sections: [
      {
        kind: 'table' as const,
        key: 'queues',
        title: 'Per tap queue: transmit, vhost wake-up (handle_rx), read (recvmsg), signal',
        columns: [tunQueueColumn, ...COLUMNS.map((key) => ({ key, header: key.toUpperCase() }))],
        rows: table,
      },
      ...HISTS.flatMap(([name, pick, title, unit]) => tunQueueHistograms(rows, name, pick, title, { label: name, unit })),
      countersSection('counters', reportCounters(ctx)),
    ],
  };
}

export default definePlugin({
  id: 'tun-vhost-queue-stats-full',
  summary: 'Per tap queue, every stage to the guest: ring depth at transmit and read, vhost backlog at handle_rx and at signal',
  description:
    'Hooks tun_net_xmit and tun_recvmsg (module tun), handle_rx (module vhost_net, static) and vhost_add_used_and_signal_n (module vhost), fentry else kprobe. Every hook finds its tap queue itself (a virtqueue through its backend socket), all reads CO-RE against the module BTF.',
  contract,
  options,
  defaultInterval: 1,
  hooks: [
    functionHook('tun_net_xmit', 'tun_net_xmit', { module: 'tun' }),
    functionHook('handle_rx', 'handle_rx', { module: 'vhost_net' }),
    functionHook('tun_recvmsg', 'tun_recvmsg', { module: 'tun' }),
    functionHook('vhost_add_used_and_signal_n', 'vhost_add_used_and_signal_n', { module: 'vhost' }),
  ],
  configure: (cfg, o) => tapQueueFilter(cfg, o.iface, o.queue),
  output: { kind: 'report', collect: (ctx) => collect(ctx) },
});
