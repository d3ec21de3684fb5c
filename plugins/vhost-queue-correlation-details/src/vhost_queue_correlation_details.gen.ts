// Generated from the BTF of vhost-queue-correlation-details/bpf/vhost_queue_correlation_details.bpf.c by tooling/src/gen-types.mjs. Do not edit.
import { readCString, type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto, type NtRingState, createNtRingState, decodeNtRingState, decodeNtRingStateInto, type NtTunQueue, createNtTunQueue, decodeNtTunQueue, decodeNtTunQueueInto, type NtVqState, createNtVqState, decodeNtVqState, decodeNtVqStateInto, type StructLayout } from '@nettrace/core';
export { type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto, type NtRingState, createNtRingState, decodeNtRingState, decodeNtRingStateInto, type NtTunQueue, createNtTunQueue, decodeNtTunQueue, decodeNtTunQueueInto, type NtVqState, createNtVqState, decodeNtVqState, decodeNtVqStateInto };

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
