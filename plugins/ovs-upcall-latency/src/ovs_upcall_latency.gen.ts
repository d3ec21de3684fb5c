// Generated from plugins/ovs-upcall-latency/bpf/ovs_upcall_latency.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { type NtHist, createNtHist, decodeNtHist, decodeNtHistInto, type StructLayout } from '@nettrace/core';
export { type NtHist, createNtHist, decodeNtHist, decodeNtHistInto };

/** What plugins/ovs-upcall-latency/bpf/ovs_upcall_latency.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load),
 * counters (NT_COUNTERS, read with ctx.counters()). */
export const contract = {
  object: new URL('./ovs_upcall_latency.bpf.o', import.meta.url),
  programs: {
    nt_ou_tp_upcall: 'tracepoint/openvswitch/ovs_dp_upcall',
    nt_ou_fe_upcall: 'fentry/ovs_dp_upcall',
    nt_ou_kp_upcall: 'kprobe/ovs_dp_upcall',
    nt_ou_fe_exec: 'fentry/ovs_packet_cmd_execute',
    nt_ou_kp_exec: 'kprobe/ovs_packet_cmd_execute',
  },
  maps: {
    per_kind: { type: 'percpu_array', keySize: 4, valueSize: 536, maxEntries: 4 },
    sessions: { type: 'lru_hash', keySize: 64, valueSize: 16, maxEntries: 10240 },
    counters: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 4 },
  },
  variables: {
    cfg_dst_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_dst_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_either_direction: { section: '.rodata', type: 'u8', size: 1 },
    cfg_ifindex: { section: '.rodata', type: 'u32', size: 4 },
    cfg_pid: { section: '.rodata', type: 'u32', size: 4 },
    cfg_protocol: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_src_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_port: { section: '.rodata', type: 'u16', size: 2 },
  },
  counters: ['action_upcalls', 'unkeyed', 'executes', 'executes_unmatched'],
} as const;

/** BTF enum flow_kind. */
export const FlowKind = {
  KIND_TCP: 0,
  KIND_UDP: 1,
  KIND_ICMP: 2,
  KIND_OTHER: 3,
  KINDS: 4,
} as const;
export type FlowKind = (typeof FlowKind)[keyof typeof FlowKind];

/** BTF struct kind_stats (536 bytes). */
export interface KindStats {
  upcalls: number;
  completed: number;
  latency_sum_ns: number;
  latency_us: NtHist;
}
export const KindStatsSize = 536;
export function decodeKindStats(v: DataView, o: number): KindStats {
  return {
    upcalls: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    completed: (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296),
    latency_sum_ns: (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296),
    latency_us: decodeNtHist(v, o + 24),
  };
}
/** Byte offset of each member of struct kind_stats. */
export const KindStatsOffsets = {
  upcalls: 0,
  completed: 8,
  latency_sum_ns: 16,
  latency_us: 24,
} as const;
/** A zeroed KindStats (nested structs and arrays preallocated) for decodeKindStatsInto(). */
export function createKindStats(): KindStats {
  return {
    upcalls: 0,
    completed: 0,
    latency_sum_ns: 0,
    latency_us: createNtHist(),
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeKindStatsInto(t: KindStats, v: DataView, o: number): KindStats {
  t.upcalls = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.completed = (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
  t.latency_sum_ns = (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
  decodeNtHistInto(t.latency_us, v, o + 24);
  return t;
}
export function readKindStatsUpcalls(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readKindStatsCompleted(v: DataView, o: number): number {
  return (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
}
export function readKindStatsLatencySumNs(v: DataView, o: number): number {
  return (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
}
export const KindStatsLayout: StructLayout<KindStats> = { name: 'kind_stats', size: 536, decode: decodeKindStats, create: createKindStats, decodeInto: decodeKindStatsInto };
