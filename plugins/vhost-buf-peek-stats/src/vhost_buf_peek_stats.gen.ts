// Generated from the BTF of vhost-buf-peek-stats/bpf/vhost_buf_peek_stats.bpf.c by tooling/src/gen-types.mjs. Do not edit.
import { type NtTunQueue, createNtTunQueue, decodeNtTunQueue, decodeNtTunQueueInto, type StructLayout } from '@nettrace/core';
export { type NtTunQueue, createNtTunQueue, decodeNtTunQueue, decodeNtTunQueueInto };

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
