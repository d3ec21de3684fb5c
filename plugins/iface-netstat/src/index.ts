// iface-netstat: for each interface (or the one given), per direction and queue, how many packets
// and bytes, which frame sizes, and (with --throughput) the rates. The kernel keeps cumulative
// counters with a log2 size histogram per queue; each report shows the change since the previous
// one (the final report: the whole run), folded into the requested size buckets.
import {
  type BpfObject,
  type Column,
  definePlugin,
  log2CountsFromValue,
  netnsLabel,
  type RunContext,
  tracepointHook,
  vocabulary,
} from '@nettrace/core';
import { decodeQueueKey, decodeQueueVal, QueueValOffsets } from './iface_netstat.gen.js';
import { add, type Counts, foldSizes, human, parseBuckets, type SizeBucket } from './sizes.js';

const options = {
  iface: vocabulary.iface({ description: 'only this interface (named in --netns)' }),
  netns: vocabulary.netns(),
  sizeBuckets: {
    kind: 'string',
    long: 'size-buckets',
    description: 'upper bounds of the frame-size buckets in bytes, ascending powers of two',
    default: '64,512,2048,16384,65536',
  } as const,
  throughput: { kind: 'flag', long: 'throughput', description: 'add bytes/s and packets/s columns', default: false } as const,
  maxEntries: {
    kind: 'uint',
    long: 'max-entries',
    description: '(interface, direction, queue) rows kept in the kernel',
    default: 1024,
    min: 16,
  } as const,
};
type Values = { sizeBuckets: string; throughput: boolean };

interface Group {
  iface: string;
  ifindex: number;
  netns: number;
  direction: string;
  queue: number | null;
  c: Counts;
}
const previous = new WeakMap<BpfObject, Map<string, Counts>>();

function collect(ctx: RunContext<Values>) {
  const bounds = parseBuckets(ctx.options.sizeBuckets);
  const map = ctx.object.map('queues');
  const prev = previous.get(ctx.object) ?? new Map<string, Counts>();
  const now = new Map<string, Counts>();
  const period = Math.max(ctx.periodSeconds, 1e-3);
  const groups: Group[] = [];
  for (const [k, v] of map.entries()) {
    const key = decodeQueueKey(new DataView(k.buffer), 0);
    const val = decodeQueueVal(new DataView(v.buffer), 0);
    const id = Buffer.from(k).toString('hex');
    const cur = { packets: val.packets, bytes: val.bytes, slots: log2CountsFromValue(map, v, QueueValOffsets.sizes) };
    now.set(id, cur);
    const before = ctx.final ? undefined : prev.get(id);
    const c = before ? add(cur, before, -1) : cur;
    if (c.packets)
      groups.push({
        iface: key.ifname,
        ifindex: key.ifindex,
        netns: key.netns,
        direction: key.direction ? 'tx' : 'rx',
        queue: key.queue === 0xffff ? null : key.queue,
        c,
      });
  }
  if (!ctx.final) previous.set(ctx.object, now);
  groups.sort((a, b) => a.iface.localeCompare(b.iface) || a.netns - b.netns || (a.queue ?? -1) - (b.queue ?? -1));
  const row = (g: Group, withQueue: boolean) => ({
    interface: g.iface,
    netns_name: netnsLabel(g.netns),
    ifindex: g.ifindex,
    netns: g.netns,
    direction: g.direction,
    ...(withQueue ? { queue: g.queue } : {}),
    packets: g.c.packets,
    bytes: g.c.bytes,
    avg_size: Math.round(g.c.bytes / g.c.packets),
    bytes_per_s: Math.round(g.c.bytes / period),
    packets_per_s: Math.round(g.c.packets / period),
    sizes: foldSizes(g.c.slots, bounds),
  });
  // Per interface and direction: the sum over its queues.
  const totals = new Map<string, Group>();
  for (const g of groups) {
    const id = `${g.netns}/${g.ifindex}/${g.iface}/${g.direction}`;
    const t = totals.get(id);
    totals.set(id, t ? { ...t, c: add(t.c, g.c) } : g);
  }
  const columns = (first: Column): Column[] => [
    { key: 'interface', header: 'IFACE', value: (r) => (r.netns_name ? `${r.interface}@${r.netns_name}` : r.interface) },
    first,
    { key: 'packets', header: 'PACKETS' },
    { key: 'bytes', header: 'BYTES' },
    { key: 'avg_size', header: 'AVG_SIZE' },
    ...[0, ...bounds].map(
      (min, i): Column => ({
        key: `size${i}`,
        header: `[${human(min)},${i < bounds.length ? human(bounds[i]) : '+'})`,
        value: (r) => (r.sizes as SizeBucket[])[i].packets,
      }),
    ),
    ...(ctx.options.throughput
      ? [
          { key: 'bytes_per_s', header: 'BYTES/s' },
          { key: 'packets_per_s', header: 'PKTS/s' },
        ]
      : []),
  ];
  const queueCol: Column = { key: 'queue', header: 'QUEUE', value: (r) => (r.queue === null ? '-' : r.queue) };
  const table = (dir: string, title: string) => ({
    kind: 'table' as const,
    key: dir,
    title,
    columns: columns(queueCol),
    rows: groups.filter((g) => g.direction === dir).map((g) => row(g, true)),
  });
  const untracked = ctx.object.map('untracked');
  return {
    sections: [
      table('tx', 'TX queues'),
      table('rx', 'RX queues (queue "-": not recorded by the driver)'),
      {
        kind: 'table' as const,
        key: 'totals',
        title: 'Totals',
        columns: columns({ key: 'direction', header: 'DIR' }),
        rows: [...totals.values()].map((g) => row(g, false)),
      },
      {
        kind: 'counters' as const,
        key: 'counters',
        values: { untracked_packets: untracked.sumU64(untracked.lookup(new Uint8Array(4)) ?? new Uint8Array(untracked.valueBytes)) },
      },
    ],
  };
}

export default definePlugin({
  id: 'iface-netstat',
  summary: 'Per-interface, per-queue TX/RX packets, bytes and frame-size mix, per interval',
  description:
    'Hooks net:net_dev_start_xmit (TX queue) and net:netif_receive_skb (recorded RX queue), tp_btf where available, else tracepoints. Devices are (namespace, ifindex): --interface is resolved in --netns.',
  object: new URL('./iface_netstat.bpf.o', import.meta.url),
  options,
  defaultInterval: 1,
  hooks: [
    tracepointHook('transmit', 'net/net_dev_start_xmit', { tp_btf: 'nt_ins_tx_btf', tracepoint: 'nt_ins_tx_tp' }),
    tracepointHook('receive', 'net/netif_receive_skb', { tp_btf: 'nt_ins_rx_btf', tracepoint: 'nt_ins_rx_tp' }),
  ],
  configure(cfg, o) {
    parseBuckets(o.sizeBuckets);
    cfg.maxEntries('queues', o.maxEntries);
  },
  output: { kind: 'report', collect: (ctx) => collect(ctx as RunContext<Values>) },
});
