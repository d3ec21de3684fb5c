// Generated from plugins/eth-drop/bpf/eth_drop.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { readBytes, readCString, type NtArp, createNtArp, decodeNtArp, decodeNtArpInto, type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto, type NtIpInfo, createNtIpInfo, decodeNtIpInfo, decodeNtIpInfoInto, type NtL2, createNtL2, decodeNtL2, decodeNtL2Into, type StructLayout } from '@nettrace/core';
export { type NtArp, createNtArp, decodeNtArp, decodeNtArpInto, type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto, type NtIpInfo, createNtIpInfo, decodeNtIpInfo, decodeNtIpInfoInto, type NtL2, createNtL2, decodeNtL2, decodeNtL2Into };

/** What plugins/eth-drop/bpf/eth_drop.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load). */
export const contract = {
  object: new URL('./eth_drop.bpf.o', import.meta.url),
  programs: {
    nt_ethdrop_btf: 'tp_btf/kfree_skb',
    nt_ethdrop_tp: 'tracepoint/skb/kfree_skb',
  },
  maps: {
    events: { type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: 1048576 },
    events_lost: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 1 },
    events_perf: { type: 'perf_event_array', keySize: 4, valueSize: 4, maxEntries: 0 },
    events_scratch: { type: 'percpu_array', keySize: 4, valueSize: 1024, maxEntries: 1 },
    stacks: { type: 'stack_trace', keySize: 4, valueSize: 256, maxEntries: 4096 },
  },
  variables: {
    cfg_all_frees: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_dst_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_either_direction: { section: '.rodata', type: 'u8', size: 1 },
    cfg_ethertype: { section: '.rodata', type: 'u16', size: 2 },
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
    cfg_type_mode: { section: '.rodata', type: 'u8', size: 1 },
    cfg_vlan_id: { section: '.rodata', type: 'u16', size: 2 },
    cfg_vlan_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_wakeup_bytes: { section: '.rodata', type: 'u64', size: 8 },
  },
} as const;

/** BTF struct drop_event (224 bytes). */
export interface DropEvent {
  ts_ns: number;
  location: bigint;
  reason: number;
  stack_id: number;
  pid: number;
  tid: number;
  cpu: number;
  ifindex: number;
  len: number;
  data_len: number;
  mac_header: number;
  network_header: number;
  transport_header: number;
  skb_protocol: number;
  comm: string;
  ifname: string;
  l2: NtL2;
  ip: NtIpInfo;
  arp: NtArp;
  flow: NtFlow;
  payload: Uint8Array;
}
export const DropEventSize = 224;
export function decodeDropEvent(v: DataView, o: number): DropEvent {
  return {
    ts_ns: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    location: v.getBigUint64(o + 8, true),
    reason: v.getUint32(o + 16, true),
    stack_id: v.getInt32(o + 20, true),
    pid: v.getUint32(o + 24, true),
    tid: v.getUint32(o + 28, true),
    cpu: v.getUint32(o + 32, true),
    ifindex: v.getUint32(o + 36, true),
    len: v.getUint32(o + 40, true),
    data_len: v.getUint32(o + 44, true),
    mac_header: v.getUint16(o + 48, true),
    network_header: v.getUint16(o + 50, true),
    transport_header: v.getUint16(o + 52, true),
    skb_protocol: v.getUint16(o + 54, true),
    comm: readCString(v, o + 56, 16),
    ifname: readCString(v, o + 72, 16),
    l2: decodeNtL2(v, o + 88),
    ip: decodeNtIpInfo(v, o + 108),
    arp: decodeNtArp(v, o + 116),
    flow: decodeNtFlow(v, o + 144),
    payload: readBytes(v, o + 192, 32),
  };
}
/** Byte offset of each member of struct drop_event. */
export const DropEventOffsets = {
  ts_ns: 0,
  location: 8,
  reason: 16,
  stack_id: 20,
  pid: 24,
  tid: 28,
  cpu: 32,
  ifindex: 36,
  len: 40,
  data_len: 44,
  mac_header: 48,
  network_header: 50,
  transport_header: 52,
  skb_protocol: 54,
  comm: 56,
  ifname: 72,
  l2: 88,
  ip: 108,
  arp: 116,
  flow: 144,
  payload: 192,
} as const;
/** A zeroed DropEvent (nested structs and arrays preallocated) for decodeDropEventInto(). */
export function createDropEvent(): DropEvent {
  return {
    ts_ns: 0,
    location: 0n,
    reason: 0,
    stack_id: 0,
    pid: 0,
    tid: 0,
    cpu: 0,
    ifindex: 0,
    len: 0,
    data_len: 0,
    mac_header: 0,
    network_header: 0,
    transport_header: 0,
    skb_protocol: 0,
    comm: '',
    ifname: '',
    l2: createNtL2(),
    ip: createNtIpInfo(),
    arp: createNtArp(),
    flow: createNtFlow(),
    payload: new Uint8Array(32),
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeDropEventInto(t: DropEvent, v: DataView, o: number): DropEvent {
  t.ts_ns = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.location = v.getBigUint64(o + 8, true);
  t.reason = v.getUint32(o + 16, true);
  t.stack_id = v.getInt32(o + 20, true);
  t.pid = v.getUint32(o + 24, true);
  t.tid = v.getUint32(o + 28, true);
  t.cpu = v.getUint32(o + 32, true);
  t.ifindex = v.getUint32(o + 36, true);
  t.len = v.getUint32(o + 40, true);
  t.data_len = v.getUint32(o + 44, true);
  t.mac_header = v.getUint16(o + 48, true);
  t.network_header = v.getUint16(o + 50, true);
  t.transport_header = v.getUint16(o + 52, true);
  t.skb_protocol = v.getUint16(o + 54, true);
  t.comm = readCString(v, o + 56, 16);
  t.ifname = readCString(v, o + 72, 16);
  decodeNtL2Into(t.l2, v, o + 88);
  decodeNtIpInfoInto(t.ip, v, o + 108);
  decodeNtArpInto(t.arp, v, o + 116);
  decodeNtFlowInto(t.flow, v, o + 144);
  for (let i0 = 0; i0 < 32; i0++) t.payload[i0] = v.getUint8(o + 192 + i0);
  return t;
}
export function readDropEventTsNs(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readDropEventLocation(v: DataView, o: number): bigint {
  return v.getBigUint64(o + 8, true);
}
export function readDropEventReason(v: DataView, o: number): number {
  return v.getUint32(o + 16, true);
}
export function readDropEventStackId(v: DataView, o: number): number {
  return v.getInt32(o + 20, true);
}
export function readDropEventPid(v: DataView, o: number): number {
  return v.getUint32(o + 24, true);
}
export function readDropEventTid(v: DataView, o: number): number {
  return v.getUint32(o + 28, true);
}
export function readDropEventCpu(v: DataView, o: number): number {
  return v.getUint32(o + 32, true);
}
export function readDropEventIfindex(v: DataView, o: number): number {
  return v.getUint32(o + 36, true);
}
export function readDropEventLen(v: DataView, o: number): number {
  return v.getUint32(o + 40, true);
}
export function readDropEventDataLen(v: DataView, o: number): number {
  return v.getUint32(o + 44, true);
}
export function readDropEventMacHeader(v: DataView, o: number): number {
  return v.getUint16(o + 48, true);
}
export function readDropEventNetworkHeader(v: DataView, o: number): number {
  return v.getUint16(o + 50, true);
}
export function readDropEventTransportHeader(v: DataView, o: number): number {
  return v.getUint16(o + 52, true);
}
export function readDropEventSkbProtocol(v: DataView, o: number): number {
  return v.getUint16(o + 54, true);
}
export const DropEventLayout: StructLayout<DropEvent> = { name: 'drop_event', size: 224, decode: decodeDropEvent, create: createDropEvent, decodeInto: decodeDropEventInto };
