// Generated from the BTF of tun-vhost-queue-stats-full/bpf/tun_vhost_queue_stats_full.bpf.c by tooling/src/gen-types.mjs. Do not edit.
import { type NtHist, createNtHist, decodeNtHist, decodeNtHistInto, type NtRingDepth, createNtRingDepth, decodeNtRingDepth, decodeNtRingDepthInto, type StructLayout } from '@nettrace/core';
export { type NtHist, createNtHist, decodeNtHist, decodeNtHistInto, type NtRingDepth, createNtRingDepth, decodeNtRingDepth, decodeNtRingDepthInto };

/** BTF struct queue_stats (3152 bytes). */
export interface QueueStats {
  xmit: NtRingDepth;
  recv: NtRingDepth;
  handle_rx: number;
  signals: number;
  used: number;
  depth_max_xmit: number;
  depth_max_recv: number;
  consumption_rx: NtHist;
  delay_rx: NtHist;
  consumption_signal: NtHist;
  delay_signal: NtHist;
}
export const QueueStatsSize = 3152;
export function decodeQueueStats(v: DataView, o: number): QueueStats {
  return {
    xmit: decodeNtRingDepth(v, o + 0),
    recv: decodeNtRingDepth(v, o + 536),
    handle_rx: (v.getUint32(o + 1072, true) + v.getUint32(o + 1076, true) * 4294967296),
    signals: (v.getUint32(o + 1080, true) + v.getUint32(o + 1084, true) * 4294967296),
    used: (v.getUint32(o + 1088, true) + v.getUint32(o + 1092, true) * 4294967296),
    depth_max_xmit: v.getUint32(o + 1096, true),
    depth_max_recv: v.getUint32(o + 1100, true),
    consumption_rx: decodeNtHist(v, o + 1104),
    delay_rx: decodeNtHist(v, o + 1616),
    consumption_signal: decodeNtHist(v, o + 2128),
    delay_signal: decodeNtHist(v, o + 2640),
  };
}
/** Byte offset of each member of struct queue_stats. */
export const QueueStatsOffsets = {
  xmit: 0,
  recv: 536,
  handle_rx: 1072,
  signals: 1080,
  used: 1088,
  depth_max_xmit: 1096,
  depth_max_recv: 1100,
  consumption_rx: 1104,
  delay_rx: 1616,
  consumption_signal: 2128,
  delay_signal: 2640,
} as const;
/** A zeroed QueueStats (nested structs and arrays preallocated) for decodeQueueStatsInto(). */
export function createQueueStats(): QueueStats {
  return {
    xmit: createNtRingDepth(),
    recv: createNtRingDepth(),
    handle_rx: 0,
    signals: 0,
    used: 0,
    depth_max_xmit: 0,
    depth_max_recv: 0,
    consumption_rx: createNtHist(),
    delay_rx: createNtHist(),
    consumption_signal: createNtHist(),
    delay_signal: createNtHist(),
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeQueueStatsInto(t: QueueStats, v: DataView, o: number): QueueStats {
  decodeNtRingDepthInto(t.xmit, v, o + 0);
  decodeNtRingDepthInto(t.recv, v, o + 536);
  t.handle_rx = (v.getUint32(o + 1072, true) + v.getUint32(o + 1076, true) * 4294967296);
  t.signals = (v.getUint32(o + 1080, true) + v.getUint32(o + 1084, true) * 4294967296);
  t.used = (v.getUint32(o + 1088, true) + v.getUint32(o + 1092, true) * 4294967296);
  t.depth_max_xmit = v.getUint32(o + 1096, true);
  t.depth_max_recv = v.getUint32(o + 1100, true);
  decodeNtHistInto(t.consumption_rx, v, o + 1104);
  decodeNtHistInto(t.delay_rx, v, o + 1616);
  decodeNtHistInto(t.consumption_signal, v, o + 2128);
  decodeNtHistInto(t.delay_signal, v, o + 2640);
  return t;
}
export function readQueueStatsHandleRx(v: DataView, o: number): number {
  return (v.getUint32(o + 1072, true) + v.getUint32(o + 1076, true) * 4294967296);
}
export function readQueueStatsSignals(v: DataView, o: number): number {
  return (v.getUint32(o + 1080, true) + v.getUint32(o + 1084, true) * 4294967296);
}
export function readQueueStatsUsed(v: DataView, o: number): number {
  return (v.getUint32(o + 1088, true) + v.getUint32(o + 1092, true) * 4294967296);
}
export function readQueueStatsDepthMaxXmit(v: DataView, o: number): number {
  return v.getUint32(o + 1096, true);
}
export function readQueueStatsDepthMaxRecv(v: DataView, o: number): number {
  return v.getUint32(o + 1100, true);
}
export const QueueStatsLayout: StructLayout<QueueStats> = { name: 'queue_stats', size: 3152, decode: decodeQueueStats, create: createQueueStats, decodeInto: decodeQueueStatsInto };
