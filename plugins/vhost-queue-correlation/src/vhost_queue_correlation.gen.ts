// Generated from plugins/vhost-queue-correlation/bpf/vhost_queue_correlation.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { readCString, type NtTunQueue, createNtTunQueue, decodeNtTunQueue, decodeNtTunQueueInto, type NtVqState, createNtVqState, decodeNtVqState, decodeNtVqStateInto, type StructLayout } from '@nettrace/core';
export { type NtTunQueue, createNtTunQueue, decodeNtTunQueue, decodeNtTunQueueInto, type NtVqState, createNtVqState, decodeNtVqState, decodeNtVqStateInto };

/** What plugins/vhost-queue-correlation/bpf/vhost_queue_correlation.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load). */
export const contract = {
  object: new URL('./vhost_queue_correlation.bpf.o', import.meta.url),
  programs: {
    nt_vqc_sig_fe: 'fentry/vhost_add_used_and_signal_n',
    nt_vqc_sig_kp: 'kprobe/vhost_add_used_and_signal_n',
    nt_vqc_sig_fx: 'fexit/vhost_add_used_and_signal_n',
    nt_vqc_sig_kr: 'kretprobe/vhost_add_used_and_signal_n',
    nt_efd_sig_fe: 'fentry/eventfd_signal',
    nt_efd_sig_kp: 'kprobe/eventfd_signal',
    nt_efd_msk_fe: 'fentry/eventfd_signal_mask',
    nt_efd_msk_kp: 'kprobe/eventfd_signal_mask',
  },
  maps: {
    events: { type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: 1048576 },
    events_lost: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 1 },
    events_perf: { type: 'perf_event_array', keySize: 4, valueSize: 4, maxEntries: 0 },
    events_scratch: { type: 'percpu_array', keySize: 4, valueSize: 1024, maxEntries: 1 },
    nt_signal_calls: { type: 'lru_hash', keySize: 4, valueSize: 64, maxEntries: 1024 },
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
    cfg_queue: { section: '.rodata', type: 'u16', size: 2 },
    cfg_queue_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_src_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_wakeup_bytes: { section: '.rodata', type: 'u64', size: 8 },
  },
} as const;

/** BTF struct event (160 bytes). */
export interface Event {
  entry_ns: number;
  exit_ns: number;
  vq: bigint;
  eventfd: bigint;
  pid: number;
  tid: number;
  comm: string;
  queue: NtTunQueue;
  count: number;
  role: number;
  signalled: number;
  before: NtVqState;
  after: NtVqState;
}
export const EventSize = 160;
export function decodeEvent(v: DataView, o: number): Event {
  return {
    entry_ns: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    exit_ns: (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296),
    vq: v.getBigUint64(o + 16, true),
    eventfd: v.getBigUint64(o + 24, true),
    pid: v.getUint32(o + 32, true),
    tid: v.getUint32(o + 36, true),
    comm: readCString(v, o + 40, 16),
    queue: decodeNtTunQueue(v, o + 56),
    count: v.getUint32(o + 84, true),
    role: v.getUint8(o + 88),
    signalled: v.getUint8(o + 89),
    before: decodeNtVqState(v, o + 96),
    after: decodeNtVqState(v, o + 128),
  };
}
/** Byte offset of each member of struct event. */
export const EventOffsets = {
  entry_ns: 0,
  exit_ns: 8,
  vq: 16,
  eventfd: 24,
  pid: 32,
  tid: 36,
  comm: 40,
  queue: 56,
  count: 84,
  role: 88,
  signalled: 89,
  before: 96,
  after: 128,
} as const;
/** A zeroed Event (nested structs and arrays preallocated) for decodeEventInto(). */
export function createEvent(): Event {
  return {
    entry_ns: 0,
    exit_ns: 0,
    vq: 0n,
    eventfd: 0n,
    pid: 0,
    tid: 0,
    comm: '',
    queue: createNtTunQueue(),
    count: 0,
    role: 0,
    signalled: 0,
    before: createNtVqState(),
    after: createNtVqState(),
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeEventInto(t: Event, v: DataView, o: number): Event {
  t.entry_ns = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.exit_ns = (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
  t.vq = v.getBigUint64(o + 16, true);
  t.eventfd = v.getBigUint64(o + 24, true);
  t.pid = v.getUint32(o + 32, true);
  t.tid = v.getUint32(o + 36, true);
  t.comm = readCString(v, o + 40, 16);
  decodeNtTunQueueInto(t.queue, v, o + 56);
  t.count = v.getUint32(o + 84, true);
  t.role = v.getUint8(o + 88);
  t.signalled = v.getUint8(o + 89);
  decodeNtVqStateInto(t.before, v, o + 96);
  decodeNtVqStateInto(t.after, v, o + 128);
  return t;
}
export function readEventEntryNs(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readEventExitNs(v: DataView, o: number): number {
  return (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
}
export function readEventVq(v: DataView, o: number): bigint {
  return v.getBigUint64(o + 16, true);
}
export function readEventEventfd(v: DataView, o: number): bigint {
  return v.getBigUint64(o + 24, true);
}
export function readEventPid(v: DataView, o: number): number {
  return v.getUint32(o + 32, true);
}
export function readEventTid(v: DataView, o: number): number {
  return v.getUint32(o + 36, true);
}
export function readEventCount(v: DataView, o: number): number {
  return v.getUint32(o + 84, true);
}
export function readEventRole(v: DataView, o: number): number {
  return v.getUint8(o + 88);
}
export function readEventSignalled(v: DataView, o: number): number {
  return v.getUint8(o + 89);
}
export const EventLayout: StructLayout<Event> = { name: 'event', size: 160, decode: decodeEvent, create: createEvent, decodeInto: decodeEventInto };
