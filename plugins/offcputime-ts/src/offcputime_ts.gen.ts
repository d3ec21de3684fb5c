// Generated from plugins/offcputime-ts/bpf/offcputime_ts.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { readCString, type StructLayout } from '@nettrace/core';

/** What plugins/offcputime-ts/bpf/offcputime_ts.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load),
 * counters (NT_COUNTERS, read with ctx.counters()). */
export const contract = {
  object: new URL('./offcputime_ts.bpf.o', import.meta.url),
  programs: {
    nt_oct_btf: 'tp_btf/sched_switch',
    nt_oct_raw: 'raw_tp/sched_switch',
    nt_oct_tp: 'tracepoint/sched/sched_switch',
  },
  maps: {
    stacks: { type: 'stack_trace', keySize: 4, valueSize: 256, maxEntries: 16384 },
    start: { type: 'lru_hash', keySize: 4, valueSize: 48, maxEntries: 16384 },
    counts: { type: 'hash', keySize: 32, valueSize: 40, maxEntries: 10240 },
    counters: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 1 },
  },
  variables: {
    cfg_dst_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_dst_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_either_direction: { section: '.rodata', type: 'u8', size: 1 },
    cfg_ifindex: { section: '.rodata', type: 'u32', size: 4 },
    cfg_kernel_stacks: { section: '.rodata', type: 'u8', size: 1 },
    cfg_kernel_threads_only: { section: '.rodata', type: 'u8', size: 1 },
    cfg_max_ns: { section: '.rodata', type: 'u64', size: 8 },
    cfg_min_ns: { section: '.rodata', type: 'u64', size: 8 },
    cfg_npids: { section: '.rodata', type: 'u32', size: 4 },
    cfg_ntids: { section: '.rodata', type: 'u32', size: 4 },
    cfg_pid: { section: '.rodata', type: 'u32', size: 4 },
    cfg_pids: { section: '.rodata', type: 'u32[16]', size: 64 },
    cfg_protocol: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_src_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_state: { section: '.rodata', type: 'u32', size: 4 },
    cfg_state_filter: { section: '.rodata', type: 'u8', size: 1 },
    cfg_tids: { section: '.rodata', type: 'u32[16]', size: 64 },
    cfg_user_stacks: { section: '.rodata', type: 'u8', size: 1 },
    cfg_user_threads_only: { section: '.rodata', type: 'u8', size: 1 },
  },
  counters: ['untracked'],
} as const;

/** BTF struct offcpu_key (32 bytes). */
export interface OffcpuKey {
  tgid: number;
  tid: number;
  kstack: number;
  ustack: number;
  comm: string;
}
export const OffcpuKeySize = 32;
export function decodeOffcpuKey(v: DataView, o: number): OffcpuKey {
  return {
    tgid: v.getUint32(o + 0, true),
    tid: v.getUint32(o + 4, true),
    kstack: v.getInt32(o + 8, true),
    ustack: v.getInt32(o + 12, true),
    comm: readCString(v, o + 16, 16),
  };
}
/** Byte offset of each member of struct offcpu_key. */
export const OffcpuKeyOffsets = {
  tgid: 0,
  tid: 4,
  kstack: 8,
  ustack: 12,
  comm: 16,
} as const;
/** A zeroed OffcpuKey (nested structs and arrays preallocated) for decodeOffcpuKeyInto(). */
export function createOffcpuKey(): OffcpuKey {
  return {
    tgid: 0,
    tid: 0,
    kstack: 0,
    ustack: 0,
    comm: '',
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeOffcpuKeyInto(t: OffcpuKey, v: DataView, o: number): OffcpuKey {
  t.tgid = v.getUint32(o + 0, true);
  t.tid = v.getUint32(o + 4, true);
  t.kstack = v.getInt32(o + 8, true);
  t.ustack = v.getInt32(o + 12, true);
  t.comm = readCString(v, o + 16, 16);
  return t;
}
export function readOffcpuKeyTgid(v: DataView, o: number): number {
  return v.getUint32(o + 0, true);
}
export function readOffcpuKeyTid(v: DataView, o: number): number {
  return v.getUint32(o + 4, true);
}
export function readOffcpuKeyKstack(v: DataView, o: number): number {
  return v.getInt32(o + 8, true);
}
export function readOffcpuKeyUstack(v: DataView, o: number): number {
  return v.getInt32(o + 12, true);
}
export const OffcpuKeyLayout: StructLayout<OffcpuKey> = { name: 'offcpu_key', size: 32, decode: decodeOffcpuKey, create: createOffcpuKey, decodeInto: decodeOffcpuKeyInto };

/** BTF struct offcpu_val (40 bytes). */
export interface OffcpuVal {
  total_ns: number;
  blocks: number;
  max_ns: number;
  first_ns: number;
  last_ns: number;
}
export const OffcpuValSize = 40;
export function decodeOffcpuVal(v: DataView, o: number): OffcpuVal {
  return {
    total_ns: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    blocks: (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296),
    max_ns: (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296),
    first_ns: (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296),
    last_ns: (v.getUint32(o + 32, true) + v.getUint32(o + 36, true) * 4294967296),
  };
}
/** Byte offset of each member of struct offcpu_val. */
export const OffcpuValOffsets = {
  total_ns: 0,
  blocks: 8,
  max_ns: 16,
  first_ns: 24,
  last_ns: 32,
} as const;
/** A zeroed OffcpuVal (nested structs and arrays preallocated) for decodeOffcpuValInto(). */
export function createOffcpuVal(): OffcpuVal {
  return {
    total_ns: 0,
    blocks: 0,
    max_ns: 0,
    first_ns: 0,
    last_ns: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeOffcpuValInto(t: OffcpuVal, v: DataView, o: number): OffcpuVal {
  t.total_ns = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.blocks = (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
  t.max_ns = (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
  t.first_ns = (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296);
  t.last_ns = (v.getUint32(o + 32, true) + v.getUint32(o + 36, true) * 4294967296);
  return t;
}
export function readOffcpuValTotalNs(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readOffcpuValBlocks(v: DataView, o: number): number {
  return (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
}
export function readOffcpuValMaxNs(v: DataView, o: number): number {
  return (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
}
export function readOffcpuValFirstNs(v: DataView, o: number): number {
  return (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296);
}
export function readOffcpuValLastNs(v: DataView, o: number): number {
  return (v.getUint32(o + 32, true) + v.getUint32(o + 36, true) * 4294967296);
}
export const OffcpuValLayout: StructLayout<OffcpuVal> = { name: 'offcpu_val', size: 40, decode: decodeOffcpuVal, create: createOffcpuVal, decodeInto: decodeOffcpuValInto };
