// Generated from plugins/tun-vhost-queue-stats-full/bpf/tun_vhost_queue_stats_full.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { type NtHist, createNtHist, decodeNtHist, decodeNtHistInto, type NtRingDepth, createNtRingDepth, decodeNtRingDepth, decodeNtRingDepthInto, type StructLayout } from '@nettrace/core';
export { type NtHist, createNtHist, decodeNtHist, decodeNtHistInto, type NtRingDepth, createNtRingDepth, decodeNtRingDepth, decodeNtRingDepthInto };

/** What plugins/tun-vhost-queue-stats-full/bpf/tun_vhost_queue_stats_full.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load),
 * counters (NT_COUNTERS, read with ctx.counters()). */
export const contract = {
  object: new URL('./tun_vhost_queue_stats_full.bpf.o', import.meta.url),
  programs: {
    nt_tqf_x_fe: 'fentry/tun_net_xmit',
    nt_tqf_x_kp: 'kprobe/tun_net_xmit',
    nt_tqf_r_fe: 'fentry/tun_recvmsg',
    nt_tqf_r_kp: 'kprobe/tun_recvmsg',
    nt_tqf_h_fe: 'fentry/handle_rx',
    nt_tqf_h_kp: 'kprobe/handle_rx',
    nt_tqf_s_fe: 'fentry/vhost_add_used_and_signal_n',
    nt_tqf_s_kp: 'kprobe/vhost_add_used_and_signal_n',
  },
  maps: {
    counters: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 1 },
    queues: { type: 'hash', keySize: 28, valueSize: 3152, maxEntries: 256 },
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
