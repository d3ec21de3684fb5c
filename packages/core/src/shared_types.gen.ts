// Generated from packages/core/bpf/shared_types.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { readBytes, readCString, type StructLayout } from './bpf/layout.js';

/** BTF enum nt_l2_flag. */
export const NtL2Flag = {
  NT_L2_ETH: 1,
  NT_L2_VLAN: 2,
  NT_L2_VLAN_OFFLOAD: 4,
} as const;
export type NtL2Flag = (typeof NtL2Flag)[keyof typeof NtL2Flag];

/** BTF enum nt_stage_hook. */
export const NtStageHook = {
  NT_SH_NETIF_RECEIVE_SKB: 0,
  NT_SH_NET_DEV_QUEUE: 1,
  NT_SH_QDISC_DEQUEUE: 2,
  NT_SH_NET_DEV_START_XMIT: 3,
  NT_SH_NETIF_RX: 4,
  NT_SH_IP_LOCAL_OUT: 5,
  NT_SH_IP_OUTPUT: 6,
  NT_SH_OVS_VPORT_RECEIVE: 7,
  NT_SH_OVS_DP_PROCESS: 8,
  NT_SH_OVS_DP_UPCALL: 9,
  NT_SH_OVS_KEY_EXTRACT_US: 10,
  NT_SH_OVS_CT_EXECUTE: 11,
  NT_SH_NF_CONNTRACK_IN: 12,
  NT_SH_OVS_VPORT_SEND: 13,
  NT_SH_NETDEV_FRAME_HOOK: 14,
  NT_SH_INTERNAL_DEV_RECV: 15,
  NT_SH_ENQUEUE_TO_BACKLOG: 16,
  NT_SH_NETIF_RECEIVE_SKB_FN: 17,
  NT_SH_IP_RCV: 18,
  NT_SH_IP_LOCAL_DELIVER: 19,
  NT_SH_TCP_V4_RCV: 20,
  NT_SH_UDP_RCV: 21,
  NT_SH_ICMP_RCV: 22,
  NT_SH_NETIF_RX_FN: 23,
  NT_SH_NETIF_RX_INTERNAL: 24,
  NT_SH_NETIF_RECEIVE_SKB_CORE: 25,
  NT_SH_COUNT: 26,
} as const;
export type NtStageHook = (typeof NtStageHook)[keyof typeof NtStageHook];

/** BTF enum nt_stage_dims. */
export const NtStageDims = {
  NT_STAGE_MAX: 16,
  NT_STAGE_DIRS: 2,
  NT_STAGE_ROLES: 4,
  NT_STAGE_LEGS: 2,
} as const;
export type NtStageDims = (typeof NtStageDims)[keyof typeof NtStageDims];

/** BTF enum nt_stage_flags. */
export const NtStageFlags = {
  NT_SF_GSO: 1,
  NT_SF_CROSS_CPU: 2,
} as const;
export type NtStageFlags = (typeof NtStageFlags)[keyof typeof NtStageFlags];

/** BTF struct nt_arp (28 bytes). */
export interface NtArp {
  htype: number;
  ptype: number;
  hlen: number;
  plen: number;
  op: number;
  sha: Uint8Array;
  spa: Uint8Array;
  tha: Uint8Array;
  tpa: Uint8Array;
}
export const NtArpSize = 28;
export function decodeNtArp(v: DataView, o: number): NtArp {
  return {
    htype: v.getUint16(o + 0, true),
    ptype: v.getUint16(o + 2, true),
    hlen: v.getUint8(o + 4),
    plen: v.getUint8(o + 5),
    op: v.getUint16(o + 6, true),
    sha: readBytes(v, o + 8, 6),
    spa: readBytes(v, o + 14, 4),
    tha: readBytes(v, o + 18, 6),
    tpa: readBytes(v, o + 24, 4),
  };
}
/** Byte offset of each member of struct nt_arp. */
export const NtArpOffsets = {
  htype: 0,
  ptype: 2,
  hlen: 4,
  plen: 5,
  op: 6,
  sha: 8,
  spa: 14,
  tha: 18,
  tpa: 24,
} as const;
/** A zeroed NtArp (nested structs and arrays preallocated) for decodeNtArpInto(). */
export function createNtArp(): NtArp {
  return {
    htype: 0,
    ptype: 0,
    hlen: 0,
    plen: 0,
    op: 0,
    sha: new Uint8Array(6),
    spa: new Uint8Array(4),
    tha: new Uint8Array(6),
    tpa: new Uint8Array(4),
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeNtArpInto(t: NtArp, v: DataView, o: number): NtArp {
  t.htype = v.getUint16(o + 0, true);
  t.ptype = v.getUint16(o + 2, true);
  t.hlen = v.getUint8(o + 4);
  t.plen = v.getUint8(o + 5);
  t.op = v.getUint16(o + 6, true);
  for (let i0 = 0; i0 < 6; i0++) t.sha[i0] = v.getUint8(o + 8 + i0);
  for (let i0 = 0; i0 < 4; i0++) t.spa[i0] = v.getUint8(o + 14 + i0);
  for (let i0 = 0; i0 < 6; i0++) t.tha[i0] = v.getUint8(o + 18 + i0);
  for (let i0 = 0; i0 < 4; i0++) t.tpa[i0] = v.getUint8(o + 24 + i0);
  return t;
}
export function readNtArpHtype(v: DataView, o: number): number {
  return v.getUint16(o + 0, true);
}
export function readNtArpPtype(v: DataView, o: number): number {
  return v.getUint16(o + 2, true);
}
export function readNtArpHlen(v: DataView, o: number): number {
  return v.getUint8(o + 4);
}
export function readNtArpPlen(v: DataView, o: number): number {
  return v.getUint8(o + 5);
}
export function readNtArpOp(v: DataView, o: number): number {
  return v.getUint16(o + 6, true);
}
export const NtArpLayout: StructLayout<NtArp> = { name: 'nt_arp', size: 28, decode: decodeNtArp, create: createNtArp, decodeInto: decodeNtArpInto };

/** BTF struct nt_flow (48 bytes). */
export interface NtFlow {
  family: number;
  protocol: number;
  sport: number;
  dport: number;
  l3_len: number;
  saddr: Uint8Array;
  daddr: Uint8Array;
  icmp_type: number;
  icmp_code: number;
  icmp_id: number;
  icmp_seq: number;
}
export const NtFlowSize = 48;
export function decodeNtFlow(v: DataView, o: number): NtFlow {
  return {
    family: v.getUint8(o + 0),
    protocol: v.getUint8(o + 1),
    sport: v.getUint16(o + 2, true),
    dport: v.getUint16(o + 4, true),
    l3_len: v.getUint16(o + 6, true),
    saddr: readBytes(v, o + 8, 16),
    daddr: readBytes(v, o + 24, 16),
    icmp_type: v.getUint8(o + 40),
    icmp_code: v.getUint8(o + 41),
    icmp_id: v.getUint16(o + 42, true),
    icmp_seq: v.getUint16(o + 44, true),
  };
}
/** Byte offset of each member of struct nt_flow. */
export const NtFlowOffsets = {
  family: 0,
  protocol: 1,
  sport: 2,
  dport: 4,
  l3_len: 6,
  saddr: 8,
  daddr: 24,
  icmp_type: 40,
  icmp_code: 41,
  icmp_id: 42,
  icmp_seq: 44,
} as const;
/** A zeroed NtFlow (nested structs and arrays preallocated) for decodeNtFlowInto(). */
export function createNtFlow(): NtFlow {
  return {
    family: 0,
    protocol: 0,
    sport: 0,
    dport: 0,
    l3_len: 0,
    saddr: new Uint8Array(16),
    daddr: new Uint8Array(16),
    icmp_type: 0,
    icmp_code: 0,
    icmp_id: 0,
    icmp_seq: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeNtFlowInto(t: NtFlow, v: DataView, o: number): NtFlow {
  t.family = v.getUint8(o + 0);
  t.protocol = v.getUint8(o + 1);
  t.sport = v.getUint16(o + 2, true);
  t.dport = v.getUint16(o + 4, true);
  t.l3_len = v.getUint16(o + 6, true);
  for (let i0 = 0; i0 < 16; i0++) t.saddr[i0] = v.getUint8(o + 8 + i0);
  for (let i0 = 0; i0 < 16; i0++) t.daddr[i0] = v.getUint8(o + 24 + i0);
  t.icmp_type = v.getUint8(o + 40);
  t.icmp_code = v.getUint8(o + 41);
  t.icmp_id = v.getUint16(o + 42, true);
  t.icmp_seq = v.getUint16(o + 44, true);
  return t;
}
export function readNtFlowFamily(v: DataView, o: number): number {
  return v.getUint8(o + 0);
}
export function readNtFlowProtocol(v: DataView, o: number): number {
  return v.getUint8(o + 1);
}
export function readNtFlowSport(v: DataView, o: number): number {
  return v.getUint16(o + 2, true);
}
export function readNtFlowDport(v: DataView, o: number): number {
  return v.getUint16(o + 4, true);
}
export function readNtFlowL3Len(v: DataView, o: number): number {
  return v.getUint16(o + 6, true);
}
export function readNtFlowIcmpType(v: DataView, o: number): number {
  return v.getUint8(o + 40);
}
export function readNtFlowIcmpCode(v: DataView, o: number): number {
  return v.getUint8(o + 41);
}
export function readNtFlowIcmpId(v: DataView, o: number): number {
  return v.getUint16(o + 42, true);
}
export function readNtFlowIcmpSeq(v: DataView, o: number): number {
  return v.getUint16(o + 44, true);
}
export const NtFlowLayout: StructLayout<NtFlow> = { name: 'nt_flow', size: 48, decode: decodeNtFlow, create: createNtFlow, decodeInto: decodeNtFlowInto };

/** BTF struct nt_hist (512 bytes). */
export interface NtHist {
  slots: number[];
}
export const NtHistSize = 512;
export function decodeNtHist(v: DataView, o: number): NtHist {
  return {
    slots: Array.from({ length: 64 }, (_, i) => (v.getUint32(o + 0 + i * 8, true) + v.getUint32(o + 0 + i * 8 + 4, true) * 4294967296)),
  };
}
/** Byte offset of each member of struct nt_hist. */
export const NtHistOffsets = {
  slots: 0,
} as const;
/** A zeroed NtHist (nested structs and arrays preallocated) for decodeNtHistInto(). */
export function createNtHist(): NtHist {
  return {
    slots: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeNtHistInto(t: NtHist, v: DataView, o: number): NtHist {
  for (let i0 = 0; i0 < 64; i0++) {
    t.slots[i0] = (v.getUint32(o + 0 + i0 * 8, true) + v.getUint32(o + 0 + i0 * 8 + 4, true) * 4294967296);
  }
  return t;
}
export const NtHistLayout: StructLayout<NtHist> = { name: 'nt_hist', size: 512, decode: decodeNtHist, create: createNtHist, decodeInto: decodeNtHistInto };

/** BTF struct nt_ip_info (8 bytes). */
export interface NtIpInfo {
  ttl: number;
  tos: number;
  id: number;
  flow_label: number;
}
export const NtIpInfoSize = 8;
export function decodeNtIpInfo(v: DataView, o: number): NtIpInfo {
  return {
    ttl: v.getUint8(o + 0),
    tos: v.getUint8(o + 1),
    id: v.getUint16(o + 2, true),
    flow_label: v.getUint32(o + 4, true),
  };
}
/** Byte offset of each member of struct nt_ip_info. */
export const NtIpInfoOffsets = {
  ttl: 0,
  tos: 1,
  id: 2,
  flow_label: 4,
} as const;
/** A zeroed NtIpInfo (nested structs and arrays preallocated) for decodeNtIpInfoInto(). */
export function createNtIpInfo(): NtIpInfo {
  return {
    ttl: 0,
    tos: 0,
    id: 0,
    flow_label: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeNtIpInfoInto(t: NtIpInfo, v: DataView, o: number): NtIpInfo {
  t.ttl = v.getUint8(o + 0);
  t.tos = v.getUint8(o + 1);
  t.id = v.getUint16(o + 2, true);
  t.flow_label = v.getUint32(o + 4, true);
  return t;
}
export function readNtIpInfoTtl(v: DataView, o: number): number {
  return v.getUint8(o + 0);
}
export function readNtIpInfoTos(v: DataView, o: number): number {
  return v.getUint8(o + 1);
}
export function readNtIpInfoId(v: DataView, o: number): number {
  return v.getUint16(o + 2, true);
}
export function readNtIpInfoFlowLabel(v: DataView, o: number): number {
  return v.getUint32(o + 4, true);
}
export const NtIpInfoLayout: StructLayout<NtIpInfo> = { name: 'nt_ip_info', size: 8, decode: decodeNtIpInfo, create: createNtIpInfo, decodeInto: decodeNtIpInfoInto };

/** BTF struct nt_l2 (20 bytes). */
export interface NtL2 {
  dst: Uint8Array;
  src: Uint8Array;
  ethertype: number;
  vlan_proto: number;
  vlan_tci: number;
  flags: number;
}
export const NtL2Size = 20;
export function decodeNtL2(v: DataView, o: number): NtL2 {
  return {
    dst: readBytes(v, o + 0, 6),
    src: readBytes(v, o + 6, 6),
    ethertype: v.getUint16(o + 12, true),
    vlan_proto: v.getUint16(o + 14, true),
    vlan_tci: v.getUint16(o + 16, true),
    flags: v.getUint8(o + 18),
  };
}
/** Byte offset of each member of struct nt_l2. */
export const NtL2Offsets = {
  dst: 0,
  src: 6,
  ethertype: 12,
  vlan_proto: 14,
  vlan_tci: 16,
  flags: 18,
} as const;
/** A zeroed NtL2 (nested structs and arrays preallocated) for decodeNtL2Into(). */
export function createNtL2(): NtL2 {
  return {
    dst: new Uint8Array(6),
    src: new Uint8Array(6),
    ethertype: 0,
    vlan_proto: 0,
    vlan_tci: 0,
    flags: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeNtL2Into(t: NtL2, v: DataView, o: number): NtL2 {
  for (let i0 = 0; i0 < 6; i0++) t.dst[i0] = v.getUint8(o + 0 + i0);
  for (let i0 = 0; i0 < 6; i0++) t.src[i0] = v.getUint8(o + 6 + i0);
  t.ethertype = v.getUint16(o + 12, true);
  t.vlan_proto = v.getUint16(o + 14, true);
  t.vlan_tci = v.getUint16(o + 16, true);
  t.flags = v.getUint8(o + 18);
  return t;
}
export function readNtL2Ethertype(v: DataView, o: number): number {
  return v.getUint16(o + 12, true);
}
export function readNtL2VlanProto(v: DataView, o: number): number {
  return v.getUint16(o + 14, true);
}
export function readNtL2VlanTci(v: DataView, o: number): number {
  return v.getUint16(o + 16, true);
}
export function readNtL2Flags(v: DataView, o: number): number {
  return v.getUint8(o + 18);
}
export const NtL2Layout: StructLayout<NtL2> = { name: 'nt_l2', size: 20, decode: decodeNtL2, create: createNtL2, decodeInto: decodeNtL2Into };

/** BTF struct nt_pkt_key (64 bytes). */
export interface NtPktKey {
  flow: NtFlow;
  tcp_seq: number;
  length: number;
  ip_id: number;
  frag_off: number;
}
export const NtPktKeySize = 64;
export function decodeNtPktKey(v: DataView, o: number): NtPktKey {
  return {
    flow: decodeNtFlow(v, o + 0),
    tcp_seq: v.getUint32(o + 48, true),
    length: v.getUint32(o + 52, true),
    ip_id: v.getUint16(o + 56, true),
    frag_off: v.getUint16(o + 58, true),
  };
}
/** Byte offset of each member of struct nt_pkt_key. */
export const NtPktKeyOffsets = {
  flow: 0,
  tcp_seq: 48,
  length: 52,
  ip_id: 56,
  frag_off: 58,
} as const;
/** A zeroed NtPktKey (nested structs and arrays preallocated) for decodeNtPktKeyInto(). */
export function createNtPktKey(): NtPktKey {
  return {
    flow: createNtFlow(),
    tcp_seq: 0,
    length: 0,
    ip_id: 0,
    frag_off: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeNtPktKeyInto(t: NtPktKey, v: DataView, o: number): NtPktKey {
  decodeNtFlowInto(t.flow, v, o + 0);
  t.tcp_seq = v.getUint32(o + 48, true);
  t.length = v.getUint32(o + 52, true);
  t.ip_id = v.getUint16(o + 56, true);
  t.frag_off = v.getUint16(o + 58, true);
  return t;
}
export function readNtPktKeyTcpSeq(v: DataView, o: number): number {
  return v.getUint32(o + 48, true);
}
export function readNtPktKeyLength(v: DataView, o: number): number {
  return v.getUint32(o + 52, true);
}
export function readNtPktKeyIpId(v: DataView, o: number): number {
  return v.getUint16(o + 56, true);
}
export function readNtPktKeyFragOff(v: DataView, o: number): number {
  return v.getUint16(o + 58, true);
}
export const NtPktKeyLayout: StructLayout<NtPktKey> = { name: 'nt_pkt_key', size: 64, decode: decodeNtPktKey, create: createNtPktKey, decodeInto: decodeNtPktKeyInto };

/** BTF struct nt_ring_depth (536 bytes). */
export interface NtRingDepth {
  samples: number;
  full: number;
  sum: number;
  hist: NtHist;
}
export const NtRingDepthSize = 536;
export function decodeNtRingDepth(v: DataView, o: number): NtRingDepth {
  return {
    samples: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    full: (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296),
    sum: (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296),
    hist: decodeNtHist(v, o + 24),
  };
}
/** Byte offset of each member of struct nt_ring_depth. */
export const NtRingDepthOffsets = {
  samples: 0,
  full: 8,
  sum: 16,
  hist: 24,
} as const;
/** A zeroed NtRingDepth (nested structs and arrays preallocated) for decodeNtRingDepthInto(). */
export function createNtRingDepth(): NtRingDepth {
  return {
    samples: 0,
    full: 0,
    sum: 0,
    hist: createNtHist(),
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeNtRingDepthInto(t: NtRingDepth, v: DataView, o: number): NtRingDepth {
  t.samples = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.full = (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
  t.sum = (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
  decodeNtHistInto(t.hist, v, o + 24);
  return t;
}
export function readNtRingDepthSamples(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readNtRingDepthFull(v: DataView, o: number): number {
  return (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
}
export function readNtRingDepthSum(v: DataView, o: number): number {
  return (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
}
export const NtRingDepthLayout: StructLayout<NtRingDepth> = { name: 'nt_ring_depth', size: 536, decode: decodeNtRingDepth, create: createNtRingDepth, decodeInto: decodeNtRingDepthInto };

/** BTF struct nt_ring_state (28 bytes). */
export interface NtRingState {
  size: number;
  producer: number;
  consumer_head: number;
  consumer_tail: number;
  pending: number;
  occupied: number;
  full: number;
}
export const NtRingStateSize = 28;
export function decodeNtRingState(v: DataView, o: number): NtRingState {
  return {
    size: v.getUint32(o + 0, true),
    producer: v.getUint32(o + 4, true),
    consumer_head: v.getUint32(o + 8, true),
    consumer_tail: v.getUint32(o + 12, true),
    pending: v.getUint32(o + 16, true),
    occupied: v.getUint32(o + 20, true),
    full: v.getUint8(o + 24),
  };
}
/** Byte offset of each member of struct nt_ring_state. */
export const NtRingStateOffsets = {
  size: 0,
  producer: 4,
  consumer_head: 8,
  consumer_tail: 12,
  pending: 16,
  occupied: 20,
  full: 24,
} as const;
/** A zeroed NtRingState (nested structs and arrays preallocated) for decodeNtRingStateInto(). */
export function createNtRingState(): NtRingState {
  return {
    size: 0,
    producer: 0,
    consumer_head: 0,
    consumer_tail: 0,
    pending: 0,
    occupied: 0,
    full: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeNtRingStateInto(t: NtRingState, v: DataView, o: number): NtRingState {
  t.size = v.getUint32(o + 0, true);
  t.producer = v.getUint32(o + 4, true);
  t.consumer_head = v.getUint32(o + 8, true);
  t.consumer_tail = v.getUint32(o + 12, true);
  t.pending = v.getUint32(o + 16, true);
  t.occupied = v.getUint32(o + 20, true);
  t.full = v.getUint8(o + 24);
  return t;
}
export function readNtRingStateSize(v: DataView, o: number): number {
  return v.getUint32(o + 0, true);
}
export function readNtRingStateProducer(v: DataView, o: number): number {
  return v.getUint32(o + 4, true);
}
export function readNtRingStateConsumerHead(v: DataView, o: number): number {
  return v.getUint32(o + 8, true);
}
export function readNtRingStateConsumerTail(v: DataView, o: number): number {
  return v.getUint32(o + 12, true);
}
export function readNtRingStatePending(v: DataView, o: number): number {
  return v.getUint32(o + 16, true);
}
export function readNtRingStateOccupied(v: DataView, o: number): number {
  return v.getUint32(o + 20, true);
}
export function readNtRingStateFull(v: DataView, o: number): number {
  return v.getUint8(o + 24);
}
export const NtRingStateLayout: StructLayout<NtRingState> = { name: 'nt_ring_state', size: 28, decode: decodeNtRingState, create: createNtRingState, decodeInto: decodeNtRingStateInto };

/** BTF struct nt_signal_call (64 bytes). */
export interface NtSignalCall {
  vq: bigint;
  call_ctx: bigint;
  entry_ns: number;
  count: number;
  signalled: number;
  before: NtVqState;
}
export const NtSignalCallSize = 64;
export function decodeNtSignalCall(v: DataView, o: number): NtSignalCall {
  return {
    vq: v.getBigUint64(o + 0, true),
    call_ctx: v.getBigUint64(o + 8, true),
    entry_ns: (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296),
    count: v.getUint32(o + 24, true),
    signalled: v.getUint8(o + 28),
    before: decodeNtVqState(v, o + 32),
  };
}
/** Byte offset of each member of struct nt_signal_call. */
export const NtSignalCallOffsets = {
  vq: 0,
  call_ctx: 8,
  entry_ns: 16,
  count: 24,
  signalled: 28,
  before: 32,
} as const;
/** A zeroed NtSignalCall (nested structs and arrays preallocated) for decodeNtSignalCallInto(). */
export function createNtSignalCall(): NtSignalCall {
  return {
    vq: 0n,
    call_ctx: 0n,
    entry_ns: 0,
    count: 0,
    signalled: 0,
    before: createNtVqState(),
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeNtSignalCallInto(t: NtSignalCall, v: DataView, o: number): NtSignalCall {
  t.vq = v.getBigUint64(o + 0, true);
  t.call_ctx = v.getBigUint64(o + 8, true);
  t.entry_ns = (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
  t.count = v.getUint32(o + 24, true);
  t.signalled = v.getUint8(o + 28);
  decodeNtVqStateInto(t.before, v, o + 32);
  return t;
}
export function readNtSignalCallVq(v: DataView, o: number): bigint {
  return v.getBigUint64(o + 0, true);
}
export function readNtSignalCallCallCtx(v: DataView, o: number): bigint {
  return v.getBigUint64(o + 8, true);
}
export function readNtSignalCallEntryNs(v: DataView, o: number): number {
  return (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
}
export function readNtSignalCallCount(v: DataView, o: number): number {
  return v.getUint32(o + 24, true);
}
export function readNtSignalCallSignalled(v: DataView, o: number): number {
  return v.getUint8(o + 28);
}
export const NtSignalCallLayout: StructLayout<NtSignalCall> = { name: 'nt_signal_call', size: 64, decode: decodeNtSignalCall, create: createNtSignalCall, decodeInto: decodeNtSignalCallInto };

/** BTF struct nt_stage_cpu_pair_key (12 bytes). */
export interface NtStageCpuPairKey {
  pair: NtStagePairKey;
  from_cpu: number;
  to_cpu: number;
}
export const NtStageCpuPairKeySize = 12;
export function decodeNtStageCpuPairKey(v: DataView, o: number): NtStageCpuPairKey {
  return {
    pair: decodeNtStagePairKey(v, o + 0),
    from_cpu: v.getUint32(o + 4, true),
    to_cpu: v.getUint32(o + 8, true),
  };
}
/** Byte offset of each member of struct nt_stage_cpu_pair_key. */
export const NtStageCpuPairKeyOffsets = {
  pair: 0,
  from_cpu: 4,
  to_cpu: 8,
} as const;
/** A zeroed NtStageCpuPairKey (nested structs and arrays preallocated) for decodeNtStageCpuPairKeyInto(). */
export function createNtStageCpuPairKey(): NtStageCpuPairKey {
  return {
    pair: createNtStagePairKey(),
    from_cpu: 0,
    to_cpu: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeNtStageCpuPairKeyInto(t: NtStageCpuPairKey, v: DataView, o: number): NtStageCpuPairKey {
  decodeNtStagePairKeyInto(t.pair, v, o + 0);
  t.from_cpu = v.getUint32(o + 4, true);
  t.to_cpu = v.getUint32(o + 8, true);
  return t;
}
export function readNtStageCpuPairKeyFromCpu(v: DataView, o: number): number {
  return v.getUint32(o + 4, true);
}
export function readNtStageCpuPairKeyToCpu(v: DataView, o: number): number {
  return v.getUint32(o + 8, true);
}
export const NtStageCpuPairKeyLayout: StructLayout<NtStageCpuPairKey> = { name: 'nt_stage_cpu_pair_key', size: 12, decode: decodeNtStageCpuPairKey, create: createNtStageCpuPairKey, decodeInto: decodeNtStageCpuPairKeyInto };

/** BTF struct nt_stage_mark (32 bytes). */
export interface NtStageMark {
  ts_ns: number;
  ifindex: number;
  len: number;
  data_len: number;
  hash: number;
  queue: number;
  cpu: number;
  stack_id: number;
}
export const NtStageMarkSize = 32;
export function decodeNtStageMark(v: DataView, o: number): NtStageMark {
  return {
    ts_ns: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    ifindex: v.getUint32(o + 8, true),
    len: v.getUint32(o + 12, true),
    data_len: v.getUint32(o + 16, true),
    hash: v.getUint32(o + 20, true),
    queue: v.getUint16(o + 24, true),
    cpu: v.getUint16(o + 26, true),
    stack_id: v.getInt32(o + 28, true),
  };
}
/** Byte offset of each member of struct nt_stage_mark. */
export const NtStageMarkOffsets = {
  ts_ns: 0,
  ifindex: 8,
  len: 12,
  data_len: 16,
  hash: 20,
  queue: 24,
  cpu: 26,
  stack_id: 28,
} as const;
/** A zeroed NtStageMark (nested structs and arrays preallocated) for decodeNtStageMarkInto(). */
export function createNtStageMark(): NtStageMark {
  return {
    ts_ns: 0,
    ifindex: 0,
    len: 0,
    data_len: 0,
    hash: 0,
    queue: 0,
    cpu: 0,
    stack_id: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeNtStageMarkInto(t: NtStageMark, v: DataView, o: number): NtStageMark {
  t.ts_ns = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.ifindex = v.getUint32(o + 8, true);
  t.len = v.getUint32(o + 12, true);
  t.data_len = v.getUint32(o + 16, true);
  t.hash = v.getUint32(o + 20, true);
  t.queue = v.getUint16(o + 24, true);
  t.cpu = v.getUint16(o + 26, true);
  t.stack_id = v.getInt32(o + 28, true);
  return t;
}
export function readNtStageMarkTsNs(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readNtStageMarkIfindex(v: DataView, o: number): number {
  return v.getUint32(o + 8, true);
}
export function readNtStageMarkLen(v: DataView, o: number): number {
  return v.getUint32(o + 12, true);
}
export function readNtStageMarkDataLen(v: DataView, o: number): number {
  return v.getUint32(o + 16, true);
}
export function readNtStageMarkHash(v: DataView, o: number): number {
  return v.getUint32(o + 20, true);
}
export function readNtStageMarkQueue(v: DataView, o: number): number {
  return v.getUint16(o + 24, true);
}
export function readNtStageMarkCpu(v: DataView, o: number): number {
  return v.getUint16(o + 26, true);
}
export function readNtStageMarkStackId(v: DataView, o: number): number {
  return v.getInt32(o + 28, true);
}
export const NtStageMarkLayout: StructLayout<NtStageMark> = { name: 'nt_stage_mark', size: 32, decode: decodeNtStageMark, create: createNtStageMark, decodeInto: decodeNtStageMarkInto };

/** BTF struct nt_stage_pair_key (4 bytes). */
export interface NtStagePairKey {
  dir: number;
  from: number;
  to: number;
}
export const NtStagePairKeySize = 4;
export function decodeNtStagePairKey(v: DataView, o: number): NtStagePairKey {
  return {
    dir: v.getUint8(o + 0),
    from: v.getUint8(o + 1),
    to: v.getUint8(o + 2),
  };
}
/** Byte offset of each member of struct nt_stage_pair_key. */
export const NtStagePairKeyOffsets = {
  dir: 0,
  from: 1,
  to: 2,
} as const;
/** A zeroed NtStagePairKey (nested structs and arrays preallocated) for decodeNtStagePairKeyInto(). */
export function createNtStagePairKey(): NtStagePairKey {
  return {
    dir: 0,
    from: 0,
    to: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeNtStagePairKeyInto(t: NtStagePairKey, v: DataView, o: number): NtStagePairKey {
  t.dir = v.getUint8(o + 0);
  t.from = v.getUint8(o + 1);
  t.to = v.getUint8(o + 2);
  return t;
}
export function readNtStagePairKeyDir(v: DataView, o: number): number {
  return v.getUint8(o + 0);
}
export function readNtStagePairKeyFrom(v: DataView, o: number): number {
  return v.getUint8(o + 1);
}
export function readNtStagePairKeyTo(v: DataView, o: number): number {
  return v.getUint8(o + 2);
}
export const NtStagePairKeyLayout: StructLayout<NtStagePairKey> = { name: 'nt_stage_pair_key', size: 4, decode: decodeNtStagePairKey, create: createNtStagePairKey, decodeInto: decodeNtStagePairKeyInto };

/** BTF struct nt_stage_session (632 bytes). */
export interface NtStageSession {
  key: NtPktKey;
  first_ns: number;
  last_ns: number;
  pid: number;
  dir: number;
  stamps: number;
  last_pos: number;
  flags: number;
  comm: string;
  order: Uint8Array;
  marks: NtStageMark[];
}
export const NtStageSessionSize = 632;
export function decodeNtStageSession(v: DataView, o: number): NtStageSession {
  return {
    key: decodeNtPktKey(v, o + 0),
    first_ns: (v.getUint32(o + 64, true) + v.getUint32(o + 68, true) * 4294967296),
    last_ns: (v.getUint32(o + 72, true) + v.getUint32(o + 76, true) * 4294967296),
    pid: v.getUint32(o + 80, true),
    dir: v.getUint8(o + 84),
    stamps: v.getUint8(o + 85),
    last_pos: v.getUint8(o + 86),
    flags: v.getUint8(o + 87),
    comm: readCString(v, o + 88, 16),
    order: readBytes(v, o + 104, 16),
    marks: Array.from({ length: 16 }, (_, i) => decodeNtStageMark(v, o + 120 + i * 32)),
  };
}
/** Byte offset of each member of struct nt_stage_session. */
export const NtStageSessionOffsets = {
  key: 0,
  first_ns: 64,
  last_ns: 72,
  pid: 80,
  dir: 84,
  stamps: 85,
  last_pos: 86,
  flags: 87,
  comm: 88,
  order: 104,
  marks: 120,
} as const;
/** A zeroed NtStageSession (nested structs and arrays preallocated) for decodeNtStageSessionInto(). */
export function createNtStageSession(): NtStageSession {
  return {
    key: createNtPktKey(),
    first_ns: 0,
    last_ns: 0,
    pid: 0,
    dir: 0,
    stamps: 0,
    last_pos: 0,
    flags: 0,
    comm: '',
    order: new Uint8Array(16),
    marks: Array.from({ length: 16 }, () => createNtStageMark()),
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeNtStageSessionInto(t: NtStageSession, v: DataView, o: number): NtStageSession {
  decodeNtPktKeyInto(t.key, v, o + 0);
  t.first_ns = (v.getUint32(o + 64, true) + v.getUint32(o + 68, true) * 4294967296);
  t.last_ns = (v.getUint32(o + 72, true) + v.getUint32(o + 76, true) * 4294967296);
  t.pid = v.getUint32(o + 80, true);
  t.dir = v.getUint8(o + 84);
  t.stamps = v.getUint8(o + 85);
  t.last_pos = v.getUint8(o + 86);
  t.flags = v.getUint8(o + 87);
  t.comm = readCString(v, o + 88, 16);
  for (let i0 = 0; i0 < 16; i0++) t.order[i0] = v.getUint8(o + 104 + i0);
  for (let i0 = 0; i0 < 16; i0++) {
    decodeNtStageMarkInto(t.marks[i0], v, o + 120 + i0 * 32);
  }
  return t;
}
export function readNtStageSessionFirstNs(v: DataView, o: number): number {
  return (v.getUint32(o + 64, true) + v.getUint32(o + 68, true) * 4294967296);
}
export function readNtStageSessionLastNs(v: DataView, o: number): number {
  return (v.getUint32(o + 72, true) + v.getUint32(o + 76, true) * 4294967296);
}
export function readNtStageSessionPid(v: DataView, o: number): number {
  return v.getUint32(o + 80, true);
}
export function readNtStageSessionDir(v: DataView, o: number): number {
  return v.getUint8(o + 84);
}
export function readNtStageSessionStamps(v: DataView, o: number): number {
  return v.getUint8(o + 85);
}
export function readNtStageSessionLastPos(v: DataView, o: number): number {
  return v.getUint8(o + 86);
}
export function readNtStageSessionFlags(v: DataView, o: number): number {
  return v.getUint8(o + 87);
}
export const NtStageSessionLayout: StructLayout<NtStageSession> = { name: 'nt_stage_session', size: 632, decode: decodeNtStageSession, create: createNtStageSession, decodeInto: decodeNtStageSessionInto };

/** BTF struct nt_stage_stats (544 bytes). */
export interface NtStageStats {
  count: number;
  sum_ns: number;
  max_ns: number;
  cross_cpu: number;
  hist: NtHist;
}
export const NtStageStatsSize = 544;
export function decodeNtStageStats(v: DataView, o: number): NtStageStats {
  return {
    count: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    sum_ns: (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296),
    max_ns: (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296),
    cross_cpu: (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296),
    hist: decodeNtHist(v, o + 32),
  };
}
/** Byte offset of each member of struct nt_stage_stats. */
export const NtStageStatsOffsets = {
  count: 0,
  sum_ns: 8,
  max_ns: 16,
  cross_cpu: 24,
  hist: 32,
} as const;
/** A zeroed NtStageStats (nested structs and arrays preallocated) for decodeNtStageStatsInto(). */
export function createNtStageStats(): NtStageStats {
  return {
    count: 0,
    sum_ns: 0,
    max_ns: 0,
    cross_cpu: 0,
    hist: createNtHist(),
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeNtStageStatsInto(t: NtStageStats, v: DataView, o: number): NtStageStats {
  t.count = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.sum_ns = (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
  t.max_ns = (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
  t.cross_cpu = (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296);
  decodeNtHistInto(t.hist, v, o + 32);
  return t;
}
export function readNtStageStatsCount(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readNtStageStatsSumNs(v: DataView, o: number): number {
  return (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
}
export function readNtStageStatsMaxNs(v: DataView, o: number): number {
  return (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
}
export function readNtStageStatsCrossCpu(v: DataView, o: number): number {
  return (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296);
}
export const NtStageStatsLayout: StructLayout<NtStageStats> = { name: 'nt_stage_stats', size: 544, decode: decodeNtStageStats, create: createNtStageStats, decodeInto: decodeNtStageStatsInto };

/** BTF struct nt_tcp_bw (528 bytes). */
export interface NtTcpBw {
  slots: number[];
  sum: number;
  samples: number;
}
export const NtTcpBwSize = 528;
export function decodeNtTcpBw(v: DataView, o: number): NtTcpBw {
  return {
    slots: Array.from({ length: 64 }, (_, i) => (v.getUint32(o + 0 + i * 8, true) + v.getUint32(o + 0 + i * 8 + 4, true) * 4294967296)),
    sum: (v.getUint32(o + 512, true) + v.getUint32(o + 516, true) * 4294967296),
    samples: (v.getUint32(o + 520, true) + v.getUint32(o + 524, true) * 4294967296),
  };
}
/** Byte offset of each member of struct nt_tcp_bw. */
export const NtTcpBwOffsets = {
  slots: 0,
  sum: 512,
  samples: 520,
} as const;
/** A zeroed NtTcpBw (nested structs and arrays preallocated) for decodeNtTcpBwInto(). */
export function createNtTcpBw(): NtTcpBw {
  return {
    slots: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    sum: 0,
    samples: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeNtTcpBwInto(t: NtTcpBw, v: DataView, o: number): NtTcpBw {
  for (let i0 = 0; i0 < 64; i0++) {
    t.slots[i0] = (v.getUint32(o + 0 + i0 * 8, true) + v.getUint32(o + 0 + i0 * 8 + 4, true) * 4294967296);
  }
  t.sum = (v.getUint32(o + 512, true) + v.getUint32(o + 516, true) * 4294967296);
  t.samples = (v.getUint32(o + 520, true) + v.getUint32(o + 524, true) * 4294967296);
  return t;
}
export function readNtTcpBwSum(v: DataView, o: number): number {
  return (v.getUint32(o + 512, true) + v.getUint32(o + 516, true) * 4294967296);
}
export function readNtTcpBwSamples(v: DataView, o: number): number {
  return (v.getUint32(o + 520, true) + v.getUint32(o + 524, true) * 4294967296);
}
export const NtTcpBwLayout: StructLayout<NtTcpBw> = { name: 'nt_tcp_bw', size: 528, decode: decodeNtTcpBw, create: createNtTcpBw, decodeInto: decodeNtTcpBwInto };

/** BTF struct nt_tcp_metrics (52 bytes). */
export interface NtTcpMetrics {
  srtt_us: number;
  rttvar_us: number;
  snd_cwnd: number;
  snd_ssthresh: number;
  packets_out: number;
  in_flight: number;
  mss_cache: number;
  unacked_bytes: number;
  total_retrans: number;
  retrans_out: number;
  lost_out: number;
  sacked_out: number;
  state: number;
}
export const NtTcpMetricsSize = 52;
export function decodeNtTcpMetrics(v: DataView, o: number): NtTcpMetrics {
  return {
    srtt_us: v.getUint32(o + 0, true),
    rttvar_us: v.getUint32(o + 4, true),
    snd_cwnd: v.getUint32(o + 8, true),
    snd_ssthresh: v.getUint32(o + 12, true),
    packets_out: v.getUint32(o + 16, true),
    in_flight: v.getUint32(o + 20, true),
    mss_cache: v.getUint32(o + 24, true),
    unacked_bytes: v.getUint32(o + 28, true),
    total_retrans: v.getUint32(o + 32, true),
    retrans_out: v.getUint32(o + 36, true),
    lost_out: v.getUint32(o + 40, true),
    sacked_out: v.getUint32(o + 44, true),
    state: v.getUint8(o + 48),
  };
}
/** Byte offset of each member of struct nt_tcp_metrics. */
export const NtTcpMetricsOffsets = {
  srtt_us: 0,
  rttvar_us: 4,
  snd_cwnd: 8,
  snd_ssthresh: 12,
  packets_out: 16,
  in_flight: 20,
  mss_cache: 24,
  unacked_bytes: 28,
  total_retrans: 32,
  retrans_out: 36,
  lost_out: 40,
  sacked_out: 44,
  state: 48,
} as const;
/** A zeroed NtTcpMetrics (nested structs and arrays preallocated) for decodeNtTcpMetricsInto(). */
export function createNtTcpMetrics(): NtTcpMetrics {
  return {
    srtt_us: 0,
    rttvar_us: 0,
    snd_cwnd: 0,
    snd_ssthresh: 0,
    packets_out: 0,
    in_flight: 0,
    mss_cache: 0,
    unacked_bytes: 0,
    total_retrans: 0,
    retrans_out: 0,
    lost_out: 0,
    sacked_out: 0,
    state: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeNtTcpMetricsInto(t: NtTcpMetrics, v: DataView, o: number): NtTcpMetrics {
  t.srtt_us = v.getUint32(o + 0, true);
  t.rttvar_us = v.getUint32(o + 4, true);
  t.snd_cwnd = v.getUint32(o + 8, true);
  t.snd_ssthresh = v.getUint32(o + 12, true);
  t.packets_out = v.getUint32(o + 16, true);
  t.in_flight = v.getUint32(o + 20, true);
  t.mss_cache = v.getUint32(o + 24, true);
  t.unacked_bytes = v.getUint32(o + 28, true);
  t.total_retrans = v.getUint32(o + 32, true);
  t.retrans_out = v.getUint32(o + 36, true);
  t.lost_out = v.getUint32(o + 40, true);
  t.sacked_out = v.getUint32(o + 44, true);
  t.state = v.getUint8(o + 48);
  return t;
}
export function readNtTcpMetricsSrttUs(v: DataView, o: number): number {
  return v.getUint32(o + 0, true);
}
export function readNtTcpMetricsRttvarUs(v: DataView, o: number): number {
  return v.getUint32(o + 4, true);
}
export function readNtTcpMetricsSndCwnd(v: DataView, o: number): number {
  return v.getUint32(o + 8, true);
}
export function readNtTcpMetricsSndSsthresh(v: DataView, o: number): number {
  return v.getUint32(o + 12, true);
}
export function readNtTcpMetricsPacketsOut(v: DataView, o: number): number {
  return v.getUint32(o + 16, true);
}
export function readNtTcpMetricsInFlight(v: DataView, o: number): number {
  return v.getUint32(o + 20, true);
}
export function readNtTcpMetricsMssCache(v: DataView, o: number): number {
  return v.getUint32(o + 24, true);
}
export function readNtTcpMetricsUnackedBytes(v: DataView, o: number): number {
  return v.getUint32(o + 28, true);
}
export function readNtTcpMetricsTotalRetrans(v: DataView, o: number): number {
  return v.getUint32(o + 32, true);
}
export function readNtTcpMetricsRetransOut(v: DataView, o: number): number {
  return v.getUint32(o + 36, true);
}
export function readNtTcpMetricsLostOut(v: DataView, o: number): number {
  return v.getUint32(o + 40, true);
}
export function readNtTcpMetricsSackedOut(v: DataView, o: number): number {
  return v.getUint32(o + 44, true);
}
export function readNtTcpMetricsState(v: DataView, o: number): number {
  return v.getUint8(o + 48);
}
export const NtTcpMetricsLayout: StructLayout<NtTcpMetrics> = { name: 'nt_tcp_metrics', size: 52, decode: decodeNtTcpMetrics, create: createNtTcpMetrics, decodeInto: decodeNtTcpMetricsInto };

/** BTF struct nt_tcp_sample (96 bytes). */
export interface NtTcpSample {
  flow: NtFlow;
  srtt_us: number;
  snd_cwnd: number;
  snd_ssthresh: number;
  unacked_bytes: number;
  packets_out: number;
  in_flight: number;
  mss_cache: number;
  total_retrans: number;
  retrans_out: number;
  lost_out: number;
  sk: bigint;
}
export const NtTcpSampleSize = 96;
export function decodeNtTcpSample(v: DataView, o: number): NtTcpSample {
  return {
    flow: decodeNtFlow(v, o + 0),
    srtt_us: v.getUint32(o + 48, true),
    snd_cwnd: v.getUint32(o + 52, true),
    snd_ssthresh: v.getUint32(o + 56, true),
    unacked_bytes: v.getUint32(o + 60, true),
    packets_out: v.getUint32(o + 64, true),
    in_flight: v.getUint32(o + 68, true),
    mss_cache: v.getUint32(o + 72, true),
    total_retrans: v.getUint32(o + 76, true),
    retrans_out: v.getUint32(o + 80, true),
    lost_out: v.getUint32(o + 84, true),
    sk: v.getBigUint64(o + 88, true),
  };
}
/** Byte offset of each member of struct nt_tcp_sample. */
export const NtTcpSampleOffsets = {
  flow: 0,
  srtt_us: 48,
  snd_cwnd: 52,
  snd_ssthresh: 56,
  unacked_bytes: 60,
  packets_out: 64,
  in_flight: 68,
  mss_cache: 72,
  total_retrans: 76,
  retrans_out: 80,
  lost_out: 84,
  sk: 88,
} as const;
/** A zeroed NtTcpSample (nested structs and arrays preallocated) for decodeNtTcpSampleInto(). */
export function createNtTcpSample(): NtTcpSample {
  return {
    flow: createNtFlow(),
    srtt_us: 0,
    snd_cwnd: 0,
    snd_ssthresh: 0,
    unacked_bytes: 0,
    packets_out: 0,
    in_flight: 0,
    mss_cache: 0,
    total_retrans: 0,
    retrans_out: 0,
    lost_out: 0,
    sk: 0n,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeNtTcpSampleInto(t: NtTcpSample, v: DataView, o: number): NtTcpSample {
  decodeNtFlowInto(t.flow, v, o + 0);
  t.srtt_us = v.getUint32(o + 48, true);
  t.snd_cwnd = v.getUint32(o + 52, true);
  t.snd_ssthresh = v.getUint32(o + 56, true);
  t.unacked_bytes = v.getUint32(o + 60, true);
  t.packets_out = v.getUint32(o + 64, true);
  t.in_flight = v.getUint32(o + 68, true);
  t.mss_cache = v.getUint32(o + 72, true);
  t.total_retrans = v.getUint32(o + 76, true);
  t.retrans_out = v.getUint32(o + 80, true);
  t.lost_out = v.getUint32(o + 84, true);
  t.sk = v.getBigUint64(o + 88, true);
  return t;
}
export function readNtTcpSampleSrttUs(v: DataView, o: number): number {
  return v.getUint32(o + 48, true);
}
export function readNtTcpSampleSndCwnd(v: DataView, o: number): number {
  return v.getUint32(o + 52, true);
}
export function readNtTcpSampleSndSsthresh(v: DataView, o: number): number {
  return v.getUint32(o + 56, true);
}
export function readNtTcpSampleUnackedBytes(v: DataView, o: number): number {
  return v.getUint32(o + 60, true);
}
export function readNtTcpSamplePacketsOut(v: DataView, o: number): number {
  return v.getUint32(o + 64, true);
}
export function readNtTcpSampleInFlight(v: DataView, o: number): number {
  return v.getUint32(o + 68, true);
}
export function readNtTcpSampleMssCache(v: DataView, o: number): number {
  return v.getUint32(o + 72, true);
}
export function readNtTcpSampleTotalRetrans(v: DataView, o: number): number {
  return v.getUint32(o + 76, true);
}
export function readNtTcpSampleRetransOut(v: DataView, o: number): number {
  return v.getUint32(o + 80, true);
}
export function readNtTcpSampleLostOut(v: DataView, o: number): number {
  return v.getUint32(o + 84, true);
}
export function readNtTcpSampleSk(v: DataView, o: number): bigint {
  return v.getBigUint64(o + 88, true);
}
export const NtTcpSampleLayout: StructLayout<NtTcpSample> = { name: 'nt_tcp_sample', size: 96, decode: decodeNtTcpSample, create: createNtTcpSample, decodeInto: decodeNtTcpSampleInto };

/** BTF struct nt_tun_queue (28 bytes). */
export interface NtTunQueue {
  netns: number;
  ifindex: number;
  queue: number;
  ifname: string;
}
export const NtTunQueueSize = 28;
export function decodeNtTunQueue(v: DataView, o: number): NtTunQueue {
  return {
    netns: v.getUint32(o + 0, true),
    ifindex: v.getUint32(o + 4, true),
    queue: v.getUint16(o + 8, true),
    ifname: readCString(v, o + 12, 16),
  };
}
/** Byte offset of each member of struct nt_tun_queue. */
export const NtTunQueueOffsets = {
  netns: 0,
  ifindex: 4,
  queue: 8,
  ifname: 12,
} as const;
/** A zeroed NtTunQueue (nested structs and arrays preallocated) for decodeNtTunQueueInto(). */
export function createNtTunQueue(): NtTunQueue {
  return {
    netns: 0,
    ifindex: 0,
    queue: 0,
    ifname: '',
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeNtTunQueueInto(t: NtTunQueue, v: DataView, o: number): NtTunQueue {
  t.netns = v.getUint32(o + 0, true);
  t.ifindex = v.getUint32(o + 4, true);
  t.queue = v.getUint16(o + 8, true);
  t.ifname = readCString(v, o + 12, 16);
  return t;
}
export function readNtTunQueueNetns(v: DataView, o: number): number {
  return v.getUint32(o + 0, true);
}
export function readNtTunQueueIfindex(v: DataView, o: number): number {
  return v.getUint32(o + 4, true);
}
export function readNtTunQueueQueue(v: DataView, o: number): number {
  return v.getUint16(o + 8, true);
}
export const NtTunQueueLayout: StructLayout<NtTunQueue> = { name: 'nt_tun_queue', size: 28, decode: decodeNtTunQueue, create: createNtTunQueue, decodeInto: decodeNtTunQueueInto };

/** BTF struct nt_vq_state (32 bytes). */
export interface NtVqState {
  last_avail_idx: number;
  avail_idx: number;
  last_used_idx: number;
  used_flags: number;
  signalled_used: number;
  signalled_used_valid: number;
  event_idx: number;
  num: number;
  busyloop_timeout: number;
  acked_features: number;
}
export const NtVqStateSize = 32;
export function decodeNtVqState(v: DataView, o: number): NtVqState {
  return {
    last_avail_idx: v.getUint16(o + 0, true),
    avail_idx: v.getUint16(o + 2, true),
    last_used_idx: v.getUint16(o + 4, true),
    used_flags: v.getUint16(o + 6, true),
    signalled_used: v.getUint16(o + 8, true),
    signalled_used_valid: v.getUint8(o + 10),
    event_idx: v.getUint8(o + 11),
    num: v.getUint32(o + 12, true),
    busyloop_timeout: v.getUint32(o + 16, true),
    acked_features: (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296),
  };
}
/** Byte offset of each member of struct nt_vq_state. */
export const NtVqStateOffsets = {
  last_avail_idx: 0,
  avail_idx: 2,
  last_used_idx: 4,
  used_flags: 6,
  signalled_used: 8,
  signalled_used_valid: 10,
  event_idx: 11,
  num: 12,
  busyloop_timeout: 16,
  acked_features: 24,
} as const;
/** A zeroed NtVqState (nested structs and arrays preallocated) for decodeNtVqStateInto(). */
export function createNtVqState(): NtVqState {
  return {
    last_avail_idx: 0,
    avail_idx: 0,
    last_used_idx: 0,
    used_flags: 0,
    signalled_used: 0,
    signalled_used_valid: 0,
    event_idx: 0,
    num: 0,
    busyloop_timeout: 0,
    acked_features: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeNtVqStateInto(t: NtVqState, v: DataView, o: number): NtVqState {
  t.last_avail_idx = v.getUint16(o + 0, true);
  t.avail_idx = v.getUint16(o + 2, true);
  t.last_used_idx = v.getUint16(o + 4, true);
  t.used_flags = v.getUint16(o + 6, true);
  t.signalled_used = v.getUint16(o + 8, true);
  t.signalled_used_valid = v.getUint8(o + 10);
  t.event_idx = v.getUint8(o + 11);
  t.num = v.getUint32(o + 12, true);
  t.busyloop_timeout = v.getUint32(o + 16, true);
  t.acked_features = (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296);
  return t;
}
export function readNtVqStateLastAvailIdx(v: DataView, o: number): number {
  return v.getUint16(o + 0, true);
}
export function readNtVqStateAvailIdx(v: DataView, o: number): number {
  return v.getUint16(o + 2, true);
}
export function readNtVqStateLastUsedIdx(v: DataView, o: number): number {
  return v.getUint16(o + 4, true);
}
export function readNtVqStateUsedFlags(v: DataView, o: number): number {
  return v.getUint16(o + 6, true);
}
export function readNtVqStateSignalledUsed(v: DataView, o: number): number {
  return v.getUint16(o + 8, true);
}
export function readNtVqStateSignalledUsedValid(v: DataView, o: number): number {
  return v.getUint8(o + 10);
}
export function readNtVqStateEventIdx(v: DataView, o: number): number {
  return v.getUint8(o + 11);
}
export function readNtVqStateNum(v: DataView, o: number): number {
  return v.getUint32(o + 12, true);
}
export function readNtVqStateBusyloopTimeout(v: DataView, o: number): number {
  return v.getUint32(o + 16, true);
}
export function readNtVqStateAckedFeatures(v: DataView, o: number): number {
  return (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296);
}
export const NtVqStateLayout: StructLayout<NtVqState> = { name: 'nt_vq_state', size: 32, decode: decodeNtVqState, create: createNtVqState, decodeInto: decodeNtVqStateInto };
