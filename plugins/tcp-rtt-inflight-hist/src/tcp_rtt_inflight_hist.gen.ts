// Generated from plugins/tcp-rtt-inflight-hist/bpf/tcp_rtt_inflight_hist.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { type NtHist, createNtHist, decodeNtHist, decodeNtHistInto, type StructLayout } from '@nettrace/core';
export { type NtHist, createNtHist, decodeNtHist, decodeNtHistInto };

/** What plugins/tcp-rtt-inflight-hist/bpf/tcp_rtt_inflight_hist.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load). */
export const contract = {
  object: new URL('./tcp_rtt_inflight_hist.bpf.o', import.meta.url),
  programs: {
    nt_trih_btf: 'tp_btf/tcp_probe',
    nt_trih_tp: 'tracepoint/tcp/tcp_probe',
  },
  maps: {
    nt_tcp_scratch: { type: 'percpu_array', keySize: 4, valueSize: 88, maxEntries: 1 },
    totals: { type: 'percpu_array', keySize: 4, valueSize: 1560, maxEntries: 1 },
    hist_2d: { type: 'percpu_hash', keySize: 8, valueSize: 8, maxEntries: 4096 },
  },
  variables: {
    cfg_dst_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_dst_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_either_direction: { section: '.rodata', type: 'u8', size: 1 },
    cfg_ifindex: { section: '.rodata', type: 'u32', size: 4 },
    cfg_inflight_packets: { section: '.rodata', type: 'u8', size: 1 },
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

/** BTF struct totals (1560 bytes). */
export interface Totals {
  rtt: NtHist;
  inflight: NtHist;
  cwnd: NtHist;
  samples: number;
  no_inflight: number;
  cells_missed: number;
}
export const TotalsSize = 1560;
export function decodeTotals(v: DataView, o: number): Totals {
  return {
    rtt: decodeNtHist(v, o + 0),
    inflight: decodeNtHist(v, o + 512),
    cwnd: decodeNtHist(v, o + 1024),
    samples: (v.getUint32(o + 1536, true) + v.getUint32(o + 1540, true) * 4294967296),
    no_inflight: (v.getUint32(o + 1544, true) + v.getUint32(o + 1548, true) * 4294967296),
    cells_missed: (v.getUint32(o + 1552, true) + v.getUint32(o + 1556, true) * 4294967296),
  };
}
/** Byte offset of each member of struct totals. */
export const TotalsOffsets = {
  rtt: 0,
  inflight: 512,
  cwnd: 1024,
  samples: 1536,
  no_inflight: 1544,
  cells_missed: 1552,
} as const;
/** A zeroed Totals (nested structs and arrays preallocated) for decodeTotalsInto(). */
export function createTotals(): Totals {
  return {
    rtt: createNtHist(),
    inflight: createNtHist(),
    cwnd: createNtHist(),
    samples: 0,
    no_inflight: 0,
    cells_missed: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeTotalsInto(t: Totals, v: DataView, o: number): Totals {
  decodeNtHistInto(t.rtt, v, o + 0);
  decodeNtHistInto(t.inflight, v, o + 512);
  decodeNtHistInto(t.cwnd, v, o + 1024);
  t.samples = (v.getUint32(o + 1536, true) + v.getUint32(o + 1540, true) * 4294967296);
  t.no_inflight = (v.getUint32(o + 1544, true) + v.getUint32(o + 1548, true) * 4294967296);
  t.cells_missed = (v.getUint32(o + 1552, true) + v.getUint32(o + 1556, true) * 4294967296);
  return t;
}
export function readTotalsSamples(v: DataView, o: number): number {
  return (v.getUint32(o + 1536, true) + v.getUint32(o + 1540, true) * 4294967296);
}
export function readTotalsNoInflight(v: DataView, o: number): number {
  return (v.getUint32(o + 1544, true) + v.getUint32(o + 1548, true) * 4294967296);
}
export function readTotalsCellsMissed(v: DataView, o: number): number {
  return (v.getUint32(o + 1552, true) + v.getUint32(o + 1556, true) * 4294967296);
}
export const TotalsLayout: StructLayout<Totals> = { name: 'totals', size: 1560, decode: decodeTotals, create: createTotals, decodeInto: decodeTotalsInto };
