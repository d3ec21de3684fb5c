// vm-pair-latency: for traffic from one VM to another on this host, how long does each packet
// spend in the host between the sending VM's device (where it arrives from that VM) and the
// receiving VM's device (where the host hands it over)? One event per packet, and a periodic
// summary: log2 latency histogram, received/delivered counts and the match rate.
import {
  countersSection,
  definePlugin,
  flowEndpoint,
  flowFields,
  histogramSection,
  kernelTimeColumn,
  monotonicToIso,
  netnsLabel,
  type PluginContext,
  reportCounters,
  reportHistogram,
  reportPeriod,
  tracepointHook,
  UsageError,
  vocabulary,
} from '@nettrace/core';
import { contract, type Event, EventLayout } from './vm_pair_latency.gen.js';

const options = {
  srcIface: {
    kind: 'interface',
    long: 'src-interface',
    description: 'host-side device of the sending VM (e.g. its vnet/tap), named in --netns',
    rodata: 'cfg_src_ifindex',
    required: true,
  } as const,
  dstIface: {
    kind: 'interface',
    long: 'dst-interface',
    description: 'host-side device of the receiving VM, named in --netns',
    rodata: 'cfg_dst_ifindex',
    required: true,
  } as const,
  netns: vocabulary.netns(),
  srcIp: vocabulary.srcIp(),
  dstIp: vocabulary.dstIp(),
  srcPort: vocabulary.srcPort(),
  dstPort: vocabulary.dstPort(),
  protocol: vocabulary.protocol(),
  maxEntries: {
    kind: 'uint',
    long: 'max-entries',
    description: 'packets in flight tracked between the two devices',
    default: 10240,
    min: 64,
  } as const,
};

export function eventRow(e: Event) {
  const f = flowFields(e.flow);
  const icmp = e.flow.protocol === 1 || e.flow.protocol === 58;
  return {
    time: monotonicToIso(e.ts_ns),
    src_interface: e.src_ifname,
    dst_interface: e.dst_ifname,
    netns_name: netnsLabel(e.netns),
    ...f,
    ...(icmp ? { icmp_type: e.flow.icmp_type, icmp_id: e.flow.icmp_id, icmp_seq: e.flow.icmp_seq } : {}),
    ip_id: e.ip_id,
    len: e.len,
    ts_ns: e.ts_ns,
    latency_ns: e.latency_ns,
  };
}

function collect(ctx: PluginContext<typeof options, typeof contract>) {
  const values: Record<string, number> = reportCounters(ctx);
  values.match_rate = values.received ? Math.round((10000 * values.delivered) / values.received) / 100 : 0;
  return {
    sections: [
      countersSection('counters', values, `Packets (${reportPeriod(ctx)}; match_rate in %)`),
      histogramSection('latency', 'Host latency, source device RX -> destination device TX', reportHistogram(ctx, 'latency_us'), 'us'),
    ],
  };
}

export default definePlugin({
  id: 'vm-pair-latency',
  summary: 'Host latency of packets between two VM interfaces: per-packet events and a log2 histogram',
  description:
    'Starts at net:netif_receive_skb on --src-interface (packet arriving from the sending VM), ends at net:net_dev_xmit on --dst-interface (handed to the receiving VM); net:net_dev_start_xmit reads the headers before the driver owns the skb. Packets are matched by flow and IPv4 id.',
  contract,
  options,
  defaultInterval: 1,
  hooks: [
    tracepointHook('source-receive', 'net/netif_receive_skb'),
    tracepointHook('destination-start-xmit', 'net/net_dev_start_xmit'),
    tracepointHook('destination-xmit', 'net/net_dev_xmit'),
  ],
  configure(cfg, o) {
    if (o.srcIface.ifindex === o.dstIface.ifindex) throw new UsageError('--src-interface and --dst-interface name the same device');
    cfg.maxEntries('inflight', o.maxEntries);
  },
  output: {
    kind: 'stream',
    layout: EventLayout,
    columns: [
      kernelTimeColumn(),
      { key: 'path', header: 'PATH', value: (r) => `${r.src_interface}->${r.dst_interface}` },
      { key: 'protocol', header: 'PROTO', value: (r) => (r.icmp_type === undefined ? r.protocol : `${r.protocol}/${r.icmp_type}`) },
      { key: 'src', header: 'SOURCE', value: (r) => flowEndpoint(r, 'src') },
      { key: 'dst', header: 'DESTINATION', value: (r) => flowEndpoint(r, 'dst') },
      { key: 'len', header: 'LEN' },
      { key: 'latency_ns', header: 'LATENCY(us)', value: (r) => ((r.latency_ns as number) / 1000).toFixed(3) },
    ],
    row: (e) => eventRow(e),
    collect,
  },
});
