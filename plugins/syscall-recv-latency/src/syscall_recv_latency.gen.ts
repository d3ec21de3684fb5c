// Generated from the BTF of syscall-recv-latency/bpf/syscall_recv_latency.bpf.c by tooling/src/gen-types.mjs. Do not edit.
import { readCString, readS64, readU64, type StructLayout } from '@nettrace/core';

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
    latency_us: readU64(v, o + 0),
    enter_ns: readU64(v, o + 8),
    exit_ns: readU64(v, o + 16),
    ret: readS64(v, o + 24),
    pid: v.getUint32(o + 32, true),
    tid: v.getUint32(o + 36, true),
    fd: v.getUint32(o + 40, true),
    cpu_enter: v.getUint32(o + 44, true),
    cpu_exit: v.getUint32(o + 48, true),
    call: v.getUint32(o + 52, true),
    comm: readCString(v, o + 56, 16),
  };
}
export const RecvEventLayout: StructLayout<RecvEvent> = { name: 'recv_event', size: 72, decode: decodeRecvEvent };
