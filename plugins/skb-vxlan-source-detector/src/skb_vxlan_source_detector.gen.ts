// Generated from plugins/skb-vxlan-source-detector/bpf/skb_vxlan_source_detector.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { readCString, type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto, type StructLayout } from '@nettrace/core';
export { type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto };

/** What plugins/skb-vxlan-source-detector/bpf/skb_vxlan_source_detector.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load),
 * counters (NT_COUNTERS, read with ctx.counters()). */
export const contract = {
  object: new URL('./skb_vxlan_source_detector.bpf.o', import.meta.url),
  programs: {
    nt_vx_ugc_fe: 'fentry/udp4_gro_complete',
    nt_vx_ugc_kp: 'kprobe/udp4_gro_complete',
    nt_vx_ugc_fx: 'fexit/udp4_gro_complete',
    nt_vx_ugc_kr: 'kretprobe/udp4_gro_complete',
    nt_vx_tgc_fe: 'fentry/tcp_gro_complete',
    nt_vx_tgc_kp: 'kprobe/tcp_gro_complete',
    nt_vx_tgc_fx: 'fexit/tcp_gro_complete',
    nt_vx_tgc_kr: 'kretprobe/tcp_gro_complete',
    nt_vx_seg_fe: 'fentry/skb_segment',
    nt_vx_seg_kp: 'kprobe/skb_segment',
    nt_vx_seg_fx: 'fexit/skb_segment',
    nt_vx_seg_kr: 'kretprobe/skb_segment',
    nt_vx_rcv_fe: 'fentry/vxlan_rcv',
    nt_vx_rcv_kp: 'kprobe/vxlan_rcv',
    nt_vx_rcv_fx: 'fexit/vxlan_rcv',
    nt_vx_rcv_kr: 'kretprobe/vxlan_rcv',
    nt_vx_vp_fe: 'fentry/virtnet_poll',
    nt_vx_vp_kp: 'kprobe/virtnet_poll',
    nt_vx_vp_fx: 'fexit/virtnet_poll',
    nt_vx_vp_kr: 'kretprobe/virtnet_poll',
    nt_vx_ngr_fe: 'fentry/napi_gro_receive',
    nt_vx_ngr_kp: 'kprobe/napi_gro_receive',
    nt_vx_rx_btf: 'tp_btf/netif_receive_skb',
    nt_vx_rx_tp: 'tracepoint/net/netif_receive_skb',
    nt_vx_tx_btf: 'tp_btf/net_dev_start_xmit',
    nt_vx_tx_tp: 'tracepoint/net/net_dev_start_xmit',
  },
  maps: {
    events: { type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: 1048576 },
    events_lost: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 1 },
    events_perf: { type: 'perf_event_array', keySize: 4, valueSize: 4, maxEntries: 0 },
    events_scratch: { type: 'percpu_array', keySize: 4, valueSize: 1024, maxEntries: 1 },
    counters: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 2 },
    per_point: { type: 'percpu_array', keySize: 4, valueSize: 32, maxEntries: 7 },
    vx_frames: { type: 'lru_hash', keySize: 8, valueSize: 200, maxEntries: 4096 },
    vx_polls: { type: 'lru_hash', keySize: 8, valueSize: 72, maxEntries: 4096 },
  },
  variables: {
    cfg_all_skbs: { section: '.rodata', type: 'u8', size: 1 },
    cfg_changes_only: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_dst_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_either_direction: { section: '.rodata', type: 'u8', size: 1 },
    cfg_ifindex: { section: '.rodata', type: 'u32', size: 4 },
    cfg_netns_ino: { section: '.rodata', type: 'u32', size: 4 },
    cfg_perf_buffer: { section: '.rodata', type: 'u8', size: 1 },
    cfg_pid: { section: '.rodata', type: 'u32', size: 4 },
    cfg_protocol: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_src_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_wakeup_bytes: { section: '.rodata', type: 'u64', size: 8 },
    vx_frames_empty: { section: '.rodata', type: 'struct vx_frames_stack', size: 200 },
    vx_polls_empty: { section: '.rodata', type: 'struct vx_polls_stack', size: 72 },
  },
  counters: ['unmatched_returns', 'too_deep'],
} as const;

/** BTF enum vx_point. */
export const VxPoint = {
  VX_VIRTIO_RX: 0,
  VX_UDP4_GRO_COMPLETE: 1,
  VX_TCP_GRO_COMPLETE: 2,
  VX_VXLAN_RCV: 3,
  VX_SKB_SEGMENT: 4,
  VX_RECEIVE: 5,
  VX_XMIT: 6,
  VX_POINTS: 7,
} as const;
export type VxPoint = (typeof VxPoint)[keyof typeof VxPoint];

/** BTF enum vx_kind. */
export const VxKind = {
  VX_SET: 0,
  VX_CLEARED: 1,
  VX_KEPT: 2,
  VX_NONE: 3,
  VX_KINDS: 4,
} as const;
export type VxKind = (typeof VxKind)[keyof typeof VxKind];

/** BTF struct per_point_counts (32 bytes). */
export interface PerPointCounts {
  kinds: number[];
}
export const PerPointCountsSize = 32;
export function decodePerPointCounts(v: DataView, o: number): PerPointCounts {
  return {
    kinds: Array.from({ length: 4 }, (_, i) => (v.getUint32(o + 0 + i * 8, true) + v.getUint32(o + 0 + i * 8 + 4, true) * 4294967296)),
  };
}
/** Byte offset of each member of struct per_point_counts. */
export const PerPointCountsOffsets = {
  kinds: 0,
} as const;
/** A zeroed PerPointCounts (nested structs and arrays preallocated) for decodePerPointCountsInto(). */
export function createPerPointCounts(): PerPointCounts {
  return {
    kinds: [0, 0, 0, 0],
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodePerPointCountsInto(t: PerPointCounts, v: DataView, o: number): PerPointCounts {
  for (let i0 = 0; i0 < 4; i0++) {
    t.kinds[i0] = (v.getUint32(o + 0 + i0 * 8, true) + v.getUint32(o + 0 + i0 * 8 + 4, true) * 4294967296);
  }
  return t;
}
export const PerPointCountsLayout: StructLayout<PerPointCounts> = { name: 'per_point_counts', size: 32, decode: decodePerPointCounts, create: createPerPointCounts, decodeInto: decodePerPointCountsInto };

/** BTF struct vx_event (144 bytes). */
export interface VxEvent {
  ts_ns: number;
  skb: bigint;
  pid: number;
  cpu: number;
  ifindex: number;
  netns: number;
  len: number;
  gso_type_before: number;
  gso_type_after: number;
  gso_size: number;
  gso_segs: number;
  inner_protocol: number;
  vnet_gso_size: number;
  vnet_hdr_len: number;
  vnet_flags: number;
  vnet_gso_type: number;
  encapsulation: number;
  point: number;
  kind: number;
  comm: string;
  ifname: string;
  flow: NtFlow;
}
export const VxEventSize = 144;
export function decodeVxEvent(v: DataView, o: number): VxEvent {
  return {
    ts_ns: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    skb: v.getBigUint64(o + 8, true),
    pid: v.getUint32(o + 16, true),
    cpu: v.getUint32(o + 20, true),
    ifindex: v.getUint32(o + 24, true),
    netns: v.getUint32(o + 28, true),
    len: v.getUint32(o + 32, true),
    gso_type_before: v.getUint32(o + 36, true),
    gso_type_after: v.getUint32(o + 40, true),
    gso_size: v.getUint16(o + 44, true),
    gso_segs: v.getUint16(o + 46, true),
    inner_protocol: v.getUint16(o + 48, true),
    vnet_gso_size: v.getUint16(o + 50, true),
    vnet_hdr_len: v.getUint16(o + 52, true),
    vnet_flags: v.getUint8(o + 54),
    vnet_gso_type: v.getUint8(o + 55),
    encapsulation: v.getUint8(o + 56),
    point: v.getUint8(o + 57),
    kind: v.getUint8(o + 58),
    comm: readCString(v, o + 60, 16),
    ifname: readCString(v, o + 76, 16),
    flow: decodeNtFlow(v, o + 92),
  };
}
/** Byte offset of each member of struct vx_event. */
export const VxEventOffsets = {
  ts_ns: 0,
  skb: 8,
  pid: 16,
  cpu: 20,
  ifindex: 24,
  netns: 28,
  len: 32,
  gso_type_before: 36,
  gso_type_after: 40,
  gso_size: 44,
  gso_segs: 46,
  inner_protocol: 48,
  vnet_gso_size: 50,
  vnet_hdr_len: 52,
  vnet_flags: 54,
  vnet_gso_type: 55,
  encapsulation: 56,
  point: 57,
  kind: 58,
  comm: 60,
  ifname: 76,
  flow: 92,
} as const;
/** A zeroed VxEvent (nested structs and arrays preallocated) for decodeVxEventInto(). */
export function createVxEvent(): VxEvent {
  return {
    ts_ns: 0,
    skb: 0n,
    pid: 0,
    cpu: 0,
    ifindex: 0,
    netns: 0,
    len: 0,
    gso_type_before: 0,
    gso_type_after: 0,
    gso_size: 0,
    gso_segs: 0,
    inner_protocol: 0,
    vnet_gso_size: 0,
    vnet_hdr_len: 0,
    vnet_flags: 0,
    vnet_gso_type: 0,
    encapsulation: 0,
    point: 0,
    kind: 0,
    comm: '',
    ifname: '',
    flow: createNtFlow(),
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeVxEventInto(t: VxEvent, v: DataView, o: number): VxEvent {
  t.ts_ns = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.skb = v.getBigUint64(o + 8, true);
  t.pid = v.getUint32(o + 16, true);
  t.cpu = v.getUint32(o + 20, true);
  t.ifindex = v.getUint32(o + 24, true);
  t.netns = v.getUint32(o + 28, true);
  t.len = v.getUint32(o + 32, true);
  t.gso_type_before = v.getUint32(o + 36, true);
  t.gso_type_after = v.getUint32(o + 40, true);
  t.gso_size = v.getUint16(o + 44, true);
  t.gso_segs = v.getUint16(o + 46, true);
  t.inner_protocol = v.getUint16(o + 48, true);
  t.vnet_gso_size = v.getUint16(o + 50, true);
  t.vnet_hdr_len = v.getUint16(o + 52, true);
  t.vnet_flags = v.getUint8(o + 54);
  t.vnet_gso_type = v.getUint8(o + 55);
  t.encapsulation = v.getUint8(o + 56);
  t.point = v.getUint8(o + 57);
  t.kind = v.getUint8(o + 58);
  t.comm = readCString(v, o + 60, 16);
  t.ifname = readCString(v, o + 76, 16);
  decodeNtFlowInto(t.flow, v, o + 92);
  return t;
}
export function readVxEventTsNs(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readVxEventSkb(v: DataView, o: number): bigint {
  return v.getBigUint64(o + 8, true);
}
export function readVxEventPid(v: DataView, o: number): number {
  return v.getUint32(o + 16, true);
}
export function readVxEventCpu(v: DataView, o: number): number {
  return v.getUint32(o + 20, true);
}
export function readVxEventIfindex(v: DataView, o: number): number {
  return v.getUint32(o + 24, true);
}
export function readVxEventNetns(v: DataView, o: number): number {
  return v.getUint32(o + 28, true);
}
export function readVxEventLen(v: DataView, o: number): number {
  return v.getUint32(o + 32, true);
}
export function readVxEventGsoTypeBefore(v: DataView, o: number): number {
  return v.getUint32(o + 36, true);
}
export function readVxEventGsoTypeAfter(v: DataView, o: number): number {
  return v.getUint32(o + 40, true);
}
export function readVxEventGsoSize(v: DataView, o: number): number {
  return v.getUint16(o + 44, true);
}
export function readVxEventGsoSegs(v: DataView, o: number): number {
  return v.getUint16(o + 46, true);
}
export function readVxEventInnerProtocol(v: DataView, o: number): number {
  return v.getUint16(o + 48, true);
}
export function readVxEventVnetGsoSize(v: DataView, o: number): number {
  return v.getUint16(o + 50, true);
}
export function readVxEventVnetHdrLen(v: DataView, o: number): number {
  return v.getUint16(o + 52, true);
}
export function readVxEventVnetFlags(v: DataView, o: number): number {
  return v.getUint8(o + 54);
}
export function readVxEventVnetGsoType(v: DataView, o: number): number {
  return v.getUint8(o + 55);
}
export function readVxEventEncapsulation(v: DataView, o: number): number {
  return v.getUint8(o + 56);
}
export function readVxEventPoint(v: DataView, o: number): number {
  return v.getUint8(o + 57);
}
export function readVxEventKind(v: DataView, o: number): number {
  return v.getUint8(o + 58);
}
export const VxEventLayout: StructLayout<VxEvent> = { name: 'vx_event', size: 144, decode: decodeVxEvent, create: createVxEvent, decodeInto: decodeVxEventInto };
