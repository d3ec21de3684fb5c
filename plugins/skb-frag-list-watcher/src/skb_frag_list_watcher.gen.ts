// Generated from plugins/skb-frag-list-watcher/bpf/skb_frag_list_watcher.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { readCString, type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto, type StructLayout } from '@nettrace/core';
export { type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto };

/** What plugins/skb-frag-list-watcher/bpf/skb_frag_list_watcher.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load),
 * counters (NT_COUNTERS, read with ctx.counters()). */
export const contract = {
  object: new URL('./skb_frag_list_watcher.bpf.o', import.meta.url),
  programs: {
    nt_fl_grl_fe: 'fentry/skb_gro_receive_list',
    nt_fl_grl_kp: 'kprobe/skb_gro_receive_list',
    nt_fl_grl_fx: 'fexit/skb_gro_receive_list',
    nt_fl_grl_kr: 'kretprobe/skb_gro_receive_list',
    nt_fl_sgl_fe: 'fentry/skb_segment_list',
    nt_fl_sgl_kp: 'kprobe/skb_segment_list',
    nt_fl_sgl_fx: 'fexit/skb_segment_list',
    nt_fl_sgl_kr: 'kretprobe/skb_segment_list',
    nt_fl_peh_fe: 'fentry/pskb_expand_head',
    nt_fl_peh_kp: 'kprobe/pskb_expand_head',
    nt_fl_peh_fx: 'fexit/pskb_expand_head',
    nt_fl_peh_kr: 'kretprobe/pskb_expand_head',
    nt_fl_ppt_fe: 'fentry/__pskb_pull_tail',
    nt_fl_ppt_kp: 'kprobe/__pskb_pull_tail',
    nt_fl_ppt_fx: 'fexit/__pskb_pull_tail',
    nt_fl_ppt_kr: 'kretprobe/__pskb_pull_tail',
    nt_fl_gso_fe: 'fentry/__skb_gso_segment',
    nt_fl_gso_kp: 'kprobe/__skb_gso_segment',
    nt_fl_gso_fx: 'fexit/__skb_gso_segment',
    nt_fl_gso_kr: 'kretprobe/__skb_gso_segment',
    nt_fl_ust_fe: 'fentry/skb_udp_tunnel_segment',
    nt_fl_ust_kp: 'kprobe/skb_udp_tunnel_segment',
    nt_fl_ust_fx: 'fexit/skb_udp_tunnel_segment',
    nt_fl_ust_kr: 'kretprobe/skb_udp_tunnel_segment',
    nt_fl_igs_fe: 'fentry/inet_gso_segment',
    nt_fl_igs_kp: 'kprobe/inet_gso_segment',
    nt_fl_igs_fx: 'fexit/inet_gso_segment',
    nt_fl_igs_kr: 'kretprobe/inet_gso_segment',
    nt_fl_tgs_fe: 'fentry/tcp_gso_segment',
    nt_fl_tgs_kp: 'kprobe/tcp_gso_segment',
    nt_fl_tgs_fx: 'fexit/tcp_gso_segment',
    nt_fl_tgs_kr: 'kretprobe/tcp_gso_segment',
    nt_fl_seg_fe: 'fentry/skb_segment',
    nt_fl_seg_kp: 'kprobe/skb_segment',
    nt_fl_rx_btf: 'tp_btf/netif_receive_skb',
    nt_fl_rx_tp: 'tracepoint/net/netif_receive_skb',
    nt_fl_tx_btf: 'tp_btf/net_dev_start_xmit',
    nt_fl_tx_tp: 'tracepoint/net/net_dev_start_xmit',
  },
  maps: {
    events: { type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: 1048576 },
    events_lost: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 1 },
    events_perf: { type: 'perf_event_array', keySize: 4, valueSize: 4, maxEntries: 0 },
    events_scratch: { type: 'percpu_array', keySize: 4, valueSize: 1024, maxEntries: 1 },
    stacks: { type: 'stack_trace', keySize: 4, valueSize: 256, maxEntries: 4096 },
    counters: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 2 },
    per_func: { type: 'percpu_array', keySize: 4, valueSize: 48, maxEntries: 11 },
    fl_frames: { type: 'lru_hash', keySize: 8, valueSize: 328, maxEntries: 4096 },
  },
  variables: {
    cfg_dst_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_dst_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_either_direction: { section: '.rodata', type: 'u8', size: 1 },
    cfg_exclude_access: { section: '.rodata', type: 'u8', size: 1 },
    cfg_gso_only: { section: '.rodata', type: 'u8', size: 1 },
    cfg_ifindex: { section: '.rodata', type: 'u32', size: 4 },
    cfg_netns_ino: { section: '.rodata', type: 'u32', size: 4 },
    cfg_perf_buffer: { section: '.rodata', type: 'u8', size: 1 },
    cfg_pid: { section: '.rodata', type: 'u32', size: 4 },
    cfg_protocol: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_src_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_stack: { section: '.rodata', type: 'u8', size: 1 },
    cfg_wakeup_bytes: { section: '.rodata', type: 'u64', size: 8 },
    fl_frames_empty: { section: '.rodata', type: 'struct fl_frames_stack', size: 328 },
  },
  counters: ['unmatched_returns', 'too_deep'],
} as const;

/** BTF enum fl_func. */
export const FlFunc = {
  FL_GRO_RECEIVE_LIST: 0,
  FL_SEGMENT_LIST: 1,
  FL_EXPAND_HEAD: 2,
  FL_PULL_TAIL: 3,
  FL_GSO_SEGMENT: 4,
  FL_UDP_TUNNEL_SEGMENT: 5,
  FL_INET_GSO_SEGMENT: 6,
  FL_TCP_GSO_SEGMENT: 7,
  FL_SKB_SEGMENT: 8,
  FL_RECEIVE: 9,
  FL_XMIT: 10,
  FL_FUNCS: 11,
} as const;
export type FlFunc = (typeof FlFunc)[keyof typeof FlFunc];

/** BTF enum fl_kind. */
export const FlKind = {
  FL_CREATE: 0,
  FL_CLEAR: 1,
  FL_MODIFY: 2,
  FL_ACCESS: 3,
  FL_INCONSISTENT: 4,
  FL_SEEN: 5,
  FL_KINDS: 6,
} as const;
export type FlKind = (typeof FlKind)[keyof typeof FlKind];

/** BTF struct fl_event (160 bytes). */
export interface FlEvent {
  ts_ns: number;
  skb: bigint;
  frag_before: bigint;
  frag_after: bigint;
  pid: number;
  cpu: number;
  len: number;
  data_len: number;
  ifindex: number;
  netns: number;
  gso_type_before: number;
  gso_type_after: number;
  gso_size_before: number;
  gso_size_after: number;
  gso_segs_before: number;
  gso_segs_after: number;
  stack_id: number;
  func: number;
  kind: number;
  nr_frags: number;
  comm: string;
  ifname: string;
  flow: NtFlow;
}
export const FlEventSize = 160;
export function decodeFlEvent(v: DataView, o: number): FlEvent {
  return {
    ts_ns: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    skb: v.getBigUint64(o + 8, true),
    frag_before: v.getBigUint64(o + 16, true),
    frag_after: v.getBigUint64(o + 24, true),
    pid: v.getUint32(o + 32, true),
    cpu: v.getUint32(o + 36, true),
    len: v.getUint32(o + 40, true),
    data_len: v.getUint32(o + 44, true),
    ifindex: v.getUint32(o + 48, true),
    netns: v.getUint32(o + 52, true),
    gso_type_before: v.getUint32(o + 56, true),
    gso_type_after: v.getUint32(o + 60, true),
    gso_size_before: v.getUint16(o + 64, true),
    gso_size_after: v.getUint16(o + 66, true),
    gso_segs_before: v.getUint16(o + 68, true),
    gso_segs_after: v.getUint16(o + 70, true),
    stack_id: v.getInt32(o + 72, true),
    func: v.getUint8(o + 76),
    kind: v.getUint8(o + 77),
    nr_frags: v.getUint8(o + 78),
    comm: readCString(v, o + 80, 16),
    ifname: readCString(v, o + 96, 16),
    flow: decodeNtFlow(v, o + 112),
  };
}
/** Byte offset of each member of struct fl_event. */
export const FlEventOffsets = {
  ts_ns: 0,
  skb: 8,
  frag_before: 16,
  frag_after: 24,
  pid: 32,
  cpu: 36,
  len: 40,
  data_len: 44,
  ifindex: 48,
  netns: 52,
  gso_type_before: 56,
  gso_type_after: 60,
  gso_size_before: 64,
  gso_size_after: 66,
  gso_segs_before: 68,
  gso_segs_after: 70,
  stack_id: 72,
  func: 76,
  kind: 77,
  nr_frags: 78,
  comm: 80,
  ifname: 96,
  flow: 112,
} as const;
/** A zeroed FlEvent (nested structs and arrays preallocated) for decodeFlEventInto(). */
export function createFlEvent(): FlEvent {
  return {
    ts_ns: 0,
    skb: 0n,
    frag_before: 0n,
    frag_after: 0n,
    pid: 0,
    cpu: 0,
    len: 0,
    data_len: 0,
    ifindex: 0,
    netns: 0,
    gso_type_before: 0,
    gso_type_after: 0,
    gso_size_before: 0,
    gso_size_after: 0,
    gso_segs_before: 0,
    gso_segs_after: 0,
    stack_id: 0,
    func: 0,
    kind: 0,
    nr_frags: 0,
    comm: '',
    ifname: '',
    flow: createNtFlow(),
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeFlEventInto(t: FlEvent, v: DataView, o: number): FlEvent {
  t.ts_ns = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.skb = v.getBigUint64(o + 8, true);
  t.frag_before = v.getBigUint64(o + 16, true);
  t.frag_after = v.getBigUint64(o + 24, true);
  t.pid = v.getUint32(o + 32, true);
  t.cpu = v.getUint32(o + 36, true);
  t.len = v.getUint32(o + 40, true);
  t.data_len = v.getUint32(o + 44, true);
  t.ifindex = v.getUint32(o + 48, true);
  t.netns = v.getUint32(o + 52, true);
  t.gso_type_before = v.getUint32(o + 56, true);
  t.gso_type_after = v.getUint32(o + 60, true);
  t.gso_size_before = v.getUint16(o + 64, true);
  t.gso_size_after = v.getUint16(o + 66, true);
  t.gso_segs_before = v.getUint16(o + 68, true);
  t.gso_segs_after = v.getUint16(o + 70, true);
  t.stack_id = v.getInt32(o + 72, true);
  t.func = v.getUint8(o + 76);
  t.kind = v.getUint8(o + 77);
  t.nr_frags = v.getUint8(o + 78);
  t.comm = readCString(v, o + 80, 16);
  t.ifname = readCString(v, o + 96, 16);
  decodeNtFlowInto(t.flow, v, o + 112);
  return t;
}
export function readFlEventTsNs(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readFlEventSkb(v: DataView, o: number): bigint {
  return v.getBigUint64(o + 8, true);
}
export function readFlEventFragBefore(v: DataView, o: number): bigint {
  return v.getBigUint64(o + 16, true);
}
export function readFlEventFragAfter(v: DataView, o: number): bigint {
  return v.getBigUint64(o + 24, true);
}
export function readFlEventPid(v: DataView, o: number): number {
  return v.getUint32(o + 32, true);
}
export function readFlEventCpu(v: DataView, o: number): number {
  return v.getUint32(o + 36, true);
}
export function readFlEventLen(v: DataView, o: number): number {
  return v.getUint32(o + 40, true);
}
export function readFlEventDataLen(v: DataView, o: number): number {
  return v.getUint32(o + 44, true);
}
export function readFlEventIfindex(v: DataView, o: number): number {
  return v.getUint32(o + 48, true);
}
export function readFlEventNetns(v: DataView, o: number): number {
  return v.getUint32(o + 52, true);
}
export function readFlEventGsoTypeBefore(v: DataView, o: number): number {
  return v.getUint32(o + 56, true);
}
export function readFlEventGsoTypeAfter(v: DataView, o: number): number {
  return v.getUint32(o + 60, true);
}
export function readFlEventGsoSizeBefore(v: DataView, o: number): number {
  return v.getUint16(o + 64, true);
}
export function readFlEventGsoSizeAfter(v: DataView, o: number): number {
  return v.getUint16(o + 66, true);
}
export function readFlEventGsoSegsBefore(v: DataView, o: number): number {
  return v.getUint16(o + 68, true);
}
export function readFlEventGsoSegsAfter(v: DataView, o: number): number {
  return v.getUint16(o + 70, true);
}
export function readFlEventStackId(v: DataView, o: number): number {
  return v.getInt32(o + 72, true);
}
export function readFlEventFunc(v: DataView, o: number): number {
  return v.getUint8(o + 76);
}
export function readFlEventKind(v: DataView, o: number): number {
  return v.getUint8(o + 77);
}
export function readFlEventNrFrags(v: DataView, o: number): number {
  return v.getUint8(o + 78);
}
export const FlEventLayout: StructLayout<FlEvent> = { name: 'fl_event', size: 160, decode: decodeFlEvent, create: createFlEvent, decodeInto: decodeFlEventInto };

/** BTF struct per_func_counts (48 bytes). */
export interface PerFuncCounts {
  kinds: number[];
}
export const PerFuncCountsSize = 48;
export function decodePerFuncCounts(v: DataView, o: number): PerFuncCounts {
  return {
    kinds: Array.from({ length: 6 }, (_, i) => (v.getUint32(o + 0 + i * 8, true) + v.getUint32(o + 0 + i * 8 + 4, true) * 4294967296)),
  };
}
/** Byte offset of each member of struct per_func_counts. */
export const PerFuncCountsOffsets = {
  kinds: 0,
} as const;
/** A zeroed PerFuncCounts (nested structs and arrays preallocated) for decodePerFuncCountsInto(). */
export function createPerFuncCounts(): PerFuncCounts {
  return {
    kinds: [0, 0, 0, 0, 0, 0],
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodePerFuncCountsInto(t: PerFuncCounts, v: DataView, o: number): PerFuncCounts {
  for (let i0 = 0; i0 < 6; i0++) {
    t.kinds[i0] = (v.getUint32(o + 0 + i0 * 8, true) + v.getUint32(o + 0 + i0 * 8 + 4, true) * 4294967296);
  }
  return t;
}
export const PerFuncCountsLayout: StructLayout<PerFuncCounts> = { name: 'per_func_counts', size: 48, decode: decodePerFuncCounts, create: createPerFuncCounts, decodeInto: decodePerFuncCountsInto };
