// Generated from plugins/vxlan-tracer/bpf/vxlan_tracer.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { readBytes, readCString, type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto, type StructLayout } from '@nettrace/core';
export { type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto };

/** What plugins/vxlan-tracer/bpf/vxlan_tracer.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load),
 * counters (NT_COUNTERS, read with ctx.counters()). */
export const contract = {
  object: new URL('./vxlan_tracer.bpf.o', import.meta.url),
  programs: {
    nt_vxt_rx_btf: 'tp_btf/netif_receive_skb',
    nt_vxt_rx_tp: 'tracepoint/net/netif_receive_skb',
    nt_vxt_tx_btf: 'tp_btf/net_dev_start_xmit',
    nt_vxt_tx_tp: 'tracepoint/net/net_dev_start_xmit',
    nt_vxt_decap_fe: 'fentry/vxlan_rcv',
    nt_vxt_decap_kp: 'kprobe/vxlan_rcv',
    nt_vxt_encap_fe: 'fentry/vxlan_xmit',
    nt_vxt_encap_kp: 'kprobe/vxlan_xmit',
  },
  maps: {
    events: { type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: 1048576 },
    events_lost: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 1 },
    events_perf: { type: 'perf_event_array', keySize: 4, valueSize: 4, maxEntries: 0 },
    events_scratch: { type: 'percpu_array', keySize: 4, valueSize: 1024, maxEntries: 1 },
    stacks: { type: 'stack_trace', keySize: 4, valueSize: 256, maxEntries: 4096 },
    counters: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 4 },
    scratch: { type: 'percpu_array', keySize: 4, valueSize: 96, maxEntries: 1 },
  },
  variables: {
    cfg_direction: { section: '.rodata', type: 'u8', size: 1 },
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
    cfg_stack: { section: '.rodata', type: 'u8', size: 1 },
    cfg_vni: { section: '.rodata', type: 'u32', size: 4 },
    cfg_vni_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_vxlan_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_wakeup_bytes: { section: '.rodata', type: 'u64', size: 8 },
  },
  counters: ['rx', 'tx', 'rx_bytes', 'tx_bytes'],
} as const;

/** BTF enum vxt_point. */
export const VxtPoint = {
  AT_WIRE: 0,
  AT_ENCAP: 1,
  AT_DECAP: 2,
} as const;
export type VxtPoint = (typeof VxtPoint)[keyof typeof VxtPoint];

/** BTF struct event (200 bytes). */
export interface Event {
  ts_ns: number;
  pid: number;
  cpu: number;
  netns: number;
  ifindex: number;
  len: number;
  vni: number;
  data_len: number;
  gso_type: number;
  gso_size: number;
  gso_segs: number;
  has_frag_list: number;
  nr_frags: number;
  point: number;
  stack_id: number;
  direction: number;
  vxlan_flags: number;
  inner_dmac: Uint8Array;
  inner_smac: Uint8Array;
  comm: string;
  ifname: string;
  outer: NtFlow;
  inner: NtFlow;
}
export const EventSize = 200;
export function decodeEvent(v: DataView, o: number): Event {
  return {
    ts_ns: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    pid: v.getUint32(o + 8, true),
    cpu: v.getUint32(o + 12, true),
    netns: v.getUint32(o + 16, true),
    ifindex: v.getUint32(o + 20, true),
    len: v.getUint32(o + 24, true),
    vni: v.getUint32(o + 28, true),
    data_len: v.getUint32(o + 32, true),
    gso_type: v.getUint32(o + 36, true),
    gso_size: v.getUint16(o + 40, true),
    gso_segs: v.getUint16(o + 42, true),
    has_frag_list: v.getUint8(o + 44),
    nr_frags: v.getUint8(o + 45),
    point: v.getUint8(o + 46),
    stack_id: v.getInt32(o + 48, true),
    direction: v.getUint8(o + 52),
    vxlan_flags: v.getUint8(o + 53),
    inner_dmac: readBytes(v, o + 54, 6),
    inner_smac: readBytes(v, o + 60, 6),
    comm: readCString(v, o + 68, 16),
    ifname: readCString(v, o + 84, 16),
    outer: decodeNtFlow(v, o + 100),
    inner: decodeNtFlow(v, o + 148),
  };
}
/** Byte offset of each member of struct event. */
export const EventOffsets = {
  ts_ns: 0,
  pid: 8,
  cpu: 12,
  netns: 16,
  ifindex: 20,
  len: 24,
  vni: 28,
  data_len: 32,
  gso_type: 36,
  gso_size: 40,
  gso_segs: 42,
  has_frag_list: 44,
  nr_frags: 45,
  point: 46,
  stack_id: 48,
  direction: 52,
  vxlan_flags: 53,
  inner_dmac: 54,
  inner_smac: 60,
  comm: 68,
  ifname: 84,
  outer: 100,
  inner: 148,
} as const;
/** A zeroed Event (nested structs and arrays preallocated) for decodeEventInto(). */
export function createEvent(): Event {
  return {
    ts_ns: 0,
    pid: 0,
    cpu: 0,
    netns: 0,
    ifindex: 0,
    len: 0,
    vni: 0,
    data_len: 0,
    gso_type: 0,
    gso_size: 0,
    gso_segs: 0,
    has_frag_list: 0,
    nr_frags: 0,
    point: 0,
    stack_id: 0,
    direction: 0,
    vxlan_flags: 0,
    inner_dmac: new Uint8Array(6),
    inner_smac: new Uint8Array(6),
    comm: '',
    ifname: '',
    outer: createNtFlow(),
    inner: createNtFlow(),
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeEventInto(t: Event, v: DataView, o: number): Event {
  t.ts_ns = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.pid = v.getUint32(o + 8, true);
  t.cpu = v.getUint32(o + 12, true);
  t.netns = v.getUint32(o + 16, true);
  t.ifindex = v.getUint32(o + 20, true);
  t.len = v.getUint32(o + 24, true);
  t.vni = v.getUint32(o + 28, true);
  t.data_len = v.getUint32(o + 32, true);
  t.gso_type = v.getUint32(o + 36, true);
  t.gso_size = v.getUint16(o + 40, true);
  t.gso_segs = v.getUint16(o + 42, true);
  t.has_frag_list = v.getUint8(o + 44);
  t.nr_frags = v.getUint8(o + 45);
  t.point = v.getUint8(o + 46);
  t.stack_id = v.getInt32(o + 48, true);
  t.direction = v.getUint8(o + 52);
  t.vxlan_flags = v.getUint8(o + 53);
  for (let i0 = 0; i0 < 6; i0++) t.inner_dmac[i0] = v.getUint8(o + 54 + i0);
  for (let i0 = 0; i0 < 6; i0++) t.inner_smac[i0] = v.getUint8(o + 60 + i0);
  t.comm = readCString(v, o + 68, 16);
  t.ifname = readCString(v, o + 84, 16);
  decodeNtFlowInto(t.outer, v, o + 100);
  decodeNtFlowInto(t.inner, v, o + 148);
  return t;
}
export function readEventTsNs(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readEventPid(v: DataView, o: number): number {
  return v.getUint32(o + 8, true);
}
export function readEventCpu(v: DataView, o: number): number {
  return v.getUint32(o + 12, true);
}
export function readEventNetns(v: DataView, o: number): number {
  return v.getUint32(o + 16, true);
}
export function readEventIfindex(v: DataView, o: number): number {
  return v.getUint32(o + 20, true);
}
export function readEventLen(v: DataView, o: number): number {
  return v.getUint32(o + 24, true);
}
export function readEventVni(v: DataView, o: number): number {
  return v.getUint32(o + 28, true);
}
export function readEventDataLen(v: DataView, o: number): number {
  return v.getUint32(o + 32, true);
}
export function readEventGsoType(v: DataView, o: number): number {
  return v.getUint32(o + 36, true);
}
export function readEventGsoSize(v: DataView, o: number): number {
  return v.getUint16(o + 40, true);
}
export function readEventGsoSegs(v: DataView, o: number): number {
  return v.getUint16(o + 42, true);
}
export function readEventHasFragList(v: DataView, o: number): number {
  return v.getUint8(o + 44);
}
export function readEventNrFrags(v: DataView, o: number): number {
  return v.getUint8(o + 45);
}
export function readEventPoint(v: DataView, o: number): number {
  return v.getUint8(o + 46);
}
export function readEventStackId(v: DataView, o: number): number {
  return v.getInt32(o + 48, true);
}
export function readEventDirection(v: DataView, o: number): number {
  return v.getUint8(o + 52);
}
export function readEventVxlanFlags(v: DataView, o: number): number {
  return v.getUint8(o + 53);
}
export const EventLayout: StructLayout<Event> = { name: 'event', size: 200, decode: decodeEvent, create: createEvent, decodeInto: decodeEventInto };
