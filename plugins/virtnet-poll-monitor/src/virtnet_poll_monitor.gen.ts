// Generated from plugins/virtnet-poll-monitor/bpf/virtnet_poll_monitor.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { readCString, type StructLayout } from '@nettrace/core';

/** What plugins/virtnet-poll-monitor/bpf/virtnet_poll_monitor.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load),
 * counters (NT_COUNTERS, read with ctx.counters()). */
export const contract = {
  object: new URL('./virtnet_poll_monitor.bpf.o', import.meta.url),
  programs: {
    nt_vpm_in_fe: 'fentry/virtnet_poll',
    nt_vpm_in_kp: 'kprobe/virtnet_poll',
    nt_vpm_out_fx: 'fexit/virtnet_poll',
    nt_vpm_out_kr: 'kretprobe/virtnet_poll',
    nt_vpm_np_btf: 'tp_btf/napi_poll',
    nt_vpm_np_tp: 'tracepoint/napi/napi_poll',
    nt_vpm_irq_fe: 'fentry/skb_recv_done',
    nt_vpm_irq_kp: 'kprobe/skb_recv_done',
  },
  maps: {
    events: { type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: 1048576 },
    events_lost: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 1 },
    events_perf: { type: 'perf_event_array', keySize: 4, valueSize: 4, maxEntries: 0 },
    events_scratch: { type: 'percpu_array', keySize: 4, valueSize: 1024, maxEntries: 1 },
    queues: { type: 'hash', keySize: 28, valueSize: 56, maxEntries: 1024 },
    poll_start: { type: 'percpu_array', keySize: 4, valueSize: 24, maxEntries: 1 },
    counters: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 3 },
    scratch: { type: 'percpu_array', keySize: 4, valueSize: 64, maxEntries: 1 },
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
    cfg_queue: { section: '.rodata', type: 'u32', size: 4 },
    cfg_queue_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_src_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_wakeup_bytes: { section: '.rodata', type: 'u64', size: 8 },
  },
  counters: ['untimed', 'no_start', 'table_full'],
} as const;

/** BTF struct event (64 bytes). */
export interface Event {
  ts_ns: number;
  duration_ns: number;
  netns: number;
  ifindex: number;
  queue: number;
  vq_index: number;
  budget: number;
  work: number;
  cpu: number;
  type: number;
  timed: number;
  ifname: string;
}
export const EventSize = 64;
export function decodeEvent(v: DataView, o: number): Event {
  return {
    ts_ns: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    duration_ns: (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296),
    netns: v.getUint32(o + 16, true),
    ifindex: v.getUint32(o + 20, true),
    queue: v.getUint32(o + 24, true),
    vq_index: v.getUint32(o + 28, true),
    budget: v.getInt32(o + 32, true),
    work: v.getInt32(o + 36, true),
    cpu: v.getUint32(o + 40, true),
    type: v.getUint8(o + 44),
    timed: v.getUint8(o + 45),
    ifname: readCString(v, o + 48, 16),
  };
}
/** Byte offset of each member of struct event. */
export const EventOffsets = {
  ts_ns: 0,
  duration_ns: 8,
  netns: 16,
  ifindex: 20,
  queue: 24,
  vq_index: 28,
  budget: 32,
  work: 36,
  cpu: 40,
  type: 44,
  timed: 45,
  ifname: 48,
} as const;
/** A zeroed Event (nested structs and arrays preallocated) for decodeEventInto(). */
export function createEvent(): Event {
  return {
    ts_ns: 0,
    duration_ns: 0,
    netns: 0,
    ifindex: 0,
    queue: 0,
    vq_index: 0,
    budget: 0,
    work: 0,
    cpu: 0,
    type: 0,
    timed: 0,
    ifname: '',
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeEventInto(t: Event, v: DataView, o: number): Event {
  t.ts_ns = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.duration_ns = (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
  t.netns = v.getUint32(o + 16, true);
  t.ifindex = v.getUint32(o + 20, true);
  t.queue = v.getUint32(o + 24, true);
  t.vq_index = v.getUint32(o + 28, true);
  t.budget = v.getInt32(o + 32, true);
  t.work = v.getInt32(o + 36, true);
  t.cpu = v.getUint32(o + 40, true);
  t.type = v.getUint8(o + 44);
  t.timed = v.getUint8(o + 45);
  t.ifname = readCString(v, o + 48, 16);
  return t;
}
export function readEventTsNs(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readEventDurationNs(v: DataView, o: number): number {
  return (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
}
export function readEventNetns(v: DataView, o: number): number {
  return v.getUint32(o + 16, true);
}
export function readEventIfindex(v: DataView, o: number): number {
  return v.getUint32(o + 20, true);
}
export function readEventQueue(v: DataView, o: number): number {
  return v.getUint32(o + 24, true);
}
export function readEventVqIndex(v: DataView, o: number): number {
  return v.getUint32(o + 28, true);
}
export function readEventBudget(v: DataView, o: number): number {
  return v.getInt32(o + 32, true);
}
export function readEventWork(v: DataView, o: number): number {
  return v.getInt32(o + 36, true);
}
export function readEventCpu(v: DataView, o: number): number {
  return v.getUint32(o + 40, true);
}
export function readEventType(v: DataView, o: number): number {
  return v.getUint8(o + 44);
}
export function readEventTimed(v: DataView, o: number): number {
  return v.getUint8(o + 45);
}
export const EventLayout: StructLayout<Event> = { name: 'event', size: 64, decode: decodeEvent, create: createEvent, decodeInto: decodeEventInto };

/** BTF struct queue_key (28 bytes). */
export interface QueueKey {
  netns: number;
  ifindex: number;
  queue: number;
  ifname: string;
}
export const QueueKeySize = 28;
export function decodeQueueKey(v: DataView, o: number): QueueKey {
  return {
    netns: v.getUint32(o + 0, true),
    ifindex: v.getUint32(o + 4, true),
    queue: v.getUint32(o + 8, true),
    ifname: readCString(v, o + 12, 16),
  };
}
/** Byte offset of each member of struct queue_key. */
export const QueueKeyOffsets = {
  netns: 0,
  ifindex: 4,
  queue: 8,
  ifname: 12,
} as const;
/** A zeroed QueueKey (nested structs and arrays preallocated) for decodeQueueKeyInto(). */
export function createQueueKey(): QueueKey {
  return {
    netns: 0,
    ifindex: 0,
    queue: 0,
    ifname: '',
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeQueueKeyInto(t: QueueKey, v: DataView, o: number): QueueKey {
  t.netns = v.getUint32(o + 0, true);
  t.ifindex = v.getUint32(o + 4, true);
  t.queue = v.getUint32(o + 8, true);
  t.ifname = readCString(v, o + 12, 16);
  return t;
}
export function readQueueKeyNetns(v: DataView, o: number): number {
  return v.getUint32(o + 0, true);
}
export function readQueueKeyIfindex(v: DataView, o: number): number {
  return v.getUint32(o + 4, true);
}
export function readQueueKeyQueue(v: DataView, o: number): number {
  return v.getUint32(o + 8, true);
}
export const QueueKeyLayout: StructLayout<QueueKey> = { name: 'queue_key', size: 28, decode: decodeQueueKey, create: createQueueKey, decodeInto: decodeQueueKeyInto };

/** BTF struct queue_val (56 bytes). */
export interface QueueVal {
  irqs: number;
  polls: number;
  packets: number;
  full_budget: number;
  timed: number;
  duration_sum_ns: number;
  duration_max_ns: number;
}
export const QueueValSize = 56;
export function decodeQueueVal(v: DataView, o: number): QueueVal {
  return {
    irqs: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    polls: (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296),
    packets: (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296),
    full_budget: (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296),
    timed: (v.getUint32(o + 32, true) + v.getUint32(o + 36, true) * 4294967296),
    duration_sum_ns: (v.getUint32(o + 40, true) + v.getUint32(o + 44, true) * 4294967296),
    duration_max_ns: (v.getUint32(o + 48, true) + v.getUint32(o + 52, true) * 4294967296),
  };
}
/** Byte offset of each member of struct queue_val. */
export const QueueValOffsets = {
  irqs: 0,
  polls: 8,
  packets: 16,
  full_budget: 24,
  timed: 32,
  duration_sum_ns: 40,
  duration_max_ns: 48,
} as const;
/** A zeroed QueueVal (nested structs and arrays preallocated) for decodeQueueValInto(). */
export function createQueueVal(): QueueVal {
  return {
    irqs: 0,
    polls: 0,
    packets: 0,
    full_budget: 0,
    timed: 0,
    duration_sum_ns: 0,
    duration_max_ns: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeQueueValInto(t: QueueVal, v: DataView, o: number): QueueVal {
  t.irqs = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.polls = (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
  t.packets = (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
  t.full_budget = (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296);
  t.timed = (v.getUint32(o + 32, true) + v.getUint32(o + 36, true) * 4294967296);
  t.duration_sum_ns = (v.getUint32(o + 40, true) + v.getUint32(o + 44, true) * 4294967296);
  t.duration_max_ns = (v.getUint32(o + 48, true) + v.getUint32(o + 52, true) * 4294967296);
  return t;
}
export function readQueueValIrqs(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readQueueValPolls(v: DataView, o: number): number {
  return (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
}
export function readQueueValPackets(v: DataView, o: number): number {
  return (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
}
export function readQueueValFullBudget(v: DataView, o: number): number {
  return (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296);
}
export function readQueueValTimed(v: DataView, o: number): number {
  return (v.getUint32(o + 32, true) + v.getUint32(o + 36, true) * 4294967296);
}
export function readQueueValDurationSumNs(v: DataView, o: number): number {
  return (v.getUint32(o + 40, true) + v.getUint32(o + 44, true) * 4294967296);
}
export function readQueueValDurationMaxNs(v: DataView, o: number): number {
  return (v.getUint32(o + 48, true) + v.getUint32(o + 52, true) * 4294967296);
}
export const QueueValLayout: StructLayout<QueueVal> = { name: 'queue_val', size: 56, decode: decodeQueueVal, create: createQueueVal, decodeInto: decodeQueueValInto };
