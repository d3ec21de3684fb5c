// Generated from plugins/tcp-perf-observer/bpf/tcp_perf_observer.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { readCString, type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto, type NtHist, createNtHist, decodeNtHist, decodeNtHistInto, type StructLayout } from '@nettrace/core';
export { type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto, type NtHist, createNtHist, decodeNtHist, decodeNtHistInto };

/** What plugins/tcp-perf-observer/bpf/tcp_perf_observer.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load). */
export const contract = {
  object: new URL('./tcp_perf_observer.bpf.o', import.meta.url),
  programs: {
    nt_tpo_prb_btf: 'tp_btf/tcp_probe',
    nt_tpo_prb_tp: 'tracepoint/tcp/tcp_probe',
    nt_tpo_st_btf: 'tp_btf/inet_sock_set_state',
    nt_tpo_st_tp: 'tracepoint/sock/inet_sock_set_state',
    nt_tpo_rtx_btf: 'tp_btf/tcp_retransmit_skb',
    nt_tpo_rtx_tp: 'tracepoint/tcp/tcp_retransmit_skb',
    nt_tpo_drop_btf: 'tp_btf/kfree_skb',
    nt_tpo_drop_tp: 'tracepoint/skb/kfree_skb',
  },
  maps: {
    events: { type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: 1048576 },
    events_lost: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 1 },
    events_perf: { type: 'perf_event_array', keySize: 4, valueSize: 4, maxEntries: 0 },
    events_scratch: { type: 'percpu_array', keySize: 4, valueSize: 1024, maxEntries: 1 },
    nt_tcp_scratch: { type: 'percpu_array', keySize: 4, valueSize: 96, maxEntries: 1 },
    totals: { type: 'percpu_array', keySize: 4, valueSize: 1232, maxEntries: 1 },
    conn_start: { type: 'hash', keySize: 8, valueSize: 32, maxEntries: 10240 },
    event_rate: { type: 'percpu_array', keySize: 4, valueSize: 16, maxEntries: 1 },
    probe_hits: { type: 'lru_hash', keySize: 48, valueSize: 8, maxEntries: 8192 },
  },
  variables: {
    cfg_connlat_threshold_us: { section: '.rodata', type: 'u32', size: 4 },
    cfg_dst_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_dst_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_either_direction: { section: '.rodata', type: 'u8', size: 1 },
    cfg_event_rate: { section: '.rodata', type: 'u32', size: 4 },
    cfg_events: { section: '.rodata', type: 'u8', size: 1 },
    cfg_every: { section: '.rodata', type: 'u32', size: 4 },
    cfg_ifindex: { section: '.rodata', type: 'u32', size: 4 },
    cfg_perf_buffer: { section: '.rodata', type: 'u8', size: 1 },
    cfg_pid: { section: '.rodata', type: 'u32', size: 4 },
    cfg_protocol: { section: '.rodata', type: 'u8', size: 1 },
    cfg_rtt_threshold_us: { section: '.rodata', type: 'u32', size: 4 },
    cfg_src_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_src_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_wakeup_bytes: { section: '.rodata', type: 'u64', size: 8 },
  },
} as const;

/** BTF enum tpo_event_type. */
export const TpoEventType = {
  EV_RTT: 1,
  EV_CONNLAT: 2,
  EV_RETRANS: 3,
  EV_DROP: 4,
} as const;
export type TpoEventType = (typeof TpoEventType)[keyof typeof TpoEventType];

/** BTF struct tcp_event (112 bytes). */
export interface TcpEvent {
  ts_ns: number;
  pid: number;
  type: number;
  state: number;
  metric_us: number;
  snd_cwnd: number;
  snd_ssthresh: number;
  total_retrans: number;
  err: number;
  reason: number;
  location: bigint;
  comm: string;
  flow: NtFlow;
}
export const TcpEventSize = 112;
export function decodeTcpEvent(v: DataView, o: number): TcpEvent {
  return {
    ts_ns: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    pid: v.getUint32(o + 8, true),
    type: v.getUint8(o + 12),
    state: v.getUint8(o + 13),
    metric_us: v.getUint32(o + 16, true),
    snd_cwnd: v.getUint32(o + 20, true),
    snd_ssthresh: v.getUint32(o + 24, true),
    total_retrans: v.getUint32(o + 28, true),
    err: v.getInt32(o + 32, true),
    reason: v.getUint32(o + 36, true),
    location: v.getBigUint64(o + 40, true),
    comm: readCString(v, o + 48, 16),
    flow: decodeNtFlow(v, o + 64),
  };
}
/** Byte offset of each member of struct tcp_event. */
export const TcpEventOffsets = {
  ts_ns: 0,
  pid: 8,
  type: 12,
  state: 13,
  metric_us: 16,
  snd_cwnd: 20,
  snd_ssthresh: 24,
  total_retrans: 28,
  err: 32,
  reason: 36,
  location: 40,
  comm: 48,
  flow: 64,
} as const;
/** A zeroed TcpEvent (nested structs and arrays preallocated) for decodeTcpEventInto(). */
export function createTcpEvent(): TcpEvent {
  return {
    ts_ns: 0,
    pid: 0,
    type: 0,
    state: 0,
    metric_us: 0,
    snd_cwnd: 0,
    snd_ssthresh: 0,
    total_retrans: 0,
    err: 0,
    reason: 0,
    location: 0n,
    comm: '',
    flow: createNtFlow(),
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeTcpEventInto(t: TcpEvent, v: DataView, o: number): TcpEvent {
  t.ts_ns = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.pid = v.getUint32(o + 8, true);
  t.type = v.getUint8(o + 12);
  t.state = v.getUint8(o + 13);
  t.metric_us = v.getUint32(o + 16, true);
  t.snd_cwnd = v.getUint32(o + 20, true);
  t.snd_ssthresh = v.getUint32(o + 24, true);
  t.total_retrans = v.getUint32(o + 28, true);
  t.err = v.getInt32(o + 32, true);
  t.reason = v.getUint32(o + 36, true);
  t.location = v.getBigUint64(o + 40, true);
  t.comm = readCString(v, o + 48, 16);
  decodeNtFlowInto(t.flow, v, o + 64);
  return t;
}
export function readTcpEventTsNs(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readTcpEventPid(v: DataView, o: number): number {
  return v.getUint32(o + 8, true);
}
export function readTcpEventType(v: DataView, o: number): number {
  return v.getUint8(o + 12);
}
export function readTcpEventState(v: DataView, o: number): number {
  return v.getUint8(o + 13);
}
export function readTcpEventMetricUs(v: DataView, o: number): number {
  return v.getUint32(o + 16, true);
}
export function readTcpEventSndCwnd(v: DataView, o: number): number {
  return v.getUint32(o + 20, true);
}
export function readTcpEventSndSsthresh(v: DataView, o: number): number {
  return v.getUint32(o + 24, true);
}
export function readTcpEventTotalRetrans(v: DataView, o: number): number {
  return v.getUint32(o + 28, true);
}
export function readTcpEventErr(v: DataView, o: number): number {
  return v.getInt32(o + 32, true);
}
export function readTcpEventReason(v: DataView, o: number): number {
  return v.getUint32(o + 36, true);
}
export function readTcpEventLocation(v: DataView, o: number): bigint {
  return v.getBigUint64(o + 40, true);
}
export const TcpEventLayout: StructLayout<TcpEvent> = { name: 'tcp_event', size: 112, decode: decodeTcpEvent, create: createTcpEvent, decodeInto: decodeTcpEventInto };

/** BTF struct totals (1232 bytes). */
export interface Totals {
  rtt: NtHist;
  connlat: NtHist;
  rtt_sum: number;
  connlat_sum: number;
  rtt_hits: number;
  rtt_samples: number;
  connects: number;
  connect_failures: number;
  retransmits: number;
  events_suppressed: number;
  connects_untracked: number;
  drops: number;
  state_entered: number[];
}
export const TotalsSize = 1232;
export function decodeTotals(v: DataView, o: number): Totals {
  return {
    rtt: decodeNtHist(v, o + 0),
    connlat: decodeNtHist(v, o + 512),
    rtt_sum: (v.getUint32(o + 1024, true) + v.getUint32(o + 1028, true) * 4294967296),
    connlat_sum: (v.getUint32(o + 1032, true) + v.getUint32(o + 1036, true) * 4294967296),
    rtt_hits: (v.getUint32(o + 1040, true) + v.getUint32(o + 1044, true) * 4294967296),
    rtt_samples: (v.getUint32(o + 1048, true) + v.getUint32(o + 1052, true) * 4294967296),
    connects: (v.getUint32(o + 1056, true) + v.getUint32(o + 1060, true) * 4294967296),
    connect_failures: (v.getUint32(o + 1064, true) + v.getUint32(o + 1068, true) * 4294967296),
    retransmits: (v.getUint32(o + 1072, true) + v.getUint32(o + 1076, true) * 4294967296),
    events_suppressed: (v.getUint32(o + 1080, true) + v.getUint32(o + 1084, true) * 4294967296),
    connects_untracked: (v.getUint32(o + 1088, true) + v.getUint32(o + 1092, true) * 4294967296),
    drops: (v.getUint32(o + 1096, true) + v.getUint32(o + 1100, true) * 4294967296),
    state_entered: Array.from({ length: 16 }, (_, i) => (v.getUint32(o + 1104 + i * 8, true) + v.getUint32(o + 1104 + i * 8 + 4, true) * 4294967296)),
  };
}
/** Byte offset of each member of struct totals. */
export const TotalsOffsets = {
  rtt: 0,
  connlat: 512,
  rtt_sum: 1024,
  connlat_sum: 1032,
  rtt_hits: 1040,
  rtt_samples: 1048,
  connects: 1056,
  connect_failures: 1064,
  retransmits: 1072,
  events_suppressed: 1080,
  connects_untracked: 1088,
  drops: 1096,
  state_entered: 1104,
} as const;
/** A zeroed Totals (nested structs and arrays preallocated) for decodeTotalsInto(). */
export function createTotals(): Totals {
  return {
    rtt: createNtHist(),
    connlat: createNtHist(),
    rtt_sum: 0,
    connlat_sum: 0,
    rtt_hits: 0,
    rtt_samples: 0,
    connects: 0,
    connect_failures: 0,
    retransmits: 0,
    events_suppressed: 0,
    connects_untracked: 0,
    drops: 0,
    state_entered: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeTotalsInto(t: Totals, v: DataView, o: number): Totals {
  decodeNtHistInto(t.rtt, v, o + 0);
  decodeNtHistInto(t.connlat, v, o + 512);
  t.rtt_sum = (v.getUint32(o + 1024, true) + v.getUint32(o + 1028, true) * 4294967296);
  t.connlat_sum = (v.getUint32(o + 1032, true) + v.getUint32(o + 1036, true) * 4294967296);
  t.rtt_hits = (v.getUint32(o + 1040, true) + v.getUint32(o + 1044, true) * 4294967296);
  t.rtt_samples = (v.getUint32(o + 1048, true) + v.getUint32(o + 1052, true) * 4294967296);
  t.connects = (v.getUint32(o + 1056, true) + v.getUint32(o + 1060, true) * 4294967296);
  t.connect_failures = (v.getUint32(o + 1064, true) + v.getUint32(o + 1068, true) * 4294967296);
  t.retransmits = (v.getUint32(o + 1072, true) + v.getUint32(o + 1076, true) * 4294967296);
  t.events_suppressed = (v.getUint32(o + 1080, true) + v.getUint32(o + 1084, true) * 4294967296);
  t.connects_untracked = (v.getUint32(o + 1088, true) + v.getUint32(o + 1092, true) * 4294967296);
  t.drops = (v.getUint32(o + 1096, true) + v.getUint32(o + 1100, true) * 4294967296);
  for (let i0 = 0; i0 < 16; i0++) {
    t.state_entered[i0] = (v.getUint32(o + 1104 + i0 * 8, true) + v.getUint32(o + 1104 + i0 * 8 + 4, true) * 4294967296);
  }
  return t;
}
export function readTotalsRttSum(v: DataView, o: number): number {
  return (v.getUint32(o + 1024, true) + v.getUint32(o + 1028, true) * 4294967296);
}
export function readTotalsConnlatSum(v: DataView, o: number): number {
  return (v.getUint32(o + 1032, true) + v.getUint32(o + 1036, true) * 4294967296);
}
export function readTotalsRttHits(v: DataView, o: number): number {
  return (v.getUint32(o + 1040, true) + v.getUint32(o + 1044, true) * 4294967296);
}
export function readTotalsRttSamples(v: DataView, o: number): number {
  return (v.getUint32(o + 1048, true) + v.getUint32(o + 1052, true) * 4294967296);
}
export function readTotalsConnects(v: DataView, o: number): number {
  return (v.getUint32(o + 1056, true) + v.getUint32(o + 1060, true) * 4294967296);
}
export function readTotalsConnectFailures(v: DataView, o: number): number {
  return (v.getUint32(o + 1064, true) + v.getUint32(o + 1068, true) * 4294967296);
}
export function readTotalsRetransmits(v: DataView, o: number): number {
  return (v.getUint32(o + 1072, true) + v.getUint32(o + 1076, true) * 4294967296);
}
export function readTotalsEventsSuppressed(v: DataView, o: number): number {
  return (v.getUint32(o + 1080, true) + v.getUint32(o + 1084, true) * 4294967296);
}
export function readTotalsConnectsUntracked(v: DataView, o: number): number {
  return (v.getUint32(o + 1088, true) + v.getUint32(o + 1092, true) * 4294967296);
}
export function readTotalsDrops(v: DataView, o: number): number {
  return (v.getUint32(o + 1096, true) + v.getUint32(o + 1100, true) * 4294967296);
}
export const TotalsLayout: StructLayout<Totals> = { name: 'totals', size: 1232, decode: decodeTotals, create: createTotals, decodeInto: decodeTotalsInto };
