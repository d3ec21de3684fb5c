// Generated from the BTF of tun-ring-monitor/bpf/tun_ring_monitor.bpf.c by tooling/src/gen-types.mjs. Do not edit.
import { readCString, type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto, type NtRingState, createNtRingState, decodeNtRingState, decodeNtRingStateInto, type NtTunQueue, createNtTunQueue, decodeNtTunQueue, decodeNtTunQueueInto, type StructLayout } from '@nettrace/core';
export { type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto, type NtRingState, createNtRingState, decodeNtRingState, decodeNtRingStateInto, type NtTunQueue, createNtTunQueue, decodeNtTunQueue, decodeNtTunQueueInto };

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
