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

function histogramTotal(h: Histogram): number {
  return h.counts.reduce((a, b) => a + b, 0);
}

export interface HistogramSummary {
  count: number;
  /** Exact when the caller passes the samples' sum, else from bucket midpoints. */
  mean: number;
  /** Percentiles as the inclusive upper bound of the bucket holding them: "p90 <= value". */
  p50: number;
  p90: number;
  p99: number;
}

/** Mean and percentiles of a histogram. The q-th percentile is the bucket holding the sample of
 * rank ceil(q * count); its upper bound is reported, the most a bucketed count can say. */
export function histogramSummary(h: Histogram, sum?: number): HistogramSummary {
  const count = histogramTotal(h);
  if (!count) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0 };
  const bound = (q: number) => {
    const rank = Math.ceil(q * count);
    let seen = 0;
    for (let i = 0; i < h.counts.length; i++) {
      seen += h.counts[i];
      if (seen >= rank) return Number(histogramRange(h, i)[1]);
    }
    return Number(histogramRange(h, h.counts.length - 1)[1]);
  };
  let mean: number;
  if (sum !== undefined) mean = sum / count;
  else {
    let total = 0;
    for (let i = 0; i < h.counts.length; i++) {
      if (!h.counts[i]) continue;
      const [lo, hi] = histogramRange(h, i);
      total += h.counts[i] * ((Number(lo) + Number(hi)) / 2);
    }
    mean = total / count;
  }
  return { count, mean: Math.round(mean * 100) / 100, p50: bound(0.5), p90: bound(0.9), p99: bound(0.99) };
}
