// Generated from plugins/tcp-rtt-inflight-hist/bpf/tcp_rtt_inflight_hist.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { type NtHist, createNtHist, decodeNtHist, decodeNtHistInto, type NtTcpBw, createNtTcpBw, decodeNtTcpBw, decodeNtTcpBwInto, type StructLayout } from '@nettrace/core';
export { type NtHist, createNtHist, decodeNtHist, decodeNtHistInto, type NtTcpBw, createNtTcpBw, decodeNtTcpBw, decodeNtTcpBwInto };

/** What plugins/tcp-rtt-inflight-hist/bpf/tcp_rtt_inflight_hist.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load). */
export const contract = {
  object: new URL('./tcp_rtt_inflight_hist.bpf.o', import.meta.url),
  programs: {
    nt_trih_btf: 'tp_btf/tcp_probe',
    nt_trih_tp: 'tracepoint/tcp/tcp_probe',
  },
  maps: {
    nt_tcp_scratch: { type: 'percpu_array', keySize: 4, valueSize: 96, maxEntries: 1 },
    totals: { type: 'percpu_array', keySize: 4, valueSize: 2128, maxEntries: 1 },
    flows: { type: 'lru_hash', keySize: 48, valueSize: 40, maxEntries: 8192 },
    hist_2d: { type: 'percpu_hash', keySize: 8, valueSize: 8, maxEntries: 4096 },
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
    cfg_inflight_bytes: { section: '.rodata', type: 'u8', size: 1 },
    cfg_pid: { section: '.rodata', type: 'u32', size: 4 },
    cfg_protocol: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_src_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_port: { section: '.rodata', type: 'u16', size: 2 },
  },
} as const;

/** BTF struct cell (8 bytes). */
export interface Cell {
  rtt_slot: number;
  inflight_slot: number;
}
export const CellSize = 8;
export function decodeCell(v: DataView, o: number): Cell {
  return {
    rtt_slot: v.getUint32(o + 0, true),
    inflight_slot: v.getUint32(o + 4, true),
  };
}
/** Byte offset of each member of struct cell. */
export const CellOffsets = {
  rtt_slot: 0,
  inflight_slot: 4,
} as const;
/** A zeroed Cell (nested structs and arrays preallocated) for decodeCellInto(). */
export function createCell(): Cell {
  return {
    rtt_slot: 0,
    inflight_slot: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeCellInto(t: Cell, v: DataView, o: number): Cell {
  t.rtt_slot = v.getUint32(o + 0, true);
  t.inflight_slot = v.getUint32(o + 4, true);
  return t;
}
export function readCellRttSlot(v: DataView, o: number): number {
  return v.getUint32(o + 0, true);
}
export function readCellInflightSlot(v: DataView, o: number): number {
  return v.getUint32(o + 4, true);
}
export const CellLayout: StructLayout<Cell> = { name: 'cell', size: 8, decode: decodeCell, create: createCell, decodeInto: decodeCellInto };

/** BTF struct probe_flow (40 bytes). */
export interface ProbeFlow {
  hits: number;
  first_total_retrans: number;
  total_retrans: number;
  retrans_out: number;
  lost_out: number;
  max_retrans_out: number;
  max_lost_out: number;
  known: number;
}
export const ProbeFlowSize = 40;
export function decodeProbeFlow(v: DataView, o: number): ProbeFlow {
  return {
    hits: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    first_total_retrans: v.getUint32(o + 8, true),
    total_retrans: v.getUint32(o + 12, true),
    retrans_out: v.getUint32(o + 16, true),
    lost_out: v.getUint32(o + 20, true),
    max_retrans_out: v.getUint32(o + 24, true),
    max_lost_out: v.getUint32(o + 28, true),
    known: v.getUint8(o + 32),
  };
}
/** Byte offset of each member of struct probe_flow. */
export const ProbeFlowOffsets = {
  hits: 0,
  first_total_retrans: 8,
  total_retrans: 12,
  retrans_out: 16,
  lost_out: 20,
  max_retrans_out: 24,
  max_lost_out: 28,
  known: 32,
} as const;
/** A zeroed ProbeFlow (nested structs and arrays preallocated) for decodeProbeFlowInto(). */
export function createProbeFlow(): ProbeFlow {
  return {
    hits: 0,
    first_total_retrans: 0,
    total_retrans: 0,
    retrans_out: 0,
    lost_out: 0,
    max_retrans_out: 0,
    max_lost_out: 0,
    known: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeProbeFlowInto(t: ProbeFlow, v: DataView, o: number): ProbeFlow {
  t.hits = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.first_total_retrans = v.getUint32(o + 8, true);
  t.total_retrans = v.getUint32(o + 12, true);
  t.retrans_out = v.getUint32(o + 16, true);
  t.lost_out = v.getUint32(o + 20, true);
  t.max_retrans_out = v.getUint32(o + 24, true);
  t.max_lost_out = v.getUint32(o + 28, true);
  t.known = v.getUint8(o + 32);
  return t;
}
export function readProbeFlowHits(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readProbeFlowFirstTotalRetrans(v: DataView, o: number): number {
  return v.getUint32(o + 8, true);
}
export function readProbeFlowTotalRetrans(v: DataView, o: number): number {
  return v.getUint32(o + 12, true);
}
export function readProbeFlowRetransOut(v: DataView, o: number): number {
  return v.getUint32(o + 16, true);
}
export function readProbeFlowLostOut(v: DataView, o: number): number {
  return v.getUint32(o + 20, true);
}
export function readProbeFlowMaxRetransOut(v: DataView, o: number): number {
  return v.getUint32(o + 24, true);
}
export function readProbeFlowMaxLostOut(v: DataView, o: number): number {
  return v.getUint32(o + 28, true);
}
export function readProbeFlowKnown(v: DataView, o: number): number {
  return v.getUint8(o + 32);
}
export const ProbeFlowLayout: StructLayout<ProbeFlow> = { name: 'probe_flow', size: 40, decode: decodeProbeFlow, create: createProbeFlow, decodeInto: decodeProbeFlowInto };

/** BTF struct totals (2128 bytes). */
export interface Totals {
  rtt: NtHist;
  inflight: NtHist;
  cwnd: NtHist;
  hits: number;
  samples: number;
  no_inflight: number;
  cells_missed: number;
  flows_untracked: number;
  rtt_sum: number;
  inflight_sum: number;
  cwnd_sum: number;
  bw: NtTcpBw;
}
export const TotalsSize = 2128;
export function decodeTotals(v: DataView, o: number): Totals {
  return {
    rtt: decodeNtHist(v, o + 0),
    inflight: decodeNtHist(v, o + 512),
    cwnd: decodeNtHist(v, o + 1024),
    hits: (v.getUint32(o + 1536, true) + v.getUint32(o + 1540, true) * 4294967296),
    samples: (v.getUint32(o + 1544, true) + v.getUint32(o + 1548, true) * 4294967296),
    no_inflight: (v.getUint32(o + 1552, true) + v.getUint32(o + 1556, true) * 4294967296),
    cells_missed: (v.getUint32(o + 1560, true) + v.getUint32(o + 1564, true) * 4294967296),
    flows_untracked: (v.getUint32(o + 1568, true) + v.getUint32(o + 1572, true) * 4294967296),
    rtt_sum: (v.getUint32(o + 1576, true) + v.getUint32(o + 1580, true) * 4294967296),
    inflight_sum: (v.getUint32(o + 1584, true) + v.getUint32(o + 1588, true) * 4294967296),
    cwnd_sum: (v.getUint32(o + 1592, true) + v.getUint32(o + 1596, true) * 4294967296),
    bw: decodeNtTcpBw(v, o + 1600),
  };
}
/** Byte offset of each member of struct totals. */
export const TotalsOffsets = {
  rtt: 0,
  inflight: 512,
  cwnd: 1024,
  hits: 1536,
  samples: 1544,
  no_inflight: 1552,
  cells_missed: 1560,
  flows_untracked: 1568,
  rtt_sum: 1576,
  inflight_sum: 1584,
  cwnd_sum: 1592,
  bw: 1600,
} as const;
/** A zeroed Totals (nested structs and arrays preallocated) for decodeTotalsInto(). */
export function createTotals(): Totals {
  return {
    rtt: createNtHist(),
    inflight: createNtHist(),
    cwnd: createNtHist(),
    hits: 0,
    samples: 0,
    no_inflight: 0,
    cells_missed: 0,
    flows_untracked: 0,
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
  t.hits = (v.getUint32(o + 1536, true) + v.getUint32(o + 1540, true) * 4294967296);
  t.samples = (v.getUint32(o + 1544, true) + v.getUint32(o + 1548, true) * 4294967296);
  t.no_inflight = (v.getUint32(o + 1552, true) + v.getUint32(o + 1556, true) * 4294967296);
  t.cells_missed = (v.getUint32(o + 1560, true) + v.getUint32(o + 1564, true) * 4294967296);
  t.flows_untracked = (v.getUint32(o + 1568, true) + v.getUint32(o + 1572, true) * 4294967296);
  t.rtt_sum = (v.getUint32(o + 1576, true) + v.getUint32(o + 1580, true) * 4294967296);
  t.inflight_sum = (v.getUint32(o + 1584, true) + v.getUint32(o + 1588, true) * 4294967296);
  t.cwnd_sum = (v.getUint32(o + 1592, true) + v.getUint32(o + 1596, true) * 4294967296);
  decodeNtTcpBwInto(t.bw, v, o + 1600);
  return t;
}
export function readTotalsHits(v: DataView, o: number): number {
  return (v.getUint32(o + 1536, true) + v.getUint32(o + 1540, true) * 4294967296);
}
export function readTotalsSamples(v: DataView, o: number): number {
  return (v.getUint32(o + 1544, true) + v.getUint32(o + 1548, true) * 4294967296);
}
export function readTotalsNoInflight(v: DataView, o: number): number {
  return (v.getUint32(o + 1552, true) + v.getUint32(o + 1556, true) * 4294967296);
}
export function readTotalsCellsMissed(v: DataView, o: number): number {
  return (v.getUint32(o + 1560, true) + v.getUint32(o + 1564, true) * 4294967296);
}
export function readTotalsFlowsUntracked(v: DataView, o: number): number {
  return (v.getUint32(o + 1568, true) + v.getUint32(o + 1572, true) * 4294967296);
}
export function readTotalsRttSum(v: DataView, o: number): number {
  return (v.getUint32(o + 1576, true) + v.getUint32(o + 1580, true) * 4294967296);
}
export function readTotalsInflightSum(v: DataView, o: number): number {
  return (v.getUint32(o + 1584, true) + v.getUint32(o + 1588, true) * 4294967296);
}
export function readTotalsCwndSum(v: DataView, o: number): number {
  return (v.getUint32(o + 1592, true) + v.getUint32(o + 1596, true) * 4294967296);
}
export const TotalsLayout: StructLayout<Totals> = { name: 'totals', size: 2128, decode: decodeTotals, create: createTotals, decodeInto: decodeTotalsInto };
