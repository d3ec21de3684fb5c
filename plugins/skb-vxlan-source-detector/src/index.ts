// skb-vxlan-source-detector: where do UDP-tunnel (VXLAN) GSO bits in gso_type come from, on a host
// or guest that may not be configured for VXLAN at all? Static checks of devices, sockets and
// virtio features, then gso_type before/after at virtio receive, GRO completion, VXLAN decap and
// software GSO. Filters run in the kernel.
import {
  columns,
  countersSection,
  definePlugin,
  enumLabel,
  enumNames,
  flowFields,
  flowText,
  gsoTypeFlags,
  interfaceColumn,
  kernelTimeColumn,
  kindCountsSection,
  monotonicToIso,
  netnsLabel,
  type PluginContext,
  reportCounters,
  tableSection,
  vocabulary,
} from '@nettrace/core';
import { hooks } from './hooks.js';
import { contract, PerPointCountsLayout, type VxEvent, VxEventLayout, VxKind, VxPoint } from './skb_vxlan_source_detector.gen.js';
import { type Finding, staticChecks } from './static.js';

/** enum vx_point as the output names it. */
export const POINTS: Record<Exclude<VxPoint, typeof VxPoint.VX_POINTS>, string> = {
  [VxPoint.VX_VIRTIO_RX]: 'virtio_rx',
  [VxPoint.VX_UDP4_GRO_COMPLETE]: 'udp4_gro_complete',
  [VxPoint.VX_TCP_GRO_COMPLETE]: 'tcp_gro_complete',
  [VxPoint.VX_VXLAN_RCV]: 'vxlan_rcv',
  [VxPoint.VX_SKB_SEGMENT]: 'skb_segment',
  [VxPoint.VX_RECEIVE]: 'netif_receive_skb',
  [VxPoint.VX_XMIT]: 'net_dev_start_xmit',
};
const pointName = (p: number) => POINTS[p as keyof typeof POINTS] ?? String(p);

/** enum vx_kind: SET, CLEARED, KEPT, NONE. */
export const KINDS = enumNames(VxKind, 'VX_', VxKind.VX_KINDS);
const kindName = (k: number) => enumLabel(VxKind, k, 'VX_') ?? String(k);
const VNET_GSO: Record<number, string> = { 0: 'NONE', 1: 'TCPV4', 3: 'UDP', 4: 'TCPV6', 5: 'UDP_L4' };

/** virtio_net_hdr gso_type (VIRTIO_NET_HDR_GSO_*: a value, plus the ECN and UDP-tunnel bits). */
export function vnetGsoType(v: number): string {
  const flags = [VNET_GSO[v & 0x1f] ?? String(v & 0x1f)];
  if (v & 0x20) flags.push('UDP_TUNNEL_IPV4');
  if (v & 0x40) flags.push('UDP_TUNNEL_IPV6');
  if (v & 0x80) flags.push('ECN');
  return flags.join('|');
}

const options = {
  srcIp: vocabulary.srcIp(),
  dstIp: vocabulary.dstIp(),
  iface: vocabulary.iface({ description: 'only skbs on this device (skb->dev; see --netns)' }),
  netns: vocabulary.netns(),
  noStaticCheck: {
    kind: 'flag',
    long: 'no-static-check',
    description: 'skip the device, socket and virtio-feature checks',
    default: false,
  } as const,
  gsoChangesOnly: {
    kind: 'flag',
    long: 'gso-changes-only',
    description: 'only where the tunnel bits were set or cleared (not where skbs merely carry them)',
    default: false,
  } as const,
  allSkbs: {
    kind: 'flag',
    long: 'all-skbs',
    description: 'every skb at every point, with or without tunnel bits',
    default: false,
  } as const,
};
type Ctx = PluginContext<typeof options, typeof contract>;
type Row = Record<string, unknown>;

export function eventRow(e: VxEvent) {
  return {
    time: monotonicToIso(e.ts_ns),
    ts_ns: e.ts_ns,
    point: pointName(e.point),
    kind: kindName(e.kind),
    skb: e.skb ? `0x${e.skb.toString(16)}` : null,
    gso_type_before: gsoTypeFlags(e.gso_type_before),
    gso_type_after: gsoTypeFlags(e.gso_type_after),
    gso_size: e.gso_size,
    gso_segs: e.gso_segs,
    encapsulation: Boolean(e.encapsulation),
    inner_protocol: e.inner_protocol,
    ...(e.point === VxPoint.VX_VIRTIO_RX
      ? {
          vnet_gso_type: vnetGsoType(e.vnet_gso_type),
          vnet_flags: e.vnet_flags,
          vnet_gso_size: e.vnet_gso_size,
          vnet_hdr_len: e.vnet_hdr_len,
        }
      : {}),
    len: e.len,
    interface: e.ifname || null,
    ifindex: e.ifindex,
    ...(e.ifindex && netnsLabel(e.netns) ? { netns: netnsLabel(e.netns) } : {}),
    ...(e.flow.family ? flowFields(e.flow) : { protocol: null }),
    flow: flowText(e.flow),
    comm: e.comm,
    pid: e.pid,
    cpu: e.cpu,
  };
}

const gso = (r: Row) => {
  const [b, a] = [(r.gso_type_before as string[]).join('|') || '-', (r.gso_type_after as string[]).join('|') || '-'];
  return b === a ? a : `${b} -> ${a}`;
};

const eventColumns = [
  kernelTimeColumn(),
  ...columns({
    point: 'POINT',
    kind: 'TUNNEL BITS',
    gso: { header: 'GSO_TYPE', value: gso },
    size: { header: 'SIZE/SEGS', value: (r: Row) => `${r.gso_size}/${r.gso_segs}` },
    vnet: { header: 'VIRTIO HDR', value: (r: Row) => r.vnet_gso_type ?? '-' },
    flow: 'FLOW',
  }),
  interfaceColumn('DEV'),
];

/** Static findings, once per run (they describe the machine, not an interval). */
const found = new WeakMap<object, Finding[]>();

/** The static checks, then skbs reported per point and kind (that interval's, or the whole run's). */
function collect(ctx: Ctx) {
  if (!ctx.options.noStaticCheck && !found.has(ctx.object)) found.set(ctx.object, staticChecks());
  const checks = columns({ check: 'CHECK', name: 'NAME', netns: { header: 'NETNS', value: (r: Row) => r.netns || '-' }, detail: 'DETAIL' });
  const perPoint = {
    map: 'per_point',
    layout: PerPointCountsLayout,
    points: POINTS,
    pointKey: 'point',
    pointHeader: 'POINT',
    kinds: KINDS,
  };
  return {
    sections: [
      ...(ctx.options.noStaticCheck
        ? []
        : [
            tableSection(
              'static_checks',
              'Static checks: tunnel devices, VXLAN sockets, virtio offloads, forwarding',
              checks,
              (found.get(ctx.object) ?? []) as unknown as Row[],
            ),
          ]),
      kindCountsSection(ctx, 'per_point', 'Skbs reported per point and kind', perPoint),
      countersSection('pairing', reportCounters(ctx), 'Entry/return pairing'),
    ],
  };
}

export default definePlugin({
  id: 'skb-vxlan-source-detector',
  summary: 'Where SKB_GSO_UDP_TUNNEL bits in gso_type come from: virtio receive, GRO complete, VXLAN decap and GSO, plus static checks',
  description:
    'Static checks (tunnel devices, VXLAN sockets, virtio-net negotiated offloads, forwarding) in the reports; gso_type before/after (fentry/fexit, else kprobes) at the virtio_net receive (napi_gro_receive during virtnet_poll), udp4_gro_complete, tcp_gro_complete, vxlan_rcv and skb_segment. Without kprobes and fentry: skbs carrying the bits after GRO and at transmit.',
  contract,
  options,
  defaultInterval: 0,
  hooks,
  configure(cfg, o) {
    cfg.set('cfg_all_skbs', o.allSkbs);
    cfg.set('cfg_changes_only', o.gsoChangesOnly);
  },
  output: {
    kind: 'stream',
    layout: VxEventLayout,
    columns: eventColumns,
    row: (e) => eventRow(e),
    collect,
  },
});
