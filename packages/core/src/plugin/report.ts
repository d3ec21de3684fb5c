// What a plugin reports: a list of sections, rendered as text tables/histograms or as one JSON
// object whose keys are the section keys (documented per plugin in its README and schema).
import type { Histogram, HistogramSummary } from '../output/hist.js';

export interface Column {
  key: string;
  header: string;
  align?: 'left' | 'right';
  /** Text-only view of the row (the JSON output keeps the row's own fields). */
  value?: (row: Record<string, unknown>) => unknown;
}

export interface TableSection {
  kind: 'table';
  key: string;
  title?: string;
  columns: Column[];
  rows: Record<string, unknown>[];
}

export interface HistogramSection {
  kind: 'histogram';
  key: string;
  title?: string;
  hist: Histogram;
  /** Mean and percentiles (histogramSummary()), printed above the buckets and kept in JSON. */
  summary?: HistogramSummary;
}

export interface CountersSection {
  kind: 'counters';
  key: string;
  title?: string;
  values: Record<string, number | string>;
}

export type ReportSection = TableSection | HistogramSection | CountersSection;

export interface Report {
  sections: ReportSection[];
}
