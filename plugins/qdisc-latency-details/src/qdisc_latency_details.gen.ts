// Generated from plugins/qdisc-latency-details/bpf/qdisc_latency_details.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { readCString, type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto, type StructLayout } from '@nettrace/core';
export { type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto };

/** What plugins/qdisc-latency-details/bpf/qdisc_latency_details.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load),
 * counters (NT_COUNTERS, read with ctx.counters()). */
export const contract = {
  object: new URL('./qdisc_latency_details.bpf.o', import.meta.url),
  programs: {
    nt_qld_q_btf: 'tp_btf/net_dev_queue',
    nt_qld_q_tp: 'tracepoint/net/net_dev_queue',
    nt_qld_dq_btf: 'tp_btf/qdisc_dequeue',
    nt_qld_dq_tp: 'tracepoint/qdisc/qdisc_dequeue',
  },
  maps: {
    queued: { type: 'lru_hash', keySize: 8, valueSize: 64, maxEntries: 10240 },
    counters: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 5 },
    sojourn_us: { type: 'percpu_array', keySize: 4, valueSize: 512, maxEntries: 1 },
    pending: { type: 'percpu_array', keySize: 4, valueSize: 128, maxEntries: 1 },
    events: { type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: 1048576 },
    events_lost: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 1 },
    events_perf: { type: 'perf_event_array', keySize: 4, valueSize: 4, maxEntries: 0 },
    events_scratch: { type: 'percpu_array', keySize: 4, valueSize: 1024, maxEntries: 1 },
  },
  variables: {
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
    cfg_threshold_ns: { section: '.rodata', type: 'u64', size: 8 },
    cfg_wakeup_bytes: { section: '.rodata', type: 'u64', size: 8 },
  },
  counters: ['enqueued', 'dequeued', 'below_threshold', 'bulk_unseen', 'untracked'],
} as const;

/** BTF struct event (128 bytes). */
export interface Event {
  enqueue_ns: number;
  dequeue_ns: number;
  sojourn_ns: number;
  netns: number;
  ifindex: number;
  len: number;
  handle: number;
  parent: number;
  queue: number;
  batch: number;
  ifname: string;
  qdisc: string;
  flow: NtFlow;
}
export const EventSize = 128;
export function decodeEvent(v: DataView, o: number): Event {
  return {
    enqueue_ns: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    dequeue_ns: (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296),
    sojourn_ns: (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296),
    netns: v.getUint32(o + 24, true),
    ifindex: v.getUint32(o + 28, true),
    len: v.getUint32(o + 32, true),
    handle: v.getUint32(o + 36, true),
    parent: v.getUint32(o + 40, true),
    queue: v.getUint16(o + 44, true),
    batch: v.getUint16(o + 46, true),
    ifname: readCString(v, o + 48, 16),
    qdisc: readCString(v, o + 64, 16),
    flow: decodeNtFlow(v, o + 80),
  };
}
/** Byte offset of each member of struct event. */
export const EventOffsets = {
  enqueue_ns: 0,
  dequeue_ns: 8,
  sojourn_ns: 16,
  netns: 24,
  ifindex: 28,
  len: 32,
  handle: 36,
  parent: 40,
  queue: 44,
  batch: 46,
  ifname: 48,
  qdisc: 64,
  flow: 80,
} as const;
/** A zeroed Event (nested structs and arrays preallocated) for decodeEventInto(). */
export function createEvent(): Event {
  return {
    enqueue_ns: 0,
    dequeue_ns: 0,
    sojourn_ns: 0,
    netns: 0,
    ifindex: 0,
    len: 0,
    handle: 0,
    parent: 0,
    queue: 0,
    batch: 0,
    ifname: '',
    qdisc: '',
    flow: createNtFlow(),
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeEventInto(t: Event, v: DataView, o: number): Event {
  t.enqueue_ns = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.dequeue_ns = (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
  t.sojourn_ns = (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
  t.netns = v.getUint32(o + 24, true);
  t.ifindex = v.getUint32(o + 28, true);
  t.len = v.getUint32(o + 32, true);
  t.handle = v.getUint32(o + 36, true);
  t.parent = v.getUint32(o + 40, true);
  t.queue = v.getUint16(o + 44, true);
  t.batch = v.getUint16(o + 46, true);
  t.ifname = readCString(v, o + 48, 16);
  t.qdisc = readCString(v, o + 64, 16);
  decodeNtFlowInto(t.flow, v, o + 80);
  return t;
}
export function readEventEnqueueNs(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readEventDequeueNs(v: DataView, o: number): number {
  return (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
}
export function readEventSojournNs(v: DataView, o: number): number {
  return (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
}
export function readEventNetns(v: DataView, o: number): number {
  return v.getUint32(o + 24, true);
}
export function readEventIfindex(v: DataView, o: number): number {
  return v.getUint32(o + 28, true);
}
export function readEventLen(v: DataView, o: number): number {
  return v.getUint32(o + 32, true);
}
export function readEventHandle(v: DataView, o: number): number {
  return v.getUint32(o + 36, true);
}
export function readEventParent(v: DataView, o: number): number {
  return v.getUint32(o + 40, true);
}
export function readEventQueue(v: DataView, o: number): number {
  return v.getUint16(o + 44, true);
}
export function readEventBatch(v: DataView, o: number): number {
  return v.getUint16(o + 46, true);
}
export const EventLayout: StructLayout<Event> = { name: 'event', size: 128, decode: decodeEvent, create: createEvent, decodeInto: decodeEventInto };
