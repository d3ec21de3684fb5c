// Generated from plugins/tcp-send-rtt-inflight-hist/bpf/tcp_send_rtt_inflight_hist.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { type NtHist, createNtHist, decodeNtHist, decodeNtHistInto, type NtTcpBw, createNtTcpBw, decodeNtTcpBw, decodeNtTcpBwInto, type NtTcpMetrics, createNtTcpMetrics, decodeNtTcpMetrics, decodeNtTcpMetricsInto, type StructLayout } from '@nettrace/core';
export { type NtHist, createNtHist, decodeNtHist, decodeNtHistInto, type NtTcpBw, createNtTcpBw, decodeNtTcpBw, decodeNtTcpBwInto, type NtTcpMetrics, createNtTcpMetrics, decodeNtTcpMetrics, decodeNtTcpMetricsInto };

/** What plugins/tcp-send-rtt-inflight-hist/bpf/tcp_send_rtt_inflight_hist.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load),
 * counters (NT_COUNTERS, read with ctx.counters()). */
export const contract = {
  object: new URL('./tcp_send_rtt_inflight_hist.bpf.o', import.meta.url),
  programs: {
    nt_tsr_sent_fe: 'fentry/tcp_rate_skb_sent',
    nt_tsr_sent_kp: 'kprobe/tcp_rate_skb_sent',
    nt_tsr_xmit_btf: 'tp_btf/net_dev_start_xmit',
    nt_tsr_xmit_tp: 'tracepoint/net/net_dev_start_xmit',
    nt_tsr_rtx_btf: 'tp_btf/tcp_retransmit_skb',
    nt_tsr_rtx_tp: 'tracepoint/tcp/tcp_retransmit_skb',
  },
  maps: {
    nt_tcp_scratch: { type: 'percpu_array', keySize: 4, valueSize: 96, maxEntries: 1 },
    counters: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 6 },
    totals: { type: 'percpu_array', keySize: 4, valueSize: 2088, maxEntries: 1 },
    flows: { type: 'hash', keySize: 48, valueSize: 96, maxEntries: 4096 },
  },
  variables: {
    cfg_bw: { section: '.rodata', type: 'u8', size: 1 },
    cfg_bw_step: { section: '.rodata', type: 'u32', size: 4 },
    cfg_dst_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_dst_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_either_direction: { section: '.rodata', type: 'u8', size: 1 },
    cfg_every: { section: '.rodata', type: 'u32', size: 4 },
    cfg_ifindex: { section: '.rodata', type: 'u32', size: 4 },
    cfg_netns_ino: { section: '.rodata', type: 'u32', size: 4 },
    cfg_pid: { section: '.rodata', type: 'u32', size: 4 },
    cfg_protocol: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_src_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_port: { section: '.rodata', type: 'u16', size: 2 },
  },
  counters: ['sends', 'samples', 'no_rtt', 'retransmits', 'retrans_failed', 'untracked'],
} as const;

/** BTF struct send_flow (96 bytes). */
export interface SendFlow {
  sends: number;
  samples: number;
  retransmits: number;
  rtt_sum: number;
  max_retrans_out: number;
  max_lost_out: number;
  last: NtTcpMetrics;
}
export const SendFlowSize = 96;
export function decodeSendFlow(v: DataView, o: number): SendFlow {
  return {
    sends: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    samples: (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296),
    retransmits: (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296),
    rtt_sum: (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296),
    max_retrans_out: v.getUint32(o + 32, true),
    max_lost_out: v.getUint32(o + 36, true),
    last: decodeNtTcpMetrics(v, o + 40),
  };
}
/** Byte offset of each member of struct send_flow. */
export const SendFlowOffsets = {
  sends: 0,
  samples: 8,
  retransmits: 16,
  rtt_sum: 24,
  max_retrans_out: 32,
  max_lost_out: 36,
  last: 40,
} as const;
/** A zeroed SendFlow (nested structs and arrays preallocated) for decodeSendFlowInto(). */
export function createSendFlow(): SendFlow {
  return {
    sends: 0,
    samples: 0,
    retransmits: 0,
    rtt_sum: 0,
    max_retrans_out: 0,
    max_lost_out: 0,
    last: createNtTcpMetrics(),
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeSendFlowInto(t: SendFlow, v: DataView, o: number): SendFlow {
  t.sends = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.samples = (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
  t.retransmits = (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
  t.rtt_sum = (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296);
  t.max_retrans_out = v.getUint32(o + 32, true);
  t.max_lost_out = v.getUint32(o + 36, true);
  decodeNtTcpMetricsInto(t.last, v, o + 40);
  return t;
}
export function readSendFlowSends(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readSendFlowSamples(v: DataView, o: number): number {
  return (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
}
export function readSendFlowRetransmits(v: DataView, o: number): number {
  return (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
}
export function readSendFlowRttSum(v: DataView, o: number): number {
  return (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296);
}
export function readSendFlowMaxRetransOut(v: DataView, o: number): number {
  return v.getUint32(o + 32, true);
}
export function readSendFlowMaxLostOut(v: DataView, o: number): number {
  return v.getUint32(o + 36, true);
}
export const SendFlowLayout: StructLayout<SendFlow> = { name: 'send_flow', size: 96, decode: decodeSendFlow, create: createSendFlow, decodeInto: decodeSendFlowInto };

/** BTF struct totals (2088 bytes). */
export interface Totals {
  rtt: NtHist;
  inflight: NtHist;
  cwnd: NtHist;
  rtt_sum: number;
  inflight_sum: number;
  cwnd_sum: number;
  bw: NtTcpBw;
}
export const TotalsSize = 2088;
export function decodeTotals(v: DataView, o: number): Totals {
  return {
    rtt: decodeNtHist(v, o + 0),
    inflight: decodeNtHist(v, o + 512),
    cwnd: decodeNtHist(v, o + 1024),
    rtt_sum: (v.getUint32(o + 1536, true) + v.getUint32(o + 1540, true) * 4294967296),
    inflight_sum: (v.getUint32(o + 1544, true) + v.getUint32(o + 1548, true) * 4294967296),
    cwnd_sum: (v.getUint32(o + 1552, true) + v.getUint32(o + 1556, true) * 4294967296),
    bw: decodeNtTcpBw(v, o + 1560),
  };
}
/** Byte offset of each member of struct totals. */
export const TotalsOffsets = {
  rtt: 0,
  inflight: 512,
  cwnd: 1024,
  rtt_sum: 1536,
  inflight_sum: 1544,
  cwnd_sum: 1552,
  bw: 1560,
} as const;
/** A zeroed Totals (nested structs and arrays preallocated) for decodeTotalsInto(). */
export function createTotals(): Totals {
  return {
    rtt: createNtHist(),
    inflight: createNtHist(),
    cwnd: createNtHist(),
    rtt_sum: 0,
    inflight_sum: 0,
    cwnd_sum: 0,
    bw: createNtTcpBw(),
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeTotalsInto(t: Totals, v: DataView, o: number): Totals {
  decodeNtHistInto(t.rtt, v, o + 0);
  decodeNtHistInto(t.inflight, v, o + 512);
  decodeNtHistInto(t.cwnd, v, o + 1024);
  t.rtt_sum = (v.getUint32(o + 1536, true) + v.getUint32(o + 1540, true) * 4294967296);
  t.inflight_sum = (v.getUint32(o + 1544, true) + v.getUint32(o + 1548, true) * 4294967296);
  t.cwnd_sum = (v.getUint32(o + 1552, true) + v.getUint32(o + 1556, true) * 4294967296);
  decodeNtTcpBwInto(t.bw, v, o + 1560);
  return t;
}
export function readTotalsRttSum(v: DataView, o: number): number {
  return (v.getUint32(o + 1536, true) + v.getUint32(o + 1540, true) * 4294967296);
}
export function readTotalsInflightSum(v: DataView, o: number): number {
  return (v.getUint32(o + 1544, true) + v.getUint32(o + 1548, true) * 4294967296);
}
export function readTotalsCwndSum(v: DataView, o: number): number {
  return (v.getUint32(o + 1552, true) + v.getUint32(o + 1556, true) * 4294967296);
}
export const TotalsLayout: StructLayout<Totals> = { name: 'totals', size: 2088, decode: decodeTotals, create: createTotals, decodeInto: decodeTotalsInto };
