// BCC-style histogram text ("value range : count | stars |"), with ranges from the shared bucket
// definition in hist.ts (so labels match what the BPF side counted).
import { type Histogram, histogramRange } from './hist.js';

const BAR = 40;

export function renderHistogram(h: Histogram): string {
  let last = h.counts.length - 1;
  while (last >= 0 && h.counts[last] === 0) last--;
  if (last < 0) return `     ${h.label} (${h.unit}): no samples`;
  let first = 0;
  while (h.kind === 'linear' && first < last && h.counts[first] === 0) first++;
  const max = Math.max(...h.counts);
  const rows: [string, number][] = [];
  for (let i = h.kind === 'log2' ? 0 : first; i <= last; i++) {
    const [lo, hi] = histogramRange(h, i);
    rows.push([`${lo} -> ${hi}`, h.counts[i]]);
  }
  const width = Math.max(...rows.map((r) => r[0].length), h.unit.length + 2);
  const header = `${`${h.unit}`.padStart(width)}   : count     distribution`;
  const body = rows.map(([range, n]) => {
    const stars = '*'.repeat(max ? Math.round((n / max) * BAR) : 0);
    return `${range.padStart(width)}   : ${String(n).padEnd(9)} |${stars.padEnd(BAR)}|`;
  });
  return [header, ...body].join('\n');
}

/** JSON form: only non-empty buckets, with inclusive bounds. */
export function histogramJson(h: Histogram): { unit: string; total: number; buckets: { low: number; high: number; count: number }[] } {
  const buckets = [];
  let total = 0;
  for (let i = 0; i < h.counts.length; i++) {
    if (!h.counts[i]) continue;
    const [lo, hi] = histogramRange(h, i);
    buckets.push({ low: Number(lo), high: Number(hi), count: h.counts[i] });
    total += h.counts[i];
  }
  return { unit: h.unit, total, buckets };
}
