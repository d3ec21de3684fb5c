// Frame-size buckets of iface-netstat: user bounds (powers of two) over the shared log2 slots, so
// the kernel keeps one struct nt_hist per queue and any bucket set is folded in user space.
import { UsageError } from '@nettrace/core';

/** "64,512" → [64, 512]; each bound a power of two so it falls on a log2 slot boundary. */
export function parseBuckets(text: string): number[] {
  const bounds = text.split(',').map((s) => s.trim());
  const nums = bounds.map(Number);
  nums.forEach((n, i) => {
    if (!/^\d+$/.test(bounds[i]) || n < 2 || n > 2 ** 40 || !Number.isInteger(Math.log2(n)) || (i > 0 && n <= nums[i - 1]))
      throw new UsageError(`--size-buckets: '${text}' must be ascending powers of two between 2 and 2^40, e.g. 64,512,2048`);
  });
  return nums;
}

export const human = (n: number) => (n >= 1024 && n % 1024 === 0 ? `${n / 1024}K` : String(n));
export interface SizeBucket {
  min: number;
  max: number | null;
  packets: number;
}

/** Folds log2 slot counts into [0,b0), [b0,b1), ..., [bn,∞). Slot k holds [2^(k-1), 2^k - 1]. */
export function foldSizes(slots: number[], bounds: number[]): SizeBucket[] {
  const edges = [0, ...bounds];
  return edges.map((min, i) => {
    const max = i < bounds.length ? bounds[i] : null;
    const first = min === 0 ? 0 : Math.log2(min) + 1;
    const last = max === null ? slots.length - 1 : Math.log2(max);
    let packets = 0;
    for (let k = first; k <= last; k++) packets += slots[k] ?? 0;
    return { min, max: max === null ? null : max - 1, packets };
  });
}

export interface Counts {
  packets: number;
  bytes: number;
  slots: number[];
}
export const add = (a: Counts, b: Counts): Counts => ({
  packets: a.packets + b.packets,
  bytes: a.bytes + b.bytes,
  slots: a.slots.map((n, i) => n + b.slots[i]),
});
