// Generated from plugins/tun-ring-monitor/bpf/tun_ring_monitor.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { readCString, type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto, type NtRingState, createNtRingState, decodeNtRingState, decodeNtRingStateInto, type NtTunQueue, createNtTunQueue, decodeNtTunQueue, decodeNtTunQueueInto, type StructLayout } from '@nettrace/core';
export { type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto, type NtRingState, createNtRingState, decodeNtRingState, decodeNtRingStateInto, type NtTunQueue, createNtTunQueue, decodeNtTunQueue, decodeNtTunQueueInto };

/** What plugins/tun-ring-monitor/bpf/tun_ring_monitor.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load),
 * counters (NT_COUNTERS, read with ctx.counters()). */
export const contract = {
  object: new URL('./tun_ring_monitor.bpf.o', import.meta.url),
  programs: {
    nt_trm_x_fe: 'fentry/tun_net_xmit',
    nt_trm_x_kp: 'kprobe/tun_net_xmit',
    nt_trm_x_btf: 'tp_btf/net_dev_start_xmit',
    nt_trm_x_tp: 'tracepoint/net/net_dev_start_xmit',
  },
  maps: {
    events: { type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: 1048576 },
    events_lost: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 1 },
    events_perf: { type: 'perf_event_array', keySize: 4, valueSize: 4, maxEntries: 0 },
    events_scratch: { type: 'percpu_array', keySize: 4, valueSize: 1024, maxEntries: 1 },
    counters: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 4 },
    queues: { type: 'hash', keySize: 28, valueSize: 32, maxEntries: 1024 },
  },
  variables: {
    cfg_all: { section: '.rodata', type: 'u8', size: 1 },
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
    cfg_queue: { section: '.rodata', type: 'u16', size: 2 },
    cfg_queue_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_src_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_wakeup_bytes: { section: '.rodata', type: 'u64', size: 8 },
  },
  counters: ['xmits', 'ring_full', 'no_queue', 'untracked'],
} as const;

/** BTF enum trm_verdict. */
export const TrmVerdict = {
  V_QUEUED: 0,
  V_RING_FULL: 1,
  V_NO_QUEUE: 2,
} as const;
export type TrmVerdict = (typeof TrmVerdict)[keyof typeof TrmVerdict];

/** BTF struct event (160 bytes). */
export interface Event {
  ts_ns: number;
  skb: bigint;
  pid: number;
  tid: number;
  comm: string;
  queue: NtTunQueue;
  numqueues: number;
  len: number;
  verdict: number;
  ring: NtRingState;
  flow: NtFlow;
}
export const EventSize = 160;
export function decodeEvent(v: DataView, o: number): Event {
  return {
    ts_ns: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    skb: v.getBigUint64(o + 8, true),
    pid: v.getUint32(o + 16, true),
    tid: v.getUint32(o + 20, true),
    comm: readCString(v, o + 24, 16),
    queue: decodeNtTunQueue(v, o + 40),
    numqueues: v.getUint32(o + 68, true),
    len: v.getUint32(o + 72, true),
    verdict: v.getUint8(o + 76),
    ring: decodeNtRingState(v, o + 80),
    flow: decodeNtFlow(v, o + 108),
  };
}
/** Byte offset of each member of struct event. */
export const EventOffsets = {
  ts_ns: 0,
  skb: 8,
  pid: 16,
  tid: 20,
  comm: 24,
  queue: 40,
  numqueues: 68,
  len: 72,
  verdict: 76,
  ring: 80,
  flow: 108,
} as const;
/** A zeroed Event (nested structs and arrays preallocated) for decodeEventInto(). */
export function createEvent(): Event {
  return {
    ts_ns: 0,
    skb: 0n,
    pid: 0,
    tid: 0,
    comm: '',
    queue: createNtTunQueue(),
    numqueues: 0,
    len: 0,
    verdict: 0,
    ring: createNtRingState(),
    flow: createNtFlow(),
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeEventInto(t: Event, v: DataView, o: number): Event {
  t.ts_ns = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.skb = v.getBigUint64(o + 8, true);
  t.pid = v.getUint32(o + 16, true);
  t.tid = v.getUint32(o + 20, true);
  t.comm = readCString(v, o + 24, 16);
  decodeNtTunQueueInto(t.queue, v, o + 40);
  t.numqueues = v.getUint32(o + 68, true);
  t.len = v.getUint32(o + 72, true);
  t.verdict = v.getUint8(o + 76);
  decodeNtRingStateInto(t.ring, v, o + 80);
  decodeNtFlowInto(t.flow, v, o + 108);
  return t;
}
export function readEventTsNs(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readEventSkb(v: DataView, o: number): bigint {
  return v.getBigUint64(o + 8, true);
}
export function readEventPid(v: DataView, o: number): number {
  return v.getUint32(o + 16, true);
}
export function readEventTid(v: DataView, o: number): number {
  return v.getUint32(o + 20, true);
}
export function readEventNumqueues(v: DataView, o: number): number {
  return v.getUint32(o + 68, true);
}
export function readEventLen(v: DataView, o: number): number {
  return v.getUint32(o + 72, true);
}
export function readEventVerdict(v: DataView, o: number): number {
  return v.getUint8(o + 76);
}
export const EventLayout: StructLayout<Event> = { name: 'event', size: 160, decode: decodeEvent, create: createEvent, decodeInto: decodeEventInto };

/** BTF struct queue_counts (32 bytes). */
export interface QueueCounts {
  xmits: number;
  ring_full: number;
  no_queue: number;
  max_occupied: number;
}
export const QueueCountsSize = 32;
export function decodeQueueCounts(v: DataView, o: number): QueueCounts {
  return {
    xmits: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    ring_full: (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296),
    no_queue: (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296),
    max_occupied: (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296),
  };
}
/** Byte offset of each member of struct queue_counts. */
export const QueueCountsOffsets = {
  xmits: 0,
  ring_full: 8,
  no_queue: 16,
  max_occupied: 24,
} as const;
/** A zeroed QueueCounts (nested structs and arrays preallocated) for decodeQueueCountsInto(). */
export function createQueueCounts(): QueueCounts {
  return {
    xmits: 0,
    ring_full: 0,
    no_queue: 0,
    max_occupied: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeQueueCountsInto(t: QueueCounts, v: DataView, o: number): QueueCounts {
  t.xmits = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.ring_full = (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
  t.no_queue = (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
  t.max_occupied = (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296);
  return t;
}
export function readQueueCountsXmits(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readQueueCountsRingFull(v: DataView, o: number): number {
  return (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
}
export function readQueueCountsNoQueue(v: DataView, o: number): number {
  return (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
}
export function readQueueCountsMaxOccupied(v: DataView, o: number): number {
  return (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296);
}
export const QueueCountsLayout: StructLayout<QueueCounts> = { name: 'queue_counts', size: 32, decode: decodeQueueCounts, create: createQueueCounts, decodeInto: decodeQueueCountsInto };
