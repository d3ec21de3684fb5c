// Generated from plugins/tun-vhost-queue-stats-simple/bpf/tun_vhost_queue_stats_simple.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { type NtHist, createNtHist, decodeNtHist, decodeNtHistInto, type NtRingDepth, createNtRingDepth, decodeNtRingDepth, decodeNtRingDepthInto, type StructLayout } from '@nettrace/core';
export { type NtHist, createNtHist, decodeNtHist, decodeNtHistInto, type NtRingDepth, createNtRingDepth, decodeNtRingDepth, decodeNtRingDepthInto };

/** What plugins/tun-vhost-queue-stats-simple/bpf/tun_vhost_queue_stats_simple.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load),
 * counters (NT_COUNTERS, read with ctx.counters()). */
export const contract = {
  object: new URL('./tun_vhost_queue_stats_simple.bpf.o', import.meta.url),
  programs: {
    nt_tqs_x_fe: 'fentry/tun_net_xmit',
    nt_tqs_x_kp: 'kprobe/tun_net_xmit',
    nt_tqs_s_fe: 'fentry/vhost_add_used_and_signal_n',
    nt_tqs_s_kp: 'kprobe/vhost_add_used_and_signal_n',
  },
  maps: {
    counters: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 1 },
    queues: { type: 'hash', keySize: 28, valueSize: 1088, maxEntries: 1024 },
  },
  variables: {
    cfg_dst_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_dst_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_either_direction: { section: '.rodata', type: 'u8', size: 1 },
    cfg_ifindex: { section: '.rodata', type: 'u32', size: 4 },
    cfg_netns_ino: { section: '.rodata', type: 'u32', size: 4 },
    cfg_pid: { section: '.rodata', type: 'u32', size: 4 },
    cfg_protocol: { section: '.rodata', type: 'u8', size: 1 },
    cfg_queue: { section: '.rodata', type: 'u16', size: 2 },
    cfg_queue_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_src_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_port: { section: '.rodata', type: 'u16', size: 2 },
  },
  counters: ['untracked'],
} as const;

/** BTF struct queue_stats (1088 bytes). */
export interface QueueStats {
  xmit: NtRingDepth;
  rx_signals: number;
  rx_used: number;
  tx_signals: number;
  tx_used: number;
  last_used: NtHist;
  depth_max: number;
  last_used_idx: number;
  napi_enabled: number;
  napi_frags_enabled: number;
}
export const QueueStatsSize = 1088;
export function decodeQueueStats(v: DataView, o: number): QueueStats {
  return {
    xmit: decodeNtRingDepth(v, o + 0),
    rx_signals: (v.getUint32(o + 536, true) + v.getUint32(o + 540, true) * 4294967296),
    rx_used: (v.getUint32(o + 544, true) + v.getUint32(o + 548, true) * 4294967296),
    tx_signals: (v.getUint32(o + 552, true) + v.getUint32(o + 556, true) * 4294967296),
    tx_used: (v.getUint32(o + 560, true) + v.getUint32(o + 564, true) * 4294967296),
    last_used: decodeNtHist(v, o + 568),
    depth_max: v.getUint32(o + 1080, true),
    last_used_idx: v.getUint16(o + 1084, true),
    napi_enabled: v.getUint8(o + 1086),
    napi_frags_enabled: v.getUint8(o + 1087),
  };
}
/** Byte offset of each member of struct queue_stats. */
export const QueueStatsOffsets = {
  xmit: 0,
  rx_signals: 536,
  rx_used: 544,
  tx_signals: 552,
  tx_used: 560,
  last_used: 568,
  depth_max: 1080,
  last_used_idx: 1084,
  napi_enabled: 1086,
  napi_frags_enabled: 1087,
} as const;
/** A zeroed QueueStats (nested structs and arrays preallocated) for decodeQueueStatsInto(). */
export function createQueueStats(): QueueStats {
  return {
    xmit: createNtRingDepth(),
    rx_signals: 0,
    rx_used: 0,
    tx_signals: 0,
    tx_used: 0,
    last_used: createNtHist(),
    depth_max: 0,
    last_used_idx: 0,
    napi_enabled: 0,
    napi_frags_enabled: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeQueueStatsInto(t: QueueStats, v: DataView, o: number): QueueStats {
  decodeNtRingDepthInto(t.xmit, v, o + 0);
  t.rx_signals = (v.getUint32(o + 536, true) + v.getUint32(o + 540, true) * 4294967296);
  t.rx_used = (v.getUint32(o + 544, true) + v.getUint32(o + 548, true) * 4294967296);
  t.tx_signals = (v.getUint32(o + 552, true) + v.getUint32(o + 556, true) * 4294967296);
  t.tx_used = (v.getUint32(o + 560, true) + v.getUint32(o + 564, true) * 4294967296);
  decodeNtHistInto(t.last_used, v, o + 568);
  t.depth_max = v.getUint32(o + 1080, true);
  t.last_used_idx = v.getUint16(o + 1084, true);
  t.napi_enabled = v.getUint8(o + 1086);
  t.napi_frags_enabled = v.getUint8(o + 1087);
  return t;
}
export function readQueueStatsRxSignals(v: DataView, o: number): number {
  return (v.getUint32(o + 536, true) + v.getUint32(o + 540, true) * 4294967296);
}
export function readQueueStatsRxUsed(v: DataView, o: number): number {
  return (v.getUint32(o + 544, true) + v.getUint32(o + 548, true) * 4294967296);
}
export function readQueueStatsTxSignals(v: DataView, o: number): number {
  return (v.getUint32(o + 552, true) + v.getUint32(o + 556, true) * 4294967296);
}
export function readQueueStatsTxUsed(v: DataView, o: number): number {
  return (v.getUint32(o + 560, true) + v.getUint32(o + 564, true) * 4294967296);
}
export function readQueueStatsDepthMax(v: DataView, o: number): number {
  return v.getUint32(o + 1080, true);
}
export function readQueueStatsLastUsedIdx(v: DataView, o: number): number {
  return v.getUint16(o + 1084, true);
}
export function readQueueStatsNapiEnabled(v: DataView, o: number): number {
  return v.getUint8(o + 1086);
}
export function readQueueStatsNapiFragsEnabled(v: DataView, o: number): number {
  return v.getUint8(o + 1087);
}
export const QueueStatsLayout: StructLayout<QueueStats> = { name: 'queue_stats', size: 1088, decode: decodeQueueStats, create: createQueueStats, decodeInto: decodeQueueStatsInto };
