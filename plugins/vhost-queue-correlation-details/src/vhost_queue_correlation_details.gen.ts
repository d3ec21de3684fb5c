// Generated from plugins/vhost-queue-correlation-details/bpf/vhost_queue_correlation_details.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { readCString, type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto, type NtRingState, createNtRingState, decodeNtRingState, decodeNtRingStateInto, type NtTunQueue, createNtTunQueue, decodeNtTunQueue, decodeNtTunQueueInto, type NtVqState, createNtVqState, decodeNtVqState, decodeNtVqStateInto, type StructLayout } from '@nettrace/core';
export { type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto, type NtRingState, createNtRingState, decodeNtRingState, decodeNtRingStateInto, type NtTunQueue, createNtTunQueue, decodeNtTunQueue, decodeNtTunQueueInto, type NtVqState, createNtVqState, decodeNtVqState, decodeNtVqStateInto };

/** What plugins/vhost-queue-correlation-details/bpf/vhost_queue_correlation_details.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load). */
export const contract = {
  object: new URL('./vhost_queue_correlation_details.bpf.o', import.meta.url),
  programs: {
    nt_vqd_x_fe: 'fentry/tun_net_xmit',
    nt_vqd_x_kp: 'kprobe/tun_net_xmit',
    nt_vqd_r_fe: 'fentry/tun_recvmsg',
    nt_vqd_r_kp: 'kprobe/tun_recvmsg',
    nt_vqd_h_fe: 'fentry/handle_rx',
    nt_vqd_h_kp: 'kprobe/handle_rx',
    nt_vqd_s_fe: 'fentry/vhost_add_used_and_signal_n',
    nt_vqd_s_kp: 'kprobe/vhost_add_used_and_signal_n',
    nt_vqd_s_fx: 'fexit/vhost_add_used_and_signal_n',
    nt_vqd_s_kr: 'kretprobe/vhost_add_used_and_signal_n',
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

/** BTF struct event (232 bytes). */
export interface Event {
  ts_ns: number;
  entry_ns: number;
  vq: bigint;
  eventfd: bigint;
  pid: number;
  tid: number;
  comm: string;
  queue: NtTunQueue;
  len: number;
  kind: number;
  role: number;
  signalled: number;
  ring: NtRingState;
  flow: NtFlow;
  before: NtVqState;
  after: NtVqState;
}
export const EventSize = 232;
export function decodeEvent(v: DataView, o: number): Event {
  return {
    ts_ns: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    entry_ns: (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296),
    vq: v.getBigUint64(o + 16, true),
    eventfd: v.getBigUint64(o + 24, true),
    pid: v.getUint32(o + 32, true),
    tid: v.getUint32(o + 36, true),
    comm: readCString(v, o + 40, 16),
    queue: decodeNtTunQueue(v, o + 56),
    len: v.getUint32(o + 84, true),
    kind: v.getUint8(o + 88),
    role: v.getUint8(o + 89),
    signalled: v.getUint8(o + 90),
    ring: decodeNtRingState(v, o + 92),
    flow: decodeNtFlow(v, o + 120),
    before: decodeNtVqState(v, o + 168),
    after: decodeNtVqState(v, o + 200),
  };
}
/** Byte offset of each member of struct event. */
export const EventOffsets = {
  ts_ns: 0,
  entry_ns: 8,
  vq: 16,
  eventfd: 24,
  pid: 32,
  tid: 36,
  comm: 40,
  queue: 56,
  len: 84,
  kind: 88,
  role: 89,
  signalled: 90,
  ring: 92,
  flow: 120,
  before: 168,
  after: 200,
} as const;
/** A zeroed Event (nested structs and arrays preallocated) for decodeEventInto(). */
export function createEvent(): Event {
  return {
    ts_ns: 0,
    entry_ns: 0,
    vq: 0n,
    eventfd: 0n,
    pid: 0,
    tid: 0,
    comm: '',
    queue: createNtTunQueue(),
    len: 0,
    kind: 0,
    role: 0,
    signalled: 0,
    ring: createNtRingState(),
    flow: createNtFlow(),
    before: createNtVqState(),
    after: createNtVqState(),
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeEventInto(t: Event, v: DataView, o: number): Event {
  t.ts_ns = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.entry_ns = (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
  t.vq = v.getBigUint64(o + 16, true);
  t.eventfd = v.getBigUint64(o + 24, true);
  t.pid = v.getUint32(o + 32, true);
  t.tid = v.getUint32(o + 36, true);
  t.comm = readCString(v, o + 40, 16);
  decodeNtTunQueueInto(t.queue, v, o + 56);
  t.len = v.getUint32(o + 84, true);
  t.kind = v.getUint8(o + 88);
  t.role = v.getUint8(o + 89);
  t.signalled = v.getUint8(o + 90);
  decodeNtRingStateInto(t.ring, v, o + 92);
  decodeNtFlowInto(t.flow, v, o + 120);
  decodeNtVqStateInto(t.before, v, o + 168);
  decodeNtVqStateInto(t.after, v, o + 200);
  return t;
}
export function readEventTsNs(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readEventEntryNs(v: DataView, o: number): number {
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
export function readEventLen(v: DataView, o: number): number {
  return v.getUint32(o + 84, true);
}
export function readEventKind(v: DataView, o: number): number {
  return v.getUint8(o + 88);
}
export function readEventRole(v: DataView, o: number): number {
  return v.getUint8(o + 89);
}
export function readEventSignalled(v: DataView, o: number): number {
  return v.getUint8(o + 90);
}
export const EventLayout: StructLayout<Event> = { name: 'event', size: 232, decode: decodeEvent, create: createEvent, decodeInto: decodeEventInto };
