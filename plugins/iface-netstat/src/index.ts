// iface-netstat: for each interface (or the one given), per direction and queue, how many packets
// and bytes, which frame sizes, and (with --throughput) the rates. The kernel keeps cumulative
// counters with a log2 size histogram per queue; each report shows the change since the previous
// one (the final report: the whole run), folded into the requested size buckets.
import {
  type Column,
  countersSection,
  definePlugin,
  entriesSinceLastReport,
  netnsLabel,
  type PluginContext,
  reportCounters,
  tableSection,
  tracepointHook,
  vocabulary,
} from '@nettrace/core';
import { contract, QueueKeyLayout, QueueValLayout } from './iface_netstat.gen.js';
import { add, type Counts, foldSizes, human, parseBuckets, type SizeBucket } from './sizes.js';

const options = {
  iface: vocabulary.iface({ description: 'only this interface (named in --netns)', aliases: ['name'] }),
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

interface Group {
  iface: string;
  ifindex: number;
  netns: number;
  direction: string;
  queue: number | null;
  c: Counts;
}

function collect(ctx: PluginContext<typeof options, typeof contract>) {
  const bounds = parseBuckets(ctx.options.sizeBuckets);
  const period = Math.max(ctx.periodSeconds, 1e-3);
  const groups: Group[] = [];
  const queues = ctx.entries('queues', QueueKeyLayout, QueueValLayout);
  for (const { key, value } of entriesSinceLastReport(ctx, 'queues', queues, ['packets', 'bytes', 'sizes'])) {
    const c = { packets: value.packets, bytes: value.bytes, slots: value.sizes.slots };
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
  const table = (dir: string, title: string) =>
    tableSection(
      dir,
      title,
      columns(queueCol),
      groups.filter((g) => g.direction === dir).map((g) => row(g, true)),
    );
  return {
    sections: [
      table('tx', 'TX queues'),
      table('rx', 'RX queues (queue "-": not recorded by the driver)'),
      tableSection(
        'totals',
        'Totals',
        columns({ key: 'direction', header: 'DIR' }),
        [...totals.values()].map((g) => row(g, false)),
      ),
      countersSection('counters', { untracked_packets: reportCounters(ctx).untracked }),
    ],
  };
}

export default definePlugin({
  id: 'iface-netstat',
  summary: 'Per-interface, per-queue TX/RX packets, bytes and frame-size mix, per interval',
  description:
    'Hooks net:net_dev_start_xmit (TX queue) and net:netif_receive_skb (recorded RX queue), tp_btf where available, else tracepoints. Devices are (namespace, ifindex): --interface is resolved in --netns.',
  contract,
  options,
  notes: () => [
    "sizes are Ethernet frame lengths in both directions: RX sizes and bytes are 14 bytes per packet larger than BCC's iface_netstat (it measured RX after the Ethernet header was pulled)",
  ],
  defaultInterval: 1,
  hooks: [tracepointHook('transmit', 'net/net_dev_start_xmit'), tracepointHook('receive', 'net/netif_receive_skb')],
  configure(cfg, o) {
    parseBuckets(o.sizeBuckets);
    cfg.maxEntries('queues', o.maxEntries);
  },
  output: { kind: 'report', collect },
});
