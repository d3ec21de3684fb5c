// tun-ring-monitor: is a tun/tap queue's tx_ring full when the host transmits into it (the packet
// is then dropped on its way to the VM)? Drops are streamed with their queue, ring state and flow
// (--all: every transmit); the summary counts transmits and drops per queue, in the kernel.
import {
  columns,
  countersSection,
  definePlugin,
  enumLabel,
  flowFields,
  flowText,
  functionHook,
  kernelTimeColumn,
  monotonicToIso,
  type PluginContext,
  reportCounters,
  tableSection,
  tapQueueFilter,
  tapQueueOptions,
  tunQueueColumn,
  tunQueueFields,
  tunQueueRows,
  vocabulary,
} from '@nettrace/core';
import { contract, decodeQueueCounts, type Event, EventLayout, TrmVerdict } from './tun_ring_monitor.gen.js';

const options = {
  ...tapQueueOptions('this tun/tap device'),
  srcIp: vocabulary.srcIp(),
  dstIp: vocabulary.dstIp(),
  srcPort: vocabulary.srcPort(),
  dstPort: vocabulary.dstPort(),
  protocol: vocabulary.protocol(),
  all: { kind: 'flag', long: 'all', description: 'stream every transmit, not only the drops', default: false } as const,
};

export function eventRow(e: Event) {
  return {
    time: monotonicToIso(e.ts_ns),
    ts_ns: e.ts_ns,
    ...tunQueueFields(e.queue),
    verdict: enumLabel(TrmVerdict, e.verdict, 'V_')?.toLowerCase() ?? String(e.verdict),
    numqueues: e.numqueues,
    ring_size: e.ring.size,
    producer: e.ring.producer,
    consumer_head: e.ring.consumer_head,
    consumer_tail: e.ring.consumer_tail,
    pending: e.ring.pending,
    occupied: e.ring.occupied,
    ...flowFields(e.flow),
    flow: flowText(e.flow),
    len: e.len,
    pid: e.pid,
    tid: e.tid,
    comm: e.comm,
    skb: `0x${e.skb.toString(16)}`,
  };
}

function collect(ctx: PluginContext<typeof options, typeof contract>) {
  const queueColumns = [
    tunQueueColumn,
    ...columns({ xmits: 'XMITS', ring_full: 'RING_FULL', no_queue: 'NO_QUEUE', max_occupied: 'MAX_OCCUPIED' }),
  ];
  const rows = tunQueueRows(ctx, 'queues', decodeQueueCounts, ['xmits', 'ring_full', 'no_queue']);
  return {
    sections: [
      tableSection('queues', 'Transmits per tun/tap queue (drops: ring full, or no file on the queue)', queueColumns, rows),
      countersSection('counters', reportCounters(ctx)),
    ],
  };
}

export default definePlugin({
  id: 'tun-ring-monitor',
  summary: "Is a tun/tap queue's tx_ring full when the host transmits (drops toward the VM)? Which queue and flow",
  description:
    'Hooks tun_net_xmit (fentry, else kprobe; module tun), else net:net_dev_start_xmit on tun/tap devices (tp_btf, else the tracepoint). The ring state is read through CO-RE against the tun BTF; full means ptr_ring_produce() finds no free slot, so tun_net_xmit drops the packet. Address, port and protocol filters are applied in the kernel.',
  contract,
  options,
  defaultInterval: 0,
  hooks: [functionHook('transmit', 'tun_net_xmit', { module: 'tun', fallback: ['net/net_dev_start_xmit'] })],
  configure(cfg, o) {
    tapQueueFilter(cfg, o.iface, o.queue);
    cfg.set('cfg_all', o.all);
  },
  output: {
    kind: 'stream',
    layout: EventLayout,
    columns: [
      kernelTimeColumn(),
      tunQueueColumn,
      { key: 'verdict', header: 'VERDICT' },
      { key: 'occupied', header: 'RING', value: (r) => `${r.occupied}/${r.ring_size}` },
      { key: 'pending', header: 'PENDING' },
      { key: 'comm', header: 'COMM', value: (r) => `${r.comm}(${r.pid})` },
      { key: 'len', header: 'LEN' },
      { key: 'flow', header: 'FLOW' },
    ],
    row: (e) => eventRow(e),
    collect: (ctx) => collect(ctx),
  },
});
