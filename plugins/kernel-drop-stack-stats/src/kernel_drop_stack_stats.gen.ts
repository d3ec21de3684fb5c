// Generated from the BTF of kernel-drop-stack-stats/bpf/kernel_drop_stack_stats.bpf.c by tooling/src/gen-types.mjs. Do not edit.
import { readBytes, readU64, type StructLayout } from '@nettrace/core';

/** BTF struct drop_key (64 bytes). */
export interface DropKey {
  reason: number;
  stack_id: number;
  ifindex: number;
  flow: NtFlow;
}
export const DropKeySize = 64;
export function decodeDropKey(v: DataView, o: number): DropKey {
  return {
    reason: v.getUint32(o + 0, true),
    stack_id: v.getInt32(o + 4, true),
    ifindex: v.getUint32(o + 8, true),
    flow: decodeNtFlow(v, o + 16),
  };
}
export const DropKeyLayout: StructLayout<DropKey> = { name: 'drop_key', size: 64, decode: decodeDropKey };

/** BTF struct drop_val (24 bytes). */
export interface DropVal {
  count: number;
  bytes: number;
  last_ns: number;
}
export const DropValSize = 24;
export function decodeDropVal(v: DataView, o: number): DropVal {
  return {
    count: readU64(v, o + 0),
    bytes: readU64(v, o + 8),
    last_ns: readU64(v, o + 16),
  };
}
export const DropValLayout: StructLayout<DropVal> = { name: 'drop_val', size: 24, decode: decodeDropVal };

/** BTF struct nt_flow (48 bytes). */
export interface NtFlow {
  family: number;
  protocol: number;
  sport: number;
  dport: number;
  l3_len: number;
  saddr: Uint8Array;
  daddr: Uint8Array;
  icmp_type: number;
  icmp_code: number;
  icmp_id: number;
  icmp_seq: number;
}
export const NtFlowSize = 48;
export function decodeNtFlow(v: DataView, o: number): NtFlow {
  return {
    family: v.getUint8(o + 0),
    protocol: v.getUint8(o + 1),
    sport: v.getUint16(o + 2, true),
    dport: v.getUint16(o + 4, true),
    l3_len: v.getUint16(o + 6, true),
    saddr: readBytes(v, o + 8, 16),
    daddr: readBytes(v, o + 24, 16),
    icmp_type: v.getUint8(o + 40),
    icmp_code: v.getUint8(o + 41),
    icmp_id: v.getUint16(o + 42, true),
    icmp_seq: v.getUint16(o + 44, true),
  };
}
export const NtFlowLayout: StructLayout<NtFlow> = { name: 'nt_flow', size: 48, decode: decodeNtFlow };
