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
  },
  maps: {
    events: { type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: 1048576 },
    events_lost: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 1 },
    events_perf: { type: 'perf_event_array', keySize: 4, valueSize: 4, maxEntries: 0 },
    events_scratch: { type: 'percpu_array', keySize: 4, valueSize: 1024, maxEntries: 1 },
    counters: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 2 },
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
    cfg_vni: { section: '.rodata', type: 'u32', size: 4 },
    cfg_vni_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_vxlan_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_wakeup_bytes: { section: '.rodata', type: 'u64', size: 8 },
  },
  counters: ['rx', 'tx'],
} as const;

/** BTF struct event (176 bytes). */
export interface Event {
  ts_ns: number;
  pid: number;
  cpu: number;
  netns: number;
  ifindex: number;
  len: number;
  vni: number;
  direction: number;
  vxlan_flags: number;
  inner_dmac: Uint8Array;
  inner_smac: Uint8Array;
  comm: string;
  ifname: string;
  outer: NtFlow;
  inner: NtFlow;
}
export const EventSize = 176;
export function decodeEvent(v: DataView, o: number): Event {
  return {
    ts_ns: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    pid: v.getUint32(o + 8, true),
    cpu: v.getUint32(o + 12, true),
    netns: v.getUint32(o + 16, true),
    ifindex: v.getUint32(o + 20, true),
    len: v.getUint32(o + 24, true),
    vni: v.getUint32(o + 28, true),
    direction: v.getUint8(o + 32),
    vxlan_flags: v.getUint8(o + 33),
    inner_dmac: readBytes(v, o + 34, 6),
    inner_smac: readBytes(v, o + 40, 6),
    comm: readCString(v, o + 48, 16),
    ifname: readCString(v, o + 64, 16),
    outer: decodeNtFlow(v, o + 80),
    inner: decodeNtFlow(v, o + 128),
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
  direction: 32,
  vxlan_flags: 33,
  inner_dmac: 34,
  inner_smac: 40,
  comm: 48,
  ifname: 64,
  outer: 80,
  inner: 128,
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
  t.direction = v.getUint8(o + 32);
  t.vxlan_flags = v.getUint8(o + 33);
  for (let i0 = 0; i0 < 6; i0++) t.inner_dmac[i0] = v.getUint8(o + 34 + i0);
  for (let i0 = 0; i0 < 6; i0++) t.inner_smac[i0] = v.getUint8(o + 40 + i0);
  t.comm = readCString(v, o + 48, 16);
  t.ifname = readCString(v, o + 64, 16);
  decodeNtFlowInto(t.outer, v, o + 80);
  decodeNtFlowInto(t.inner, v, o + 128);
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
export function readEventDirection(v: DataView, o: number): number {
  return v.getUint8(o + 32);
}
export function readEventVxlanFlags(v: DataView, o: number): number {
  return v.getUint8(o + 33);
}
export const EventLayout: StructLayout<Event> = { name: 'event', size: 176, decode: decodeEvent, create: createEvent, decodeInto: decodeEventInto };
