// vxlan-tracer: which VXLAN packets cross an interface, in which direction, with which VNI, outer
// (underlay) and inner (overlay) headers? One event per packet; a summary counts them per direction.
import {
  countersSection,
  definePlugin,
  endpoint,
  flowEndpoint,
  flowFields,
  formatMac,
  gsoTypeFlags,
  kernelTimeColumn,
  ladder,
  monotonicToIso,
  netnsLabel,
  type PluginContext,
  reportCounters,
  reportPeriod,
  stackColumn,
  vocabulary,
} from '@nettrace/core';
import { contract, type Event, EventLayout, VxtPoint } from './vxlan_tracer.gen.js';

const prefixed = (prefix: string, o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [`${prefix}${k}`, v]));

const options = {
  iface: vocabulary.iface({
    description: 'only this device, named in --netns: the underlay (receive, wire transmit) or the VXLAN device (encapsulation)',
  }),
  netns: vocabulary.netns(),
  direction: vocabulary.direction(),
  vni: { kind: 'uint', long: 'vni', description: 'only this VXLAN network identifier', max: 16777215 } as const,
  vxlanPort: {
    kind: 'port',
    long: 'vxlan-port',
    description: 'also decode this UDP destination port as VXLAN (4789 and 8472 always are)',
  } as const,
  srcIp: vocabulary.srcIp({ description: 'inner source IPv4/IPv6 address' }),
  dstIp: vocabulary.dstIp({ description: 'inner destination IPv4/IPv6 address' }),
  srcPort: vocabulary.srcPort({ description: 'inner source port' }),
  dstPort: vocabulary.dstPort({ description: 'inner destination port' }),
  protocol: vocabulary.protocol({ description: 'inner L4 protocol: tcp, udp, icmp, icmpv6, all or a number' }),
  stack: { kind: 'flag', long: 'stack', description: 'kernel stack of every packet (BCC: --stack)', default: false } as const,
  wire: {
    kind: 'flag',
    long: 'wire',
    description: 'trace the wire (net_dev_start_xmit, netif_receive_skb) instead of the vxlan driver (vxlan_xmit, vxlan_rcv)',
    default: false,
  } as const,
};

const POINT_NAMES: Record<VxtPoint, string> = {
  [VxtPoint.AT_WIRE]: 'wire',
  [VxtPoint.AT_ENCAP]: 'vxlan_xmit',
  [VxtPoint.AT_DECAP]: 'vxlan_rcv',
};

type Ctx = PluginContext<typeof options, typeof contract>;

export function eventRow(e: Event, kernelStack?: Ctx['kernelStack']) {
  const outer = flowFields(e.outer);
  return {
    time: monotonicToIso(e.ts_ns),
    direction: e.direction ? 'tx' : 'rx',
    point: POINT_NAMES[e.point as VxtPoint],
    interface: e.ifname,
    netns_name: netnsLabel(e.netns),
    ifindex: e.ifindex,
    cpu: e.cpu,
    pid: e.pid,
    comm: e.comm,
    len: e.len,
    vni: e.vni,
    vxlan_flags: e.vxlan_flags,
    outer_src_ip: outer.src_ip,
    outer_dst_ip: outer.dst_ip,
    outer_src_port: outer.src_port,
    outer_dst_port: outer.dst_port,
    inner_src_mac: formatMac(e.inner_smac),
    inner_dst_mac: formatMac(e.inner_dmac),
    ...prefixed('inner_', { ...flowFields(e.inner) }),
    // A GSO super-packet is one event: these say how many wire packets it becomes.
    data_len: e.data_len,
    gso_type: e.gso_type,
    gso_flags: gsoTypeFlags(e.gso_type),
    gso_size: e.gso_size,
    gso_segs: e.gso_segs,
    frag_list: e.has_frag_list !== 0,
    nr_frags: e.nr_frags,
    ...(kernelStack && e.stack_id !== -1 ? { stack: kernelStack(e.stack_id) } : {}),
    ts_ns: e.ts_ns,
  };
}

function collect(ctx: Ctx) {
  return { sections: [countersSection('counters', reportCounters(ctx), `VXLAN packets reported (${reportPeriod(ctx)})`)] };
}

export default definePlugin({
  id: 'vxlan-tracer',
  summary: 'VXLAN packets encapsulated and decapsulated: VNI, outer and inner headers, per packet',
  description:
    "Hooks the vxlan driver's encapsulation (vxlan_xmit: the inner frame on the VXLAN device, before its outer headers exist) and decapsulation (vxlan_rcv) points, fentry else kprobes, as BCC's tool; without them (no vxlan module, no kprobes) or with --wire, the wire: net:net_dev_start_xmit (TX) and net:netif_receive_skb (RX), tp_btf where available, else tracepoints. Matches UDP ports 4789 and 8472 (and --vxlan-port); address, port and protocol filters apply to the inner packet.",
  contract,
  options,
  defaultInterval: 0,
  hooks: [
    ladder('receive', [{ function: 'vxlan_rcv', module: 'vxlan', unless: 'wire' }, { tracepoint: 'net/netif_receive_skb' }]),
    ladder('transmit', [{ function: 'vxlan_xmit', module: 'vxlan', unless: 'wire' }, { tracepoint: 'net/net_dev_start_xmit' }]),
  ],
  configure(cfg, o) {
    if (o.direction) cfg.set('cfg_direction', o.direction === 'rx' ? 1 : 2);
    if (o.vni !== undefined) {
      cfg.set('cfg_vni_set', 1);
      cfg.set('cfg_vni', o.vni);
    }
    if (o.vxlanPort !== undefined) cfg.set('cfg_vxlan_port', o.vxlanPort);
    cfg.set('cfg_stack', o.stack);
  },
  output: {
    kind: 'stream',
    layout: EventLayout,
    columns: [
      kernelTimeColumn(),
      { key: 'direction', header: 'DIR', value: (r) => String(r.direction).toUpperCase() },
      // Every record says where it was seen: the driver's points when they could attach, else
      // (no vxlan module, no kprobes or fentry) or with --wire, the wire.
      { key: 'point', header: 'AT' },
      { key: 'interface', header: 'IFACE', value: (r) => (r.netns_name ? `${r.interface}@${r.netns_name}` : r.interface) },
      { key: 'comm', header: 'COMM(PID)', value: (r) => `${r.comm}(${r.pid})` },
      { key: 'vni', header: 'VNI' },
      {
        key: 'outer',
        header: 'OUTER',
        value: (r) =>
          r.point === 'vxlan_xmit'
            ? '-'
            : `${endpoint(String(r.outer_src_ip), r.outer_src_port as number)} -> ${endpoint(String(r.outer_dst_ip), r.outer_dst_port as number)}`,
      },
      {
        key: 'inner',
        header: 'INNER',
        value: (r) => `${r.inner_protocol} ${flowEndpoint(r, 'src', 'inner_')} -> ${flowEndpoint(r, 'dst', 'inner_')}`,
      },
      { key: 'len', header: 'LEN' },
      {
        key: 'gso',
        header: 'GSO',
        value: (r) => (r.gso_size ? `${r.gso_segs}x${r.gso_size} ${(r.gso_flags as string[]).join('|')}` : '-'),
      },
      stackColumn(),
    ],
    row: (e, ctx) => eventRow(e, ctx.kernelStack),
    collect,
  },
});
