// Generated from plugins/vm-pair-latency/bpf/vm_pair_latency.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { readCString, type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto, type StructLayout } from '@nettrace/core';
export { type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto };

/** What plugins/vm-pair-latency/bpf/vm_pair_latency.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load),
 * counters (NT_COUNTERS, read with ctx.counters()). */
export const contract = {
  object: new URL('./vm_pair_latency.bpf.o', import.meta.url),
  programs: {
    nt_vpl_rx_btf: 'tp_btf/netif_receive_skb',
    nt_vpl_rx_tp: 'tracepoint/net/netif_receive_skb',
    nt_vpl_st_btf: 'tp_btf/net_dev_start_xmit',
    nt_vpl_st_tp: 'tracepoint/net/net_dev_start_xmit',
    nt_vpl_tx_btf: 'tp_btf/net_dev_xmit',
    nt_vpl_tx_tp: 'tracepoint/net/net_dev_xmit',
  },
  maps: {
    events: { type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: 1048576 },
    events_lost: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 1 },
    events_perf: { type: 'perf_event_array', keySize: 4, valueSize: 4, maxEntries: 0 },
    events_scratch: { type: 'percpu_array', keySize: 4, valueSize: 1024, maxEntries: 1 },
    inflight: { type: 'lru_hash', keySize: 56, valueSize: 24, maxEntries: 10240 },
    stashes: { type: 'percpu_array', keySize: 4, valueSize: 72, maxEntries: 1 },
    counters: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 4 },
    latency_us: { type: 'percpu_array', keySize: 4, valueSize: 512, maxEntries: 1 },
  },
  variables: {
    cfg_dst_ifindex: { section: '.rodata', type: 'u32', size: 4 },
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
    cfg_src_ifindex: { section: '.rodata', type: 'u32', size: 4 },
    cfg_src_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_src_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_wakeup_bytes: { section: '.rodata', type: 'u64', size: 8 },
  },
  counters: ['received', 'delivered', 'tx_failed', 'untracked'],
} as const;

/** BTF struct event (120 bytes). */
export interface Event {
  ts_ns: number;
  latency_ns: number;
  netns: number;
  src_ifindex: number;
  dst_ifindex: number;
  len: number;
  ip_id: number;
  src_ifname: string;
  dst_ifname: string;
  flow: NtFlow;
}
export const EventSize = 120;
export function decodeEvent(v: DataView, o: number): Event {
  return {
    ts_ns: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    latency_ns: (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296),
    netns: v.getUint32(o + 16, true),
    src_ifindex: v.getUint32(o + 20, true),
    dst_ifindex: v.getUint32(o + 24, true),
    len: v.getUint32(o + 28, true),
    ip_id: v.getUint16(o + 32, true),
    src_ifname: readCString(v, o + 40, 16),
    dst_ifname: readCString(v, o + 56, 16),
    flow: decodeNtFlow(v, o + 72),
  };
}
/** Byte offset of each member of struct event. */
export const EventOffsets = {
  ts_ns: 0,
  latency_ns: 8,
  netns: 16,
  src_ifindex: 20,
  dst_ifindex: 24,
  len: 28,
  ip_id: 32,
  src_ifname: 40,
  dst_ifname: 56,
  flow: 72,
} as const;
/** A zeroed Event (nested structs and arrays preallocated) for decodeEventInto(). */
export function createEvent(): Event {
  return {
    ts_ns: 0,
    latency_ns: 0,
    netns: 0,
    src_ifindex: 0,
    dst_ifindex: 0,
    len: 0,
    ip_id: 0,
    src_ifname: '',
    dst_ifname: '',
    flow: createNtFlow(),
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeEventInto(t: Event, v: DataView, o: number): Event {
  t.ts_ns = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.latency_ns = (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
  t.netns = v.getUint32(o + 16, true);
  t.src_ifindex = v.getUint32(o + 20, true);
  t.dst_ifindex = v.getUint32(o + 24, true);
  t.len = v.getUint32(o + 28, true);
  t.ip_id = v.getUint16(o + 32, true);
  t.src_ifname = readCString(v, o + 40, 16);
  t.dst_ifname = readCString(v, o + 56, 16);
  decodeNtFlowInto(t.flow, v, o + 72);
  return t;
}
export function readEventTsNs(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readEventLatencyNs(v: DataView, o: number): number {
  return (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
}
export function readEventNetns(v: DataView, o: number): number {
  return v.getUint32(o + 16, true);
}
export function readEventSrcIfindex(v: DataView, o: number): number {
  return v.getUint32(o + 20, true);
}
export function readEventDstIfindex(v: DataView, o: number): number {
  return v.getUint32(o + 24, true);
}
export function readEventLen(v: DataView, o: number): number {
  return v.getUint32(o + 28, true);
}
export function readEventIpId(v: DataView, o: number): number {
  return v.getUint16(o + 32, true);
}
export const EventLayout: StructLayout<Event> = { name: 'event', size: 120, decode: decodeEvent, create: createEvent, decodeInto: decodeEventInto };
