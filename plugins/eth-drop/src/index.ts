// eth-drop: every packet the kernel drops (skb:kfree_skb), decoded: Ethernet/VLAN, IPv4/IPv6 +
// TCP/UDP/ICMP or ARP, drop reason and site, interface, task, kernel stack. Filters run in the kernel.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  definePlugin,
  dropReasonLabel,
  dropReasons,
  ethertypeName,
  features,
  flowEndpoint,
  flowFields,
  formatIp,
  formatMac,
  kernelTimeColumn,
  monotonicToIso,
  NtL2Flag,
  type PluginContext,
  parseEthertype,
  tracepointHook,
  UsageError,
  vlanFields,
  vocabulary,
} from '@nettrace/core';
import { contract, type DropEvent, DropEventLayout } from './eth_drop.gen.js';

const ETH_P_IP = 0x0800;
const ETH_P_ARP = 0x0806;
const ETH_P_RARP = 0x8035;
const ARP_OPS: Record<number, string> = { 1: 'request', 2: 'reply', 3: 'rarp-request', 4: 'rarp-reply' };

const options = {
  srcIp: vocabulary.srcIp({ description: 'source IPv4/IPv6 address (IP packets only)' }),
  dstIp: vocabulary.dstIp({ description: 'destination IPv4/IPv6 address (IP packets only)' }),
  srcPort: vocabulary.srcPort(),
  dstPort: vocabulary.dstPort(),
  protocol: vocabulary.protocol(),
  iface: vocabulary.iface({ description: 'only drops of packets on this interface (see --netns)' }),
  netns: vocabulary.netns(),
  type: {
    kind: 'string',
    long: 'type',
    description: 'ethertype: all, ipv4, ipv6, arp, rarp, lldp, flow_control, other (none of those), or a number such as 0x88b5',
    default: 'all',
  } as const,
  vlanId: { kind: 'uint', long: 'vlan-id', description: 'only frames with this VLAN id (in the frame or offloaded)', max: 4095 } as const,
  verbose: vocabulary.verbose({ description: 'the whole stack in text output, and the skb header offsets in every record' }),
  noStack: {
    kind: 'flag',
    long: 'no-stack',
    description: 'do not collect kernel stacks',
    default: false,
    aliases: ['no-stack-trace'],
  } as const,
  allFrees: {
    kind: 'flag',
    long: 'all-frees',
    description: 'also frees the kernel reports as consumed, not dropped (SKB_CONSUMED)',
    default: false,
    aliases: ['disable-normal-filter'], // BCC: show the "normal" (non-drop) frees it hid by default
  } as const,
};

type Row = Record<string, unknown>;

/** --type → BPF mode (0 all, 1 exact, 2 other) and value. */
export function typeFilter(text: string): [number, number] {
  if (text === 'all') return [0, 0];
  if (text === 'other') return [2, 0];
  const n = parseEthertype(text);
  if (n === undefined)
    throw new UsageError(
      `--type: '${text}' is not an ethertype (all, ipv4, ipv6, arp, rarp, lldp, flow_control, other, or a number 0-0xffff)`,
    );
  return [1, n];
}

// A row is built by assignment in output order, not by spreading part-objects: at flood rates
// the copies and the intermediate objects were most of the cost of an event.

function addL3Fields(r: Row, e: DropEvent): void {
  const type = e.l2.ethertype;
  if (e.flow.family) {
    const f = flowFields(e.flow);
    r.protocol = f.protocol;
    r.src_ip = f.src_ip;
    r.dst_ip = f.dst_ip;
    r.src_port = f.src_port;
    r.dst_port = f.dst_port;
    r.l3_len = e.flow.l3_len;
    if (type === ETH_P_IP) {
      r.ip_ttl = e.ip.ttl;
      r.ip_tos = e.ip.tos;
      r.ip_id = e.ip.id;
    } else {
      r.ip_hop_limit = e.ip.ttl;
      r.ip_tclass = e.ip.tos;
      r.ip_flow_label = e.ip.flow_label;
    }
    if (e.flow.protocol === 1 || e.flow.protocol === 58) {
      r.icmp_type = e.flow.icmp_type;
      r.icmp_code = e.flow.icmp_code;
      r.icmp_id = e.flow.icmp_id;
      r.icmp_seq = e.flow.icmp_seq;
    }
    return;
  }
  if (type === ETH_P_ARP || type === ETH_P_RARP) {
    const a = e.arp;
    const ethIp = a.hlen === 6 && a.plen === 4;
    r.arp = {
      op: ARP_OPS[a.op] ?? String(a.op),
      htype: a.htype,
      ptype: a.ptype,
      ...(ethIp
        ? { sender_mac: formatMac(a.sha), sender_ip: formatIp(2, a.spa), target_mac: formatMac(a.tha), target_ip: formatIp(2, a.tpa) }
        : { hlen: a.hlen, plen: a.plen }),
    };
    return;
  }
  r.payload = Buffer.from(e.payload).toString('hex');
}

function row(e: DropEvent, ctx: PluginContext<typeof options, typeof contract>): Row {
  const r: Row = {
    time: monotonicToIso(e.ts_ns),
    ts_ns: e.ts_ns,
    reason: dropReasonLabel(dropReasons(ctx.kernelEnum), e.reason),
    reason_code: e.reason,
    location: ctx.symbols().symbolize(e.location),
    interface: e.ifname || '-',
    ifindex: e.ifindex,
    pid: e.pid,
    tid: e.tid,
    comm: e.comm,
    cpu: e.cpu,
    len: e.len,
    data_len: e.data_len,
    ethertype: ethertypeName(e.l2.ethertype),
  };
  if (e.l2.flags & NtL2Flag.NT_L2_ETH) {
    r.src_mac = formatMac(e.l2.src);
    r.dst_mac = formatMac(e.l2.dst);
  }
  if (e.l2.flags & NtL2Flag.NT_L2_VLAN) {
    Object.assign(r, vlanFields(e.l2.vlan_tci));
    r.vlan_offloaded = Boolean(e.l2.flags & NtL2Flag.NT_L2_VLAN_OFFLOAD);
  }
  addL3Fields(r, e);
  if (ctx.options.verbose) {
    r.mac_header = e.mac_header;
    r.network_header = e.network_header;
    r.transport_header = e.transport_header;
  }
  if (!ctx.options.noStack) r.stack = ctx.kernelStack(e.stack_id);
  return r;
}

/** The flow's endpoint, else the ARP sender/target address. */
const side = (r: Row, s: 'src' | 'dst', arp: 'sender_ip' | 'target_ip') =>
  r[`${s}_ip`] === undefined ? (r.arp as Row | undefined)?.[arp] : flowEndpoint(r, s);
const src = (r: Row) => side(r, 'src', 'sender_ip');
const dst = (r: Row) => side(r, 'dst', 'target_ip');
const l2Text = (r: Row) =>
  `${r.src_mac ?? '-'} > ${r.dst_mac ?? '-'}${r.vlan_id !== undefined ? ` vlan ${r.vlan_id}${r.vlan_offloaded ? '*' : ''}` : ''}`;
const what = (r: Row) => (r.arp ? `arp ${(r.arp as Row).op}` : (r.protocol ?? r.ethertype));

// Static columns (a stream's header is printed once); --verbose shows the whole stack instead of
// its innermost frames and adds the header offsets to each row.
const columns = [
  kernelTimeColumn(),
  { key: 'interface', header: 'IFACE' },
  { key: 'reason', header: 'REASON' },
  { key: 'l2', header: 'SRC-MAC > DST-MAC', value: l2Text },
  { key: 'ethertype', header: 'TYPE' },
  { key: 'what', header: 'PROTO', value: what },
  { key: 'src', header: 'SOURCE', value: src },
  { key: 'dst', header: 'DESTINATION', value: dst },
  { key: 'task', header: 'TASK', value: (r: Row) => `${r.comm}/${r.pid}@${r.cpu}` },
  { key: 'location', header: 'DROPPED AT' },
  {
    key: 'stack',
    header: 'STACK (innermost first)',
    value: (r: Row) => (r.stack ? (r.stack as string[]).slice(0, 'mac_header' in r ? undefined : 3).join(' < ') : '-'),
  },
];

/** Does a skb:kfree_skb format file declare the drop reason field (5.17+)? */
export const formatHasReason = (format: string) => /\sreason;/.test(format);

/** Does skb:kfree_skb carry a drop reason here? Read from the tracepoint's format file, which
 * every kernel with the tracepoint publishes. */
function kfreeSkbHasReason(): boolean {
  try {
    return formatHasReason(readFileSync(join(features.tracefsRoot(), 'events/skb/kfree_skb/format'), 'utf8'));
  } catch {
    return true; // no tracefs to read: the BTF-typed hook decides; say nothing rather than guess
  }
}

/** Before 5.17 every kfree_skb is reported: BCC hid some of them by their stack frames. */
export function dropNotes(hasReason: boolean): string[] {
  return hasReason
    ? []
    : [
        "this kernel (before 5.17) gives no drop reasons: every kfree_skb is reported, including frees BCC's eth_drop hid as 'normal' by their stack frames; the location column tells them apart",
      ];
}

export default definePlugin({
  id: 'eth-drop',
  summary: 'Every dropped packet, decoded: Ethernet/VLAN, IPv4/IPv6/ARP, L4, drop reason, interface, stack',
  description:
    'Hooks skb:kfree_skb (tp_btf, else the tracepoint). A drop is what the kernel reports as one: frees the kernel marks as consumed are skipped (--all-frees keeps them), with no guessing from stack frames. Filters (ethertype, VLAN, IPv4/IPv6 addresses, ports, protocol, interface) run in the kernel.',
  contract,
  options,
  notes: () => dropNotes(kfreeSkbHasReason()),
  hooks: [tracepointHook('kfree_skb', 'skb/kfree_skb')],
  configure(cfg, o) {
    const [mode, type] = typeFilter(o.type);
    cfg.set('cfg_type_mode', mode);
    cfg.set('cfg_ethertype', type);
    cfg.set('cfg_vlan_set', o.vlanId !== undefined);
    cfg.set('cfg_vlan_id', o.vlanId ?? 0);
    cfg.set('cfg_stack', !o.noStack);
    cfg.set('cfg_all_frees', o.allFrees);
  },
  output: {
    kind: 'stream',
    layout: DropEventLayout,
    columns,
    row,
  },
});
