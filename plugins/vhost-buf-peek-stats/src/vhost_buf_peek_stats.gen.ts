// Generated from plugins/vhost-buf-peek-stats/bpf/vhost_buf_peek_stats.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { type NtTunQueue, createNtTunQueue, decodeNtTunQueue, decodeNtTunQueueInto, type StructLayout } from '@nettrace/core';
export { type NtTunQueue, createNtTunQueue, decodeNtTunQueue, decodeNtTunQueueInto };

/** What plugins/vhost-buf-peek-stats/bpf/vhost_buf_peek_stats.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load),
 * counters (NT_COUNTERS, read with ctx.counters()). */
export const contract = {
  object: new URL('./vhost_buf_peek_stats.bpf.o', import.meta.url),
  programs: {
    nt_vbp_p_fe: 'fentry/vhost_net_buf_peek',
    nt_vbp_p_kp: 'kprobe/vhost_net_buf_peek',
    nt_vbp_p_fx: 'fexit/vhost_net_buf_peek',
    nt_vbp_p_kr: 'kretprobe/vhost_net_buf_peek',
  },
  maps: {
    peeks: { type: 'hash', keySize: 48, valueSize: 8, maxEntries: 4096 },
    peeking: { type: 'lru_hash', keySize: 4, valueSize: 48, maxEntries: 1024 },
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
  counters: ['peeks', 'empty', 'untracked'],
} as const;

/** BTF struct peek_key (48 bytes). */
export interface PeekKey {
  nvq: bigint;
  ret: number;
  named: number;
  queue: NtTunQueue;
}
export const PeekKeySize = 48;
export function decodePeekKey(v: DataView, o: number): PeekKey {
  return {
    nvq: v.getBigUint64(o + 0, true),
    ret: v.getInt32(o + 8, true),
    named: v.getUint8(o + 12),
    queue: decodeNtTunQueue(v, o + 16),
  };
}
/** Byte offset of each member of struct peek_key. */
export const PeekKeyOffsets = {
  nvq: 0,
  ret: 8,
  named: 12,
  queue: 16,
} as const;
/** A zeroed PeekKey (nested structs and arrays preallocated) for decodePeekKeyInto(). */
export function createPeekKey(): PeekKey {
  return {
    nvq: 0n,
    ret: 0,
    named: 0,
    queue: createNtTunQueue(),
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodePeekKeyInto(t: PeekKey, v: DataView, o: number): PeekKey {
  t.nvq = v.getBigUint64(o + 0, true);
  t.ret = v.getInt32(o + 8, true);
  t.named = v.getUint8(o + 12);
  decodeNtTunQueueInto(t.queue, v, o + 16);
  return t;
}
export function readPeekKeyNvq(v: DataView, o: number): bigint {
  return v.getBigUint64(o + 0, true);
}
export function readPeekKeyRet(v: DataView, o: number): number {
  return v.getInt32(o + 8, true);
}
export function readPeekKeyNamed(v: DataView, o: number): number {
  return v.getUint8(o + 12);
}
export const PeekKeyLayout: StructLayout<PeekKey> = { name: 'peek_key', size: 48, decode: decodePeekKey, create: createPeekKey, decodeInto: decodePeekKeyInto };
