// Report sections in one call each, so plugins state only what differs: the key, the title and
// the data (a section's shape is in plugin/report.ts; renderers in render.ts and openmetrics.ts).
import type { Column, CountersSection, HistogramSection, TableSection } from '../plugin/report.js';
import { histogramSummary } from './hist.js';

export function countersSection(key: string, values: Record<string, number | string>, title?: string): CountersSection {
  return { kind: 'counters', key, ...(title ? { title } : {}), values };
}

/** A log2 histogram (slot counts as ctx.histogram() returns them). `label` names what is counted
 * in the text output (default: the key). */
export function histogramSection(key: string, title: string | undefined, counts: number[], unit: string, label = key): HistogramSection {
  return { kind: 'histogram', key, ...(title ? { title } : {}), hist: { label, unit, kind: 'log2', counts } };
}

/** The section with its count, mean and p50/p90/p99 (histogramSummary()): printed above the buckets,
 * `summary` in JSON. Pass the samples' sum when the kernel keeps it (exact mean). */
export function withSummary(section: HistogramSection, sum?: number): HistogramSection {
  return { ...section, summary: histogramSummary(section.hist, sum) };
}

/** Table columns from `{ key: 'HEADER', other: { header, value, align } }`, in that order. */
export function columns(spec: Record<string, string | Omit<Column, 'key'>>): Column[] {
  return Object.entries(spec).map(([key, c]) => (typeof c === 'string' ? { key, header: c } : { key, ...c }));
}

export function tableSection(key: string, title: string | undefined, columns: Column[], rows: Record<string, unknown>[]): TableSection {
  return { kind: 'table', key, ...(title ? { title } : {}), columns, rows };
}
