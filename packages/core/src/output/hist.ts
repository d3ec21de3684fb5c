// The TypeScript half of the one histogram bucket definition (bpf-headers/nettrace/hist.bpf.h):
// slot 0 holds 0; slot k ≥ 1 holds [2^(k-1), 2^k - 1]. Labels and the slot function live here,
// next to the formatter, and a test compiles the C side to prove both agree.

export const HIST_SLOTS = 64;

/** Same rule as nt_log2_slot(): the bit length of v. */
export function log2Slot(v: number | bigint): number {
  let x = BigInt(v);
  let slot = 0;
  while (x > 0n) {
    x >>= 1n;
    slot++;
  }
  return slot;
}

/** Inclusive value range of a log2 slot. */
export function log2Range(slot: number): [bigint, bigint] {
  if (slot === 0) return [0n, 0n];
  return [1n << BigInt(slot - 1), (1n << BigInt(slot)) - 1n];
}

export interface Histogram {
  /** What is counted, e.g. "latency". */
  label: string;
  /** Unit of the bucket values, e.g. "us". */
  unit: string;
  /** counts[slot] for log2 buckets, or counts[i] for linear buckets of width `step`. */
  counts: number[];
  kind: 'log2' | 'linear';
  step?: number;
}

export function histogramRange(h: Histogram, i: number): [bigint, bigint] {
  if (h.kind === 'log2') return log2Range(i);
  const step = BigInt(h.step ?? 1);
  return [BigInt(i) * step, BigInt(i + 1) * step - 1n];
}
