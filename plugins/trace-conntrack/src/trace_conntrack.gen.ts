// Generated from plugins/trace-conntrack/bpf/trace_conntrack.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { readCString, type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto, type StructLayout } from '@nettrace/core';
export { type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto };

/** What plugins/trace-conntrack/bpf/trace_conntrack.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load),
 * counters (NT_COUNTERS, read with ctx.counters()). */
export const contract = {
  object: new URL('./trace_conntrack.bpf.o', import.meta.url),
  programs: {
    nt_ct_in_fe: 'fentry/nf_conntrack_in',
    nt_ct_in_kp: 'kprobe/nf_conntrack_in',
    nt_ct_in_fx: 'fexit/nf_conntrack_in',
    nt_ct_in_kr: 'kretprobe/nf_conntrack_in',
    nt_ct_xmit_btf: 'tp_btf/net_dev_start_xmit',
    nt_ct_xmit_tp: 'tracepoint/net/net_dev_start_xmit',
    nt_ct_tcp_fe: 'fentry/nf_conntrack_tcp_packet',
    nt_ct_tcp_kp: 'kprobe/nf_conntrack_tcp_packet',
    nt_ct_tcp_fx: 'fexit/nf_conntrack_tcp_packet',
    nt_ct_tcp_kr: 'kretprobe/nf_conntrack_tcp_packet',
    nt_ct_ref_fe: 'fentry/__nf_ct_refresh_acct',
    nt_ct_ref_kp: 'kprobe/__nf_ct_refresh_acct',
    nt_ct_cf_fe: 'fentry/__nf_conntrack_confirm',
    nt_ct_cf_kp: 'kprobe/__nf_conntrack_confirm',
    nt_ct_cf_fx: 'fexit/__nf_conntrack_confirm',
    nt_ct_cf_kr: 'kretprobe/__nf_conntrack_confirm',
    nt_ct_ds_fe: 'fentry/nf_ct_destroy',
    nt_ct_ds_kp: 'kprobe/nf_ct_destroy',
    nt_ct_ds_fe_old: 'fentry/destroy_conntrack',
    nt_ct_ds_kp_old: 'kprobe/destroy_conntrack',
    nt_ct_ox_fe: 'fentry/ovs_ct_execute',
    nt_ct_ox_kp: 'kprobe/ovs_ct_execute',
    nt_ct_ox_fx: 'fexit/ovs_ct_execute',
    nt_ct_ox_kr: 'kretprobe/ovs_ct_execute',
    nt_ct_ol_fe: 'fentry/__ovs_ct_lookup',
    nt_ct_ol_kp: 'kprobe/__ovs_ct_lookup',
    nt_ct_ou_fe: 'fentry/__ovs_ct_update_key',
    nt_ct_ou_kp: 'kprobe/__ovs_ct_update_key',
  },
  maps: {
    events: { type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: 1048576 },
    events_lost: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 1 },
    events_perf: { type: 'perf_event_array', keySize: 4, valueSize: 4, maxEntries: 0 },
    events_scratch: { type: 'percpu_array', keySize: 4, valueSize: 1024, maxEntries: 1 },
    stacks: { type: 'stack_trace', keySize: 4, valueSize: 256, maxEntries: 4096 },
    counters: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 2 },
    per_point: { type: 'percpu_array', keySize: 4, valueSize: 32, maxEntries: 9 },
    scratch: { type: 'percpu_array', keySize: 4, valueSize: 256, maxEntries: 1 },
    in_frames: { type: 'lru_hash', keySize: 8, valueSize: 200, maxEntries: 4096 },
    tcp_frames: { type: 'lru_hash', keySize: 8, valueSize: 200, maxEntries: 4096 },
    confirm_frames: { type: 'lru_hash', keySize: 8, valueSize: 200, maxEntries: 4096 },
    ovs_frames: { type: 'lru_hash', keySize: 8, valueSize: 200, maxEntries: 4096 },
  },
  variables: {
    cfg_dst_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_dst_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_either_direction: { section: '.rodata', type: 'u8', size: 1 },
    cfg_ifindex: { section: '.rodata', type: 'u32', size: 4 },
    cfg_netns_ino: { section: '.rodata', type: 'u32', size: 4 },
    cfg_perf_buffer: { section: '.rodata', type: 'u8', size: 1 },
    cfg_pid: { section: '.rodata', type: 'u32', size: 4 },
    cfg_protocol: { section: '.rodata', type: 'u8', size: 1 },
    cfg_rules_count: { section: '.rodata', type: 'u8', size: 1 },
    cfg_rules_dst_family: { section: '.rodata', type: 'u8[8]', size: 8 },
    cfg_rules_dst_ip: { section: '.rodata', type: 'u8[16][8]', size: 128 },
    cfg_rules_dst_port: { section: '.rodata', type: 'u16[8]', size: 16 },
    cfg_rules_protocol: { section: '.rodata', type: 'u8[8]', size: 8 },
    cfg_rules_src_family: { section: '.rodata', type: 'u8[8]', size: 8 },
    cfg_rules_src_ip: { section: '.rodata', type: 'u8[16][8]', size: 128 },
    cfg_rules_src_port: { section: '.rodata', type: 'u16[8]', size: 16 },
    cfg_src_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_src_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_stack: { section: '.rodata', type: 'u8', size: 1 },
    cfg_wakeup_bytes: { section: '.rodata', type: 'u64', size: 8 },
    confirm_frames_empty: { section: '.rodata', type: 'struct confirm_frames_stack', size: 200 },
    in_frames_empty: { section: '.rodata', type: 'struct in_frames_stack', size: 200 },
    ovs_frames_empty: { section: '.rodata', type: 'struct ovs_frames_stack', size: 200 },
    tcp_frames_empty: { section: '.rodata', type: 'struct tcp_frames_stack', size: 200 },
  },
  counters: ['unmatched_returns', 'too_deep'],
} as const;

/** BTF enum ct_point. */
export const CtPoint = {
  CT_IN: 0,
  CT_TCP: 1,
  CT_REFRESH: 2,
  CT_NEW: 3,
  CT_DESTROY: 4,
  CT_XMIT: 5,
  CT_OVS_EXEC: 6,
  CT_OVS_LOOKUP: 7,
  CT_OVS_UPDATE: 8,
  CT_POINTS: 9,
} as const;
export type CtPoint = (typeof CtPoint)[keyof typeof CtPoint];

/** BTF enum ct_class. */
export const CtClass = {
  CT_CLASS_TCP: 0,
  CT_CLASS_UDP: 1,
  CT_CLASS_ICMP: 2,
  CT_CLASS_OTHER: 3,
  CT_CLASSES: 4,
} as const;
export type CtClass = (typeof CtClass)[keyof typeof CtClass];

/** BTF struct ct_event (256 bytes). */
export interface CtEvent {
  ts_ns: number;
  ct: bigint;
  skb: bigint;
  status: number;
  verdict: number;
  stack_id: number;
  pid: number;
  cpu: number;
  netns: number;
  ifindex: number;
  mark: number;
  tcp_seq: number;
  tcp_ack: number;
  zone: number;
  ip_id: number;
  point: number;
  ctinfo: number;
  tcp_state_before: number;
  tcp_state: number;
  tcp_flags: number;
  zone_dir: number;
  ovs_state: number;
  ovs_commit: number;
  comm: string;
  ifname: string;
  pkt: NtFlow;
  orig: NtFlow;
  reply: NtFlow;
}
export const CtEventSize = 256;
export function decodeCtEvent(v: DataView, o: number): CtEvent {
  return {
    ts_ns: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    ct: v.getBigUint64(o + 8, true),
    skb: v.getBigUint64(o + 16, true),
    status: (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296),
    verdict: v.getInt32(o + 32, true),
    stack_id: v.getInt32(o + 36, true),
    pid: v.getUint32(o + 40, true),
    cpu: v.getUint32(o + 44, true),
    netns: v.getUint32(o + 48, true),
    ifindex: v.getUint32(o + 52, true),
    mark: v.getUint32(o + 56, true),
    tcp_seq: v.getUint32(o + 60, true),
    tcp_ack: v.getUint32(o + 64, true),
    zone: v.getUint16(o + 68, true),
    ip_id: v.getUint16(o + 70, true),
    point: v.getUint8(o + 72),
    ctinfo: v.getUint8(o + 73),
    tcp_state_before: v.getUint8(o + 74),
    tcp_state: v.getUint8(o + 75),
    tcp_flags: v.getUint8(o + 76),
    zone_dir: v.getUint8(o + 77),
    ovs_state: v.getUint8(o + 78),
    ovs_commit: v.getUint8(o + 79),
    comm: readCString(v, o + 80, 16),
    ifname: readCString(v, o + 96, 16),
    pkt: decodeNtFlow(v, o + 112),
    orig: decodeNtFlow(v, o + 160),
    reply: decodeNtFlow(v, o + 208),
  };
}
/** Byte offset of each member of struct ct_event. */
export const CtEventOffsets = {
  ts_ns: 0,
  ct: 8,
  skb: 16,
  status: 24,
  verdict: 32,
  stack_id: 36,
  pid: 40,
  cpu: 44,
  netns: 48,
  ifindex: 52,
  mark: 56,
  tcp_seq: 60,
  tcp_ack: 64,
  zone: 68,
  ip_id: 70,
  point: 72,
  ctinfo: 73,
  tcp_state_before: 74,
  tcp_state: 75,
  tcp_flags: 76,
  zone_dir: 77,
  ovs_state: 78,
  ovs_commit: 79,
  comm: 80,
  ifname: 96,
  pkt: 112,
  orig: 160,
  reply: 208,
} as const;
/** A zeroed CtEvent (nested structs and arrays preallocated) for decodeCtEventInto(). */
export function createCtEvent(): CtEvent {
  return {
    ts_ns: 0,
    ct: 0n,
    skb: 0n,
    status: 0,
    verdict: 0,
    stack_id: 0,
    pid: 0,
    cpu: 0,
    netns: 0,
    ifindex: 0,
    mark: 0,
    tcp_seq: 0,
    tcp_ack: 0,
    zone: 0,
    ip_id: 0,
    point: 0,
    ctinfo: 0,
    tcp_state_before: 0,
    tcp_state: 0,
    tcp_flags: 0,
    zone_dir: 0,
    ovs_state: 0,
    ovs_commit: 0,
    comm: '',
    ifname: '',
    pkt: createNtFlow(),
    orig: createNtFlow(),
    reply: createNtFlow(),
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeCtEventInto(t: CtEvent, v: DataView, o: number): CtEvent {
  t.ts_ns = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.ct = v.getBigUint64(o + 8, true);
  t.skb = v.getBigUint64(o + 16, true);
  t.status = (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296);
  t.verdict = v.getInt32(o + 32, true);
  t.stack_id = v.getInt32(o + 36, true);
  t.pid = v.getUint32(o + 40, true);
  t.cpu = v.getUint32(o + 44, true);
  t.netns = v.getUint32(o + 48, true);
  t.ifindex = v.getUint32(o + 52, true);
  t.mark = v.getUint32(o + 56, true);
  t.tcp_seq = v.getUint32(o + 60, true);
  t.tcp_ack = v.getUint32(o + 64, true);
  t.zone = v.getUint16(o + 68, true);
  t.ip_id = v.getUint16(o + 70, true);
  t.point = v.getUint8(o + 72);
  t.ctinfo = v.getUint8(o + 73);
  t.tcp_state_before = v.getUint8(o + 74);
  t.tcp_state = v.getUint8(o + 75);
  t.tcp_flags = v.getUint8(o + 76);
  t.zone_dir = v.getUint8(o + 77);
  t.ovs_state = v.getUint8(o + 78);
  t.ovs_commit = v.getUint8(o + 79);
  t.comm = readCString(v, o + 80, 16);
  t.ifname = readCString(v, o + 96, 16);
  decodeNtFlowInto(t.pkt, v, o + 112);
  decodeNtFlowInto(t.orig, v, o + 160);
  decodeNtFlowInto(t.reply, v, o + 208);
  return t;
}
export function readCtEventTsNs(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readCtEventCt(v: DataView, o: number): bigint {
  return v.getBigUint64(o + 8, true);
}
export function readCtEventSkb(v: DataView, o: number): bigint {
  return v.getBigUint64(o + 16, true);
}
export function readCtEventStatus(v: DataView, o: number): number {
  return (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296);
}
export function readCtEventVerdict(v: DataView, o: number): number {
  return v.getInt32(o + 32, true);
}
export function readCtEventStackId(v: DataView, o: number): number {
  return v.getInt32(o + 36, true);
}
export function readCtEventPid(v: DataView, o: number): number {
  return v.getUint32(o + 40, true);
}
export function readCtEventCpu(v: DataView, o: number): number {
  return v.getUint32(o + 44, true);
}
export function readCtEventNetns(v: DataView, o: number): number {
  return v.getUint32(o + 48, true);
}
export function readCtEventIfindex(v: DataView, o: number): number {
  return v.getUint32(o + 52, true);
}
export function readCtEventMark(v: DataView, o: number): number {
  return v.getUint32(o + 56, true);
}
export function readCtEventTcpSeq(v: DataView, o: number): number {
  return v.getUint32(o + 60, true);
}
export function readCtEventTcpAck(v: DataView, o: number): number {
  return v.getUint32(o + 64, true);
}
export function readCtEventZone(v: DataView, o: number): number {
  return v.getUint16(o + 68, true);
}
export function readCtEventIpId(v: DataView, o: number): number {
  return v.getUint16(o + 70, true);
}
export function readCtEventPoint(v: DataView, o: number): number {
  return v.getUint8(o + 72);
}
export function readCtEventCtinfo(v: DataView, o: number): number {
  return v.getUint8(o + 73);
}
export function readCtEventTcpStateBefore(v: DataView, o: number): number {
  return v.getUint8(o + 74);
}
export function readCtEventTcpState(v: DataView, o: number): number {
  return v.getUint8(o + 75);
}
export function readCtEventTcpFlags(v: DataView, o: number): number {
  return v.getUint8(o + 76);
}
export function readCtEventZoneDir(v: DataView, o: number): number {
  return v.getUint8(o + 77);
}
export function readCtEventOvsState(v: DataView, o: number): number {
  return v.getUint8(o + 78);
}
export function readCtEventOvsCommit(v: DataView, o: number): number {
  return v.getUint8(o + 79);
}
export const CtEventLayout: StructLayout<CtEvent> = { name: 'ct_event', size: 256, decode: decodeCtEvent, create: createCtEvent, decodeInto: decodeCtEventInto };

/** BTF struct per_point_counts (32 bytes). */
export interface PerPointCounts {
  kinds: number[];
}
export const PerPointCountsSize = 32;
export function decodePerPointCounts(v: DataView, o: number): PerPointCounts {
  return {
    kinds: Array.from({ length: 4 }, (_, i) => (v.getUint32(o + 0 + i * 8, true) + v.getUint32(o + 0 + i * 8 + 4, true) * 4294967296)),
  };
}
/** Byte offset of each member of struct per_point_counts. */
export const PerPointCountsOffsets = {
  kinds: 0,
} as const;
/** A zeroed PerPointCounts (nested structs and arrays preallocated) for decodePerPointCountsInto(). */
export function createPerPointCounts(): PerPointCounts {
  return {
    kinds: [0, 0, 0, 0],
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodePerPointCountsInto(t: PerPointCounts, v: DataView, o: number): PerPointCounts {
  for (let i0 = 0; i0 < 4; i0++) {
    t.kinds[i0] = (v.getUint32(o + 0 + i0 * 8, true) + v.getUint32(o + 0 + i0 * 8 + 4, true) * 4294967296);
  }
  return t;
}
export const PerPointCountsLayout: StructLayout<PerPointCounts> = { name: 'per_point_counts', size: 32, decode: decodePerPointCounts, create: createPerPointCounts, decodeInto: decodePerPointCountsInto };
