// Generated from plugins/kernel-drop-stack-stats/bpf/kernel_drop_stack_stats.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { readCString, type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto, type StructLayout } from '@nettrace/core';
export { type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto };

/** What plugins/kernel-drop-stack-stats/bpf/kernel_drop_stack_stats.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load),
 * counters (NT_COUNTERS, read with ctx.counters()). */
export const contract = {
  object: new URL('./kernel_drop_stack_stats.bpf.o', import.meta.url),
  programs: {
    nt_kds_btf: 'tp_btf/kfree_skb',
    nt_kds_tp: 'tracepoint/skb/kfree_skb',
  },
  maps: {
    stacks: { type: 'stack_trace', keySize: 4, valueSize: 256, maxEntries: 4096 },
    drops: { type: 'lru_hash', keySize: 64, valueSize: 40, maxEntries: 10240 },
    counters: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 1 },
  },
  variables: {
    cfg_dst_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_dst_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_either_direction: { section: '.rodata', type: 'u8', size: 1 },
    cfg_group_flow: { section: '.rodata', type: 'u8', size: 1 },
    cfg_group_stack: { section: '.rodata', type: 'u8', size: 1 },
    cfg_ifindex: { section: '.rodata', type: 'u32', size: 4 },
    cfg_netns_ino: { section: '.rodata', type: 'u32', size: 4 },
    cfg_pid: { section: '.rodata', type: 'u32', size: 4 },
    cfg_protocol: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_src_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_port: { section: '.rodata', type: 'u16', size: 2 },
  },
  counters: ['matched'],
} as const;

/** BTF struct drop_key (64 bytes). */
export interface DropKey {
  reason: number;
  stack_id: number;
  ifindex: number;
  netns: number;
  flow: NtFlow;
}
export const DropKeySize = 64;
export function decodeDropKey(v: DataView, o: number): DropKey {
  return {
    reason: v.getUint32(o + 0, true),
    stack_id: v.getInt32(o + 4, true),
    ifindex: v.getUint32(o + 8, true),
    netns: v.getUint32(o + 12, true),
    flow: decodeNtFlow(v, o + 16),
  };
}
/** Byte offset of each member of struct drop_key. */
export const DropKeyOffsets = {
  reason: 0,
  stack_id: 4,
  ifindex: 8,
  netns: 12,
  flow: 16,
} as const;
/** A zeroed DropKey (nested structs and arrays preallocated) for decodeDropKeyInto(). */
export function createDropKey(): DropKey {
  return {
    reason: 0,
    stack_id: 0,
    ifindex: 0,
    netns: 0,
    flow: createNtFlow(),
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeDropKeyInto(t: DropKey, v: DataView, o: number): DropKey {
  t.reason = v.getUint32(o + 0, true);
  t.stack_id = v.getInt32(o + 4, true);
  t.ifindex = v.getUint32(o + 8, true);
  t.netns = v.getUint32(o + 12, true);
  decodeNtFlowInto(t.flow, v, o + 16);
  return t;
}
export function readDropKeyReason(v: DataView, o: number): number {
  return v.getUint32(o + 0, true);
}
export function readDropKeyStackId(v: DataView, o: number): number {
  return v.getInt32(o + 4, true);
}
export function readDropKeyIfindex(v: DataView, o: number): number {
  return v.getUint32(o + 8, true);
}
export function readDropKeyNetns(v: DataView, o: number): number {
  return v.getUint32(o + 12, true);
}
export const DropKeyLayout: StructLayout<DropKey> = { name: 'drop_key', size: 64, decode: decodeDropKey, create: createDropKey, decodeInto: decodeDropKeyInto };

/** BTF struct drop_val (40 bytes). */
export interface DropVal {
  count: number;
  bytes: number;
  last_ns: number;
  ifname: string;
}
export const DropValSize = 40;
export function decodeDropVal(v: DataView, o: number): DropVal {
  return {
    count: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    bytes: (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296),
    last_ns: (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296),
    ifname: readCString(v, o + 24, 16),
  };
}
/** Byte offset of each member of struct drop_val. */
export const DropValOffsets = {
  count: 0,
  bytes: 8,
  last_ns: 16,
  ifname: 24,
} as const;
/** A zeroed DropVal (nested structs and arrays preallocated) for decodeDropValInto(). */
export function createDropVal(): DropVal {
  return {
    count: 0,
    bytes: 0,
    last_ns: 0,
    ifname: '',
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeDropValInto(t: DropVal, v: DataView, o: number): DropVal {
  t.count = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.bytes = (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
  t.last_ns = (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
  t.ifname = readCString(v, o + 24, 16);
  return t;
}
export function readDropValCount(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readDropValBytes(v: DataView, o: number): number {
  return (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
}
export function readDropValLastNs(v: DataView, o: number): number {
  return (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
}
export const DropValLayout: StructLayout<DropVal> = { name: 'drop_val', size: 40, decode: decodeDropVal, create: createDropVal, decodeInto: decodeDropValInto };
