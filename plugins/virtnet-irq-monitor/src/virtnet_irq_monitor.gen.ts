// Generated from plugins/virtnet-irq-monitor/bpf/virtnet_irq_monitor.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { type StructLayout } from '@nettrace/core';

/** What plugins/virtnet-irq-monitor/bpf/virtnet_irq_monitor.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load),
 * counters (NT_COUNTERS, read with ctx.counters()). */
export const contract = {
  object: new URL('./virtnet_irq_monitor.bpf.o', import.meta.url),
  programs: {
    nt_vim_in_btf: 'tp_btf/irq_handler_entry',
    nt_vim_out_btf: 'tp_btf/irq_handler_exit',
    nt_vim_in_raw: 'raw_tp/irq_handler_entry',
    nt_vim_out_raw: 'raw_tp/irq_handler_exit',
    nt_vim_in_tp: 'tracepoint/irq/irq_handler_entry',
    nt_vim_out_tp: 'tracepoint/irq/irq_handler_exit',
  },
  maps: {
    stats: { type: 'hash', keySize: 8, valueSize: 64, maxEntries: 4096 },
    gaps: { type: 'hash', keySize: 4, valueSize: 24, maxEntries: 1024 },
    frames: { type: 'percpu_array', keySize: 4, valueSize: 56, maxEntries: 1 },
    counters: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 2 },
  },
  variables: {
    cfg_all_irqs: { section: '.rodata', type: 'u8', size: 1 },
    cfg_irq_mask: { section: '.rodata', type: 'u8[1024]', size: 1024 },
  },
  counters: ['untracked', 'unpaired'],
} as const;

/** BTF struct irq_gap (24 bytes). */
export interface IrqGap {
  last_ns: number;
  gap_sum_ns: number;
  gaps: number;
}
export const IrqGapSize = 24;
export function decodeIrqGap(v: DataView, o: number): IrqGap {
  return {
    last_ns: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    gap_sum_ns: (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296),
    gaps: (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296),
  };
}
/** Byte offset of each member of struct irq_gap. */
export const IrqGapOffsets = {
  last_ns: 0,
  gap_sum_ns: 8,
  gaps: 16,
} as const;
/** A zeroed IrqGap (nested structs and arrays preallocated) for decodeIrqGapInto(). */
export function createIrqGap(): IrqGap {
  return {
    last_ns: 0,
    gap_sum_ns: 0,
    gaps: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeIrqGapInto(t: IrqGap, v: DataView, o: number): IrqGap {
  t.last_ns = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.gap_sum_ns = (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
  t.gaps = (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
  return t;
}
export function readIrqGapLastNs(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readIrqGapGapSumNs(v: DataView, o: number): number {
  return (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
}
export function readIrqGapGaps(v: DataView, o: number): number {
  return (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
}
export const IrqGapLayout: StructLayout<IrqGap> = { name: 'irq_gap', size: 24, decode: decodeIrqGap, create: createIrqGap, decodeInto: decodeIrqGapInto };

/** BTF struct irq_key (8 bytes). */
export interface IrqKey {
  irq: number;
  cpu: number;
}
export const IrqKeySize = 8;
export function decodeIrqKey(v: DataView, o: number): IrqKey {
  return {
    irq: v.getUint32(o + 0, true),
    cpu: v.getUint32(o + 4, true),
  };
}
/** Byte offset of each member of struct irq_key. */
export const IrqKeyOffsets = {
  irq: 0,
  cpu: 4,
} as const;
/** A zeroed IrqKey (nested structs and arrays preallocated) for decodeIrqKeyInto(). */
export function createIrqKey(): IrqKey {
  return {
    irq: 0,
    cpu: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeIrqKeyInto(t: IrqKey, v: DataView, o: number): IrqKey {
  t.irq = v.getUint32(o + 0, true);
  t.cpu = v.getUint32(o + 4, true);
  return t;
}
export function readIrqKeyIrq(v: DataView, o: number): number {
  return v.getUint32(o + 0, true);
}
export function readIrqKeyCpu(v: DataView, o: number): number {
  return v.getUint32(o + 4, true);
}
export const IrqKeyLayout: StructLayout<IrqKey> = { name: 'irq_key', size: 8, decode: decodeIrqKey, create: createIrqKey, decodeInto: decodeIrqKeyInto };

/** BTF struct irq_val (64 bytes). */
export interface IrqVal {
  calls: number;
  ret_none: number;
  ret_handled: number;
  ret_wake: number;
  ret_other: number;
  dur_sum_ns: number;
  dur_max_ns: number;
  paired: number;
}
export const IrqValSize = 64;
export function decodeIrqVal(v: DataView, o: number): IrqVal {
  return {
    calls: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    ret_none: (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296),
    ret_handled: (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296),
    ret_wake: (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296),
    ret_other: (v.getUint32(o + 32, true) + v.getUint32(o + 36, true) * 4294967296),
    dur_sum_ns: (v.getUint32(o + 40, true) + v.getUint32(o + 44, true) * 4294967296),
    dur_max_ns: (v.getUint32(o + 48, true) + v.getUint32(o + 52, true) * 4294967296),
    paired: (v.getUint32(o + 56, true) + v.getUint32(o + 60, true) * 4294967296),
  };
}
/** Byte offset of each member of struct irq_val. */
export const IrqValOffsets = {
  calls: 0,
  ret_none: 8,
  ret_handled: 16,
  ret_wake: 24,
  ret_other: 32,
  dur_sum_ns: 40,
  dur_max_ns: 48,
  paired: 56,
} as const;
/** A zeroed IrqVal (nested structs and arrays preallocated) for decodeIrqValInto(). */
export function createIrqVal(): IrqVal {
  return {
    calls: 0,
    ret_none: 0,
    ret_handled: 0,
    ret_wake: 0,
    ret_other: 0,
    dur_sum_ns: 0,
    dur_max_ns: 0,
    paired: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeIrqValInto(t: IrqVal, v: DataView, o: number): IrqVal {
  t.calls = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.ret_none = (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
  t.ret_handled = (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
  t.ret_wake = (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296);
  t.ret_other = (v.getUint32(o + 32, true) + v.getUint32(o + 36, true) * 4294967296);
  t.dur_sum_ns = (v.getUint32(o + 40, true) + v.getUint32(o + 44, true) * 4294967296);
  t.dur_max_ns = (v.getUint32(o + 48, true) + v.getUint32(o + 52, true) * 4294967296);
  t.paired = (v.getUint32(o + 56, true) + v.getUint32(o + 60, true) * 4294967296);
  return t;
}
export function readIrqValCalls(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readIrqValRetNone(v: DataView, o: number): number {
  return (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
}
export function readIrqValRetHandled(v: DataView, o: number): number {
  return (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
}
export function readIrqValRetWake(v: DataView, o: number): number {
  return (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296);
}
export function readIrqValRetOther(v: DataView, o: number): number {
  return (v.getUint32(o + 32, true) + v.getUint32(o + 36, true) * 4294967296);
}
export function readIrqValDurSumNs(v: DataView, o: number): number {
  return (v.getUint32(o + 40, true) + v.getUint32(o + 44, true) * 4294967296);
}
export function readIrqValDurMaxNs(v: DataView, o: number): number {
  return (v.getUint32(o + 48, true) + v.getUint32(o + 52, true) * 4294967296);
}
export function readIrqValPaired(v: DataView, o: number): number {
  return (v.getUint32(o + 56, true) + v.getUint32(o + 60, true) * 4294967296);
}
export const IrqValLayout: StructLayout<IrqVal> = { name: 'irq_val', size: 64, decode: decodeIrqVal, create: createIrqVal, decodeInto: decodeIrqValInto };
