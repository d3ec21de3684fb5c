// Generated from plugins/vhost-eventfd-count/bpf/vhost_eventfd_count.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { type NtTunQueue, createNtTunQueue, decodeNtTunQueue, decodeNtTunQueueInto, type StructLayout } from '@nettrace/core';
export { type NtTunQueue, createNtTunQueue, decodeNtTunQueue, decodeNtTunQueueInto };

/** What plugins/vhost-eventfd-count/bpf/vhost_eventfd_count.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load),
 * counters (NT_COUNTERS, read with ctx.counters()). */
export const contract = {
  object: new URL('./vhost_eventfd_count.bpf.o', import.meta.url),
  programs: {
    nt_vec_sig_fe: 'fentry/vhost_add_used_and_signal_n',
    nt_vec_sig_kp: 'kprobe/vhost_add_used_and_signal_n',
    nt_vec_sig_fx: 'fexit/vhost_add_used_and_signal_n',
    nt_vec_sig_kr: 'kretprobe/vhost_add_used_and_signal_n',
    nt_efd_sig_fe: 'fentry/eventfd_signal',
    nt_efd_sig_kp: 'kprobe/eventfd_signal',
    nt_efd_msk_fe: 'fentry/eventfd_signal_mask',
    nt_efd_msk_kp: 'kprobe/eventfd_signal_mask',
  },
  maps: {
    nt_signal_calls: { type: 'lru_hash', keySize: 4, valueSize: 64, maxEntries: 1024 },
    vqs: { type: 'hash', keySize: 48, valueSize: 24, maxEntries: 1024 },
    counters: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 3 },
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
  counters: ['calls', 'signals', 'untracked'],
} as const;

/** BTF struct vq_counts (24 bytes). */
export interface VqCounts {
  calls: number;
  signals: number;
  used: number;
}
export const VqCountsSize = 24;
export function decodeVqCounts(v: DataView, o: number): VqCounts {
  return {
    calls: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    signals: (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296),
    used: (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296),
  };
}
/** Byte offset of each member of struct vq_counts. */
export const VqCountsOffsets = {
  calls: 0,
  signals: 8,
  used: 16,
} as const;
/** A zeroed VqCounts (nested structs and arrays preallocated) for decodeVqCountsInto(). */
export function createVqCounts(): VqCounts {
  return {
    calls: 0,
    signals: 0,
    used: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeVqCountsInto(t: VqCounts, v: DataView, o: number): VqCounts {
  t.calls = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.signals = (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
  t.used = (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
  return t;
}
export function readVqCountsCalls(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readVqCountsSignals(v: DataView, o: number): number {
  return (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
}
export function readVqCountsUsed(v: DataView, o: number): number {
  return (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
}
export const VqCountsLayout: StructLayout<VqCounts> = { name: 'vq_counts', size: 24, decode: decodeVqCounts, create: createVqCounts, decodeInto: decodeVqCountsInto };

/** BTF struct vq_key (48 bytes). */
export interface VqKey {
  vq: bigint;
  eventfd: bigint;
  queue: NtTunQueue;
  role: number;
}
export const VqKeySize = 48;
export function decodeVqKey(v: DataView, o: number): VqKey {
  return {
    vq: v.getBigUint64(o + 0, true),
    eventfd: v.getBigUint64(o + 8, true),
    queue: decodeNtTunQueue(v, o + 16),
    role: v.getUint8(o + 44),
  };
}
/** Byte offset of each member of struct vq_key. */
export const VqKeyOffsets = {
  vq: 0,
  eventfd: 8,
  queue: 16,
  role: 44,
} as const;
/** A zeroed VqKey (nested structs and arrays preallocated) for decodeVqKeyInto(). */
export function createVqKey(): VqKey {
  return {
    vq: 0n,
    eventfd: 0n,
    queue: createNtTunQueue(),
    role: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeVqKeyInto(t: VqKey, v: DataView, o: number): VqKey {
  t.vq = v.getBigUint64(o + 0, true);
  t.eventfd = v.getBigUint64(o + 8, true);
  decodeNtTunQueueInto(t.queue, v, o + 16);
  t.role = v.getUint8(o + 44);
  return t;
}
export function readVqKeyVq(v: DataView, o: number): bigint {
  return v.getBigUint64(o + 0, true);
}
export function readVqKeyEventfd(v: DataView, o: number): bigint {
  return v.getBigUint64(o + 8, true);
}
export function readVqKeyRole(v: DataView, o: number): number {
  return v.getUint8(o + 44);
}
export const VqKeyLayout: StructLayout<VqKey> = { name: 'vq_key', size: 48, decode: decodeVqKey, create: createVqKey, decodeInto: decodeVqKeyInto };
