// qdisc-latency-details: how long does each packet wait in a device's qdisc? One event per packet
// (enqueue → dequeue sojourn) as it leaves the qdisc, and a summary: a log2 histogram of all
// sojourns plus counters, so a --threshold that hides fast packets still shows the distribution.
import {
  countersSection,
  definePlugin,
  flowEndpoint,
  flowFields,
  histogramSection,
  monotonicToClock,
  monotonicToIso,
  netnsLabel,
  type PluginContext,
  reportCounters,
  reportHistogram,
  tracepointHook,
  vocabulary,
} from '@nettrace/core';
import { contract, type Event, EventLayout } from './qdisc_latency_details.gen.js';

/** tc's notation: 8001: for a qdisc handle, 1:10 for a class, root for TC_H_ROOT. */
export function tcHandle(h: number): string {
  if (h >>> 0 === 0xffffffff) return 'root';
  if (h === 0) return 'none';
  const minor = h & 0xffff;
  return `${(h >>> 16).toString(16)}:${minor ? minor.toString(16) : ''}`;
}

const options = {
  iface: vocabulary.iface({ description: 'only packets queued on this device (named in --netns)', aliases: ['dev'] }),
  netns: vocabulary.netns(),
  srcIp: vocabulary.srcIp({ description: 'IPv4/IPv6 address, as source or destination' }),
  dstIp: vocabulary.dstIp({ description: 'IPv4/IPv6 address, as source or destination' }),
  srcPort: vocabulary.srcPort({ description: 'port, as source or destination' }),
  dstPort: vocabulary.dstPort({ description: 'port, as source or destination' }),
  protocol: vocabulary.protocol({ aliases: ['l4-protocol', 'proto'] }),
  threshold: vocabulary.threshold({
    description: 'print only packets that waited at least this long (all are counted in the histogram)',
    unit: 'us',
  }),
  maxEntries: { kind: 'uint', long: 'max-entries', description: 'packets tracked while queued', default: 10240, min: 64 } as const,
};

export function eventRow(e: Event) {
  return {
    time: monotonicToIso(e.dequeue_ns),
    interface: e.ifname,
    netns_name: netnsLabel(e.netns),
    ifindex: e.ifindex,
    queue: e.queue,
    qdisc: e.qdisc,
    handle: tcHandle(e.handle),
    parent: tcHandle(e.parent),
    ...flowFields(e.flow),
    len: e.len,
    batch: e.batch,
    enqueue_ns: e.enqueue_ns,
    dequeue_ns: e.dequeue_ns,
    sojourn_ns: e.sojourn_ns,
  };
}

function collect(ctx: PluginContext<typeof options, typeof contract>) {
  return {
    sections: [
      histogramSection('sojourn', 'Qdisc sojourn', reportHistogram(ctx, 'sojourn_us'), 'us'),
      countersSection('counters', reportCounters(ctx)),
    ],
  };
}

export default definePlugin({
  id: 'qdisc-latency-details',
  summary: 'Per-packet qdisc sojourn time (net_dev_queue to qdisc_dequeue), streamed, with a summary histogram',
  description:
    'Hooks net:net_dev_queue and qdisc:qdisc_dequeue (tp_btf, else tracepoints). Packets are matched by skb while queued; every packet of a bulk dequeue is reported. Each address and port filter matches the source or the destination, independently.',
  contract,
  options,
  defaultInterval: 0,
  hooks: [tracepointHook('enqueue', 'net/net_dev_queue'), tracepointHook('dequeue', 'qdisc/qdisc_dequeue')],
  configure(cfg, o) {
    cfg.set('cfg_either_direction', 2); // each filter field on either side, independently (upstream)
    cfg.set('cfg_threshold_ns', BigInt(o.threshold ?? 0) * 1000n);
    cfg.maxEntries('queued', o.maxEntries);
  },
  output: {
    kind: 'stream',
    layout: EventLayout,
    columns: [
      { key: 'time', header: 'TIME', value: (r) => monotonicToClock(r.dequeue_ns as number) },
      { key: 'interface', header: 'IFACE', value: (r) => (r.netns_name ? `${r.interface}@${r.netns_name}` : r.interface) },
      { key: 'queue', header: 'TXQ' },
      { key: 'qdisc', header: 'QDISC', value: (r) => `${r.qdisc} ${r.handle}` },
      { key: 'protocol', header: 'PROTO' },
      { key: 'src', header: 'SOURCE', value: (r) => flowEndpoint(r, 'src') },
      { key: 'dst', header: 'DESTINATION', value: (r) => flowEndpoint(r, 'dst') },
      { key: 'len', header: 'LEN' },
      { key: 'sojourn_ns', header: 'SOJOURN(us)', value: (r) => ((r.sojourn_ns as number) / 1000).toFixed(3) },
    ],
    row: (e) => eventRow(e),
    collect,
  },
});
