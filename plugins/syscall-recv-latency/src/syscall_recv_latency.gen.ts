// Generated from plugins/syscall-recv-latency/bpf/syscall_recv_latency.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { readCString, type StructLayout } from '@nettrace/core';

/** What plugins/syscall-recv-latency/bpf/syscall_recv_latency.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load),
 * counters (NT_COUNTERS, read with ctx.counters()). */
export const contract = {
  object: new URL('./syscall_recv_latency.bpf.o', import.meta.url),
  programs: {
    nt_srl_in_from: 'tracepoint/syscalls/sys_enter_recvfrom',
    nt_srl_out_from: 'tracepoint/syscalls/sys_exit_recvfrom',
    nt_srl_in_msg: 'tracepoint/syscalls/sys_enter_recvmsg',
    nt_srl_out_msg: 'tracepoint/syscalls/sys_exit_recvmsg',
    nt_srl_in_read: 'tracepoint/syscalls/sys_enter_read',
    nt_srl_out_read: 'tracepoint/syscalls/sys_exit_read',
  },
  maps: {
    events: { type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: 1048576 },
    events_lost: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 1 },
    events_perf: { type: 'perf_event_array', keySize: 4, valueSize: 4, maxEntries: 0 },
    events_scratch: { type: 'percpu_array', keySize: 4, valueSize: 1024, maxEntries: 1 },
    starts: { type: 'hash', keySize: 4, valueSize: 24, maxEntries: 16384 },
    latency: { type: 'percpu_array', keySize: 4, valueSize: 512, maxEntries: 1 },
    counters: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 5 },
  },
  variables: {
    cfg_comm: { section: '.rodata', type: 's8[16]', size: 16 },
    cfg_dst_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_dst_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_either_direction: { section: '.rodata', type: 'u8', size: 1 },
    cfg_ifindex: { section: '.rodata', type: 'u32', size: 4 },
    cfg_perf_buffer: { section: '.rodata', type: 'u8', size: 1 },
    cfg_pid: { section: '.rodata', type: 'u32', size: 4 },
    cfg_protocol: { section: '.rodata', type: 'u8', size: 1 },
    cfg_sock_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_src_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_src_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_threshold_us: { section: '.rodata', type: 'u64', size: 8 },
    cfg_trace_read: { section: '.rodata', type: 'u8', size: 1 },
    cfg_wakeup_bytes: { section: '.rodata', type: 'u64', size: 8 },
  },
  counters: ['calls', 'bytes', 'cpu_migrations', 'errors', 'zero_byte'],
} as const;

/** BTF enum recv_call. */
export const RecvCall = {
  CALL_RECVFROM: 0,
  CALL_RECVMSG: 1,
  CALL_READ: 2,
} as const;
export type RecvCall = (typeof RecvCall)[keyof typeof RecvCall];

/** BTF struct recv_event (72 bytes). */
export interface RecvEvent {
  latency_us: number;
  enter_ns: number;
  exit_ns: number;
  ret: number;
  pid: number;
  tid: number;
  fd: number;
  cpu_enter: number;
  cpu_exit: number;
  call: number;
  comm: string;
}
export const RecvEventSize = 72;
export function decodeRecvEvent(v: DataView, o: number): RecvEvent {
  return {
    latency_us: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    enter_ns: (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296),
    exit_ns: (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296),
    ret: (v.getUint32(o + 24, true) + v.getInt32(o + 28, true) * 4294967296),
    pid: v.getUint32(o + 32, true),
    tid: v.getUint32(o + 36, true),
    fd: v.getUint32(o + 40, true),
    cpu_enter: v.getUint32(o + 44, true),
    cpu_exit: v.getUint32(o + 48, true),
    call: v.getUint32(o + 52, true),
    comm: readCString(v, o + 56, 16),
  };
}
/** Byte offset of each member of struct recv_event. */
export const RecvEventOffsets = {
  latency_us: 0,
  enter_ns: 8,
  exit_ns: 16,
  ret: 24,
  pid: 32,
  tid: 36,
  fd: 40,
  cpu_enter: 44,
  cpu_exit: 48,
  call: 52,
  comm: 56,
} as const;
/** A zeroed RecvEvent (nested structs and arrays preallocated) for decodeRecvEventInto(). */
export function createRecvEvent(): RecvEvent {
  return {
    latency_us: 0,
    enter_ns: 0,
    exit_ns: 0,
    ret: 0,
    pid: 0,
    tid: 0,
    fd: 0,
    cpu_enter: 0,
    cpu_exit: 0,
    call: 0,
    comm: '',
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeRecvEventInto(t: RecvEvent, v: DataView, o: number): RecvEvent {
  t.latency_us = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.enter_ns = (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
  t.exit_ns = (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
  t.ret = (v.getUint32(o + 24, true) + v.getInt32(o + 28, true) * 4294967296);
  t.pid = v.getUint32(o + 32, true);
  t.tid = v.getUint32(o + 36, true);
  t.fd = v.getUint32(o + 40, true);
  t.cpu_enter = v.getUint32(o + 44, true);
  t.cpu_exit = v.getUint32(o + 48, true);
  t.call = v.getUint32(o + 52, true);
  t.comm = readCString(v, o + 56, 16);
  return t;
}
export function readRecvEventLatencyUs(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readRecvEventEnterNs(v: DataView, o: number): number {
  return (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
}
export function readRecvEventExitNs(v: DataView, o: number): number {
  return (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
}
export function readRecvEventRet(v: DataView, o: number): number {
  return (v.getUint32(o + 24, true) + v.getInt32(o + 28, true) * 4294967296);
}
export function readRecvEventPid(v: DataView, o: number): number {
  return v.getUint32(o + 32, true);
}
export function readRecvEventTid(v: DataView, o: number): number {
  return v.getUint32(o + 36, true);
}
export function readRecvEventFd(v: DataView, o: number): number {
  return v.getUint32(o + 40, true);
}
export function readRecvEventCpuEnter(v: DataView, o: number): number {
  return v.getUint32(o + 44, true);
}
export function readRecvEventCpuExit(v: DataView, o: number): number {
  return v.getUint32(o + 48, true);
}
export function readRecvEventCall(v: DataView, o: number): number {
  return v.getUint32(o + 52, true);
}
export const RecvEventLayout: StructLayout<RecvEvent> = { name: 'recv_event', size: 72, decode: decodeRecvEvent, create: createRecvEvent, decodeInto: decodeRecvEventInto };
