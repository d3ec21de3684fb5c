// Generated from plugins/ksoftirqd-sched-latency/bpf/ksoftirqd_sched_latency.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { readCString, type NtHist, createNtHist, decodeNtHist, decodeNtHistInto, type StructLayout } from '@nettrace/core';
export { type NtHist, createNtHist, decodeNtHist, decodeNtHistInto };

/** What plugins/ksoftirqd-sched-latency/bpf/ksoftirqd_sched_latency.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load),
 * counters (NT_COUNTERS, read with ctx.counters()). */
export const contract = {
  object: new URL('./ksoftirqd_sched_latency.bpf.o', import.meta.url),
  programs: {
    nt_ksd_wk_btf: 'tp_btf/sched_wakeup',
    nt_ksd_wk_raw: 'raw_tp/sched_wakeup',
    nt_ksd_sw_btf: 'tp_btf/sched_switch',
    nt_ksd_sw_raw: 'raw_tp/sched_switch',
    nt_ksd_wk_tp: 'tracepoint/sched/sched_wakeup',
    nt_ksd_sw_tp: 'tracepoint/sched/sched_switch',
  },
  maps: {
    events: { type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: 1048576 },
    events_lost: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 1 },
    events_perf: { type: 'perf_event_array', keySize: 4, valueSize: 4, maxEntries: 0 },
    events_scratch: { type: 'percpu_array', keySize: 4, valueSize: 1024, maxEntries: 1 },
    stats: { type: 'hash', keySize: 8, valueSize: 576, maxEntries: 4096 },
    pending: { type: 'hash', keySize: 4, valueSize: 16, maxEntries: 4096 },
    zero: { type: 'percpu_array', keySize: 4, valueSize: 576, maxEntries: 1 },
    counters: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 1 },
  },
  variables: {
    cfg_cpu_filter: { section: '.rodata', type: 'u8', size: 1 },
    cfg_cpus: { section: '.rodata', type: 'u8[128]', size: 128 },
    cfg_events: { section: '.rodata', type: 'u8', size: 1 },
    cfg_perf_buffer: { section: '.rodata', type: 'u8', size: 1 },
    cfg_threshold_ns: { section: '.rodata', type: 'u64', size: 8 },
    cfg_wakeup_bytes: { section: '.rodata', type: 'u64', size: 8 },
  },
  counters: ['untracked'],
} as const;

/** BTF struct ksd_event (56 bytes). */
export interface KsdEvent {
  wakeup_ns: number;
  run_ns: number;
  latency_ns: number;
  cpu: number;
  pid: number;
  wake_cpu: number;
  comm: string;
}
export const KsdEventSize = 56;
export function decodeKsdEvent(v: DataView, o: number): KsdEvent {
  return {
    wakeup_ns: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    run_ns: (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296),
    latency_ns: (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296),
    cpu: v.getUint32(o + 24, true),
    pid: v.getUint32(o + 28, true),
    wake_cpu: v.getUint32(o + 32, true),
    comm: readCString(v, o + 40, 16),
  };
}
/** Byte offset of each member of struct ksd_event. */
export const KsdEventOffsets = {
  wakeup_ns: 0,
  run_ns: 8,
  latency_ns: 16,
  cpu: 24,
  pid: 28,
  wake_cpu: 32,
  comm: 40,
} as const;
/** A zeroed KsdEvent (nested structs and arrays preallocated) for decodeKsdEventInto(). */
export function createKsdEvent(): KsdEvent {
  return {
    wakeup_ns: 0,
    run_ns: 0,
    latency_ns: 0,
    cpu: 0,
    pid: 0,
    wake_cpu: 0,
    comm: '',
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeKsdEventInto(t: KsdEvent, v: DataView, o: number): KsdEvent {
  t.wakeup_ns = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.run_ns = (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
  t.latency_ns = (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
  t.cpu = v.getUint32(o + 24, true);
  t.pid = v.getUint32(o + 28, true);
  t.wake_cpu = v.getUint32(o + 32, true);
  t.comm = readCString(v, o + 40, 16);
  return t;
}
export function readKsdEventWakeupNs(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readKsdEventRunNs(v: DataView, o: number): number {
  return (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
}
export function readKsdEventLatencyNs(v: DataView, o: number): number {
  return (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
}
export function readKsdEventCpu(v: DataView, o: number): number {
  return v.getUint32(o + 24, true);
}
export function readKsdEventPid(v: DataView, o: number): number {
  return v.getUint32(o + 28, true);
}
export function readKsdEventWakeCpu(v: DataView, o: number): number {
  return v.getUint32(o + 32, true);
}
export const KsdEventLayout: StructLayout<KsdEvent> = { name: 'ksd_event', size: 56, decode: decodeKsdEvent, create: createKsdEvent, decodeInto: decodeKsdEventInto };

/** BTF struct ksd_key (8 bytes). */
export interface KsdKey {
  cpu: number;
  pid: number;
}
export const KsdKeySize = 8;
export function decodeKsdKey(v: DataView, o: number): KsdKey {
  return {
    cpu: v.getUint32(o + 0, true),
    pid: v.getUint32(o + 4, true),
  };
}
/** Byte offset of each member of struct ksd_key. */
export const KsdKeyOffsets = {
  cpu: 0,
  pid: 4,
} as const;
/** A zeroed KsdKey (nested structs and arrays preallocated) for decodeKsdKeyInto(). */
export function createKsdKey(): KsdKey {
  return {
    cpu: 0,
    pid: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeKsdKeyInto(t: KsdKey, v: DataView, o: number): KsdKey {
  t.cpu = v.getUint32(o + 0, true);
  t.pid = v.getUint32(o + 4, true);
  return t;
}
export function readKsdKeyCpu(v: DataView, o: number): number {
  return v.getUint32(o + 0, true);
}
export function readKsdKeyPid(v: DataView, o: number): number {
  return v.getUint32(o + 4, true);
}
export const KsdKeyLayout: StructLayout<KsdKey> = { name: 'ksd_key', size: 8, decode: decodeKsdKey, create: createKsdKey, decodeInto: decodeKsdKeyInto };

/** BTF struct ksd_val (576 bytes). */
export interface KsdVal {
  hist: NtHist;
  wakeups: number;
  runs: number;
  pairs: number;
  high: number;
  sum_ns: number;
  max_ns: number;
  comm: string;
}
export const KsdValSize = 576;
export function decodeKsdVal(v: DataView, o: number): KsdVal {
  return {
    hist: decodeNtHist(v, o + 0),
    wakeups: (v.getUint32(o + 512, true) + v.getUint32(o + 516, true) * 4294967296),
    runs: (v.getUint32(o + 520, true) + v.getUint32(o + 524, true) * 4294967296),
    pairs: (v.getUint32(o + 528, true) + v.getUint32(o + 532, true) * 4294967296),
    high: (v.getUint32(o + 536, true) + v.getUint32(o + 540, true) * 4294967296),
    sum_ns: (v.getUint32(o + 544, true) + v.getUint32(o + 548, true) * 4294967296),
    max_ns: (v.getUint32(o + 552, true) + v.getUint32(o + 556, true) * 4294967296),
    comm: readCString(v, o + 560, 16),
  };
}
/** Byte offset of each member of struct ksd_val. */
export const KsdValOffsets = {
  hist: 0,
  wakeups: 512,
  runs: 520,
  pairs: 528,
  high: 536,
  sum_ns: 544,
  max_ns: 552,
  comm: 560,
} as const;
/** A zeroed KsdVal (nested structs and arrays preallocated) for decodeKsdValInto(). */
export function createKsdVal(): KsdVal {
  return {
    hist: createNtHist(),
    wakeups: 0,
    runs: 0,
    pairs: 0,
    high: 0,
    sum_ns: 0,
    max_ns: 0,
    comm: '',
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeKsdValInto(t: KsdVal, v: DataView, o: number): KsdVal {
  decodeNtHistInto(t.hist, v, o + 0);
  t.wakeups = (v.getUint32(o + 512, true) + v.getUint32(o + 516, true) * 4294967296);
  t.runs = (v.getUint32(o + 520, true) + v.getUint32(o + 524, true) * 4294967296);
  t.pairs = (v.getUint32(o + 528, true) + v.getUint32(o + 532, true) * 4294967296);
  t.high = (v.getUint32(o + 536, true) + v.getUint32(o + 540, true) * 4294967296);
  t.sum_ns = (v.getUint32(o + 544, true) + v.getUint32(o + 548, true) * 4294967296);
  t.max_ns = (v.getUint32(o + 552, true) + v.getUint32(o + 556, true) * 4294967296);
  t.comm = readCString(v, o + 560, 16);
  return t;
}
export function readKsdValWakeups(v: DataView, o: number): number {
  return (v.getUint32(o + 512, true) + v.getUint32(o + 516, true) * 4294967296);
}
export function readKsdValRuns(v: DataView, o: number): number {
  return (v.getUint32(o + 520, true) + v.getUint32(o + 524, true) * 4294967296);
}
export function readKsdValPairs(v: DataView, o: number): number {
  return (v.getUint32(o + 528, true) + v.getUint32(o + 532, true) * 4294967296);
}
export function readKsdValHigh(v: DataView, o: number): number {
  return (v.getUint32(o + 536, true) + v.getUint32(o + 540, true) * 4294967296);
}
export function readKsdValSumNs(v: DataView, o: number): number {
  return (v.getUint32(o + 544, true) + v.getUint32(o + 548, true) * 4294967296);
}
export function readKsdValMaxNs(v: DataView, o: number): number {
  return (v.getUint32(o + 552, true) + v.getUint32(o + 556, true) * 4294967296);
}
export const KsdValLayout: StructLayout<KsdVal> = { name: 'ksd_val', size: 576, decode: decodeKsdVal, create: createKsdVal, decodeInto: decodeKsdValInto };
