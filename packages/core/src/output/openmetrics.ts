// Metrics from a report, and their text exposition: OpenMetrics (a textfile collector's file,
// `nettrace serve` when the scraper asks for it) or the Prometheus text format 0.0.4. Counters
// sections become counters when the report holds totals since the start (`--cumulative`, serve)
// and gauges otherwise; log2 histograms become cumulative histograms; table rows become one gauge
// per numeric column with the row's text columns as labels, at most `maxSeries` series per table
// (the rest summed into one series labelled "other", and counted).

import type { Report } from '../plugin/report.js';
import { histogramRange } from './hist.js';

export interface MetricSample {
  /** The family name plus its suffix (`_total`, `_bucket`, `_count`), or the name itself. */
  name: string;
  labels: [string, unknown][];
  value: number;
}

export interface MetricFamily {
  name: string;
  type: 'counter' | 'gauge' | 'histogram';
  unit?: string;
  help?: string;
  samples: MetricSample[];
}

export interface ReportMetricsOptions {
  /** The report's counts are totals since the start (counters sections become counters). */
  totals?: boolean;
  /** Rows kept per table section; the others are summed into one row whose labels say "other". */
  maxSeries?: number;
}

export const metricName = (...parts: string[]) =>
  parts
    .join('_')
    .replace(/[^a-zA-Z0-9_]/g, '_')
    .replace(/_+/g, '_')
    .toLowerCase();

type Row = Record<string, unknown>;

/**
 * A table's rows as series: one label per text column (as the text output shows it, so `src`
 * reads "10.0.0.1:5555"), one value per numeric column. Rows with the same labels (they differ only
 * in fields no column shows) are summed; beyond `max` series, the rest are summed into one whose
 * labels say "other".
 */
function tableSeries(s: Extract<Report['sections'][number], { kind: 'table' }>, max: number) {
  const numeric = s.columns.filter((c) => !c.value && s.rows.some((r) => typeof r[c.key] === 'number')).map((c) => c.key);
  const shown = (c: (typeof s.columns)[number], r: Row) => (c.value ? c.value(r) : r[c.key]);
  const text = s.columns.filter((c) => !numeric.includes(c.key) && s.rows.some((r) => typeof shown(c, r) === 'string'));
  const series = new Map<string, { labels: [string, unknown][]; values: Record<string, number> }>();
  const add = (labels: [string, unknown][], r: Row) => {
    const id = JSON.stringify(labels);
    const one = series.get(id) ?? { labels, values: {} };
    for (const c of numeric) if (typeof r[c] === 'number') one.values[c] = (one.values[c] ?? 0) + (r[c] as number);
    series.set(id, one);
  };
  let folded = 0;
  for (const r of s.rows) {
    const labels = text.map((c): [string, unknown] => [c.key, shown(c, r) ?? '']);
    if (series.size < max - 1 || series.has(JSON.stringify(labels))) add(labels, r);
    else {
      folded++;
      add(
        text.map((c) => [c.key, 'other']),
        r,
      );
    }
  }
  return { numeric, series: [...series.values()], folded };
}

/** The metric families of one plugin's report. */
export function reportMetrics(plugin: string, report: Report, options: ReportMetricsOptions = {}): MetricFamily[] {
  const base = metricName('nettrace', plugin);
  const out: MetricFamily[] = [];
  const folded: MetricSample[] = [];
  for (const s of report.sections) {
    if (s.kind === 'counters') {
      for (const [k, v] of Object.entries(s.values)) {
        if (typeof v !== 'number') continue;
        const name = metricName(base, s.key, k);
        out.push(
          options.totals
            ? { name, type: 'counter', samples: [{ name: `${name}_total`, labels: [], value: v }] }
            : { name, type: 'gauge', samples: [{ name, labels: [], value: v }] },
        );
      }
    } else if (s.kind === 'histogram') {
      const name = metricName(base, s.key, s.hist.unit);
      const samples: MetricSample[] = [];
      // Every bucket up to the highest one used: the set only grows over a run (the counts are
      // cumulative), so scrapes of one series keep the same bounds.
      const last = s.hist.counts.reduce((at, n, i) => (n > 0 ? i : at), -1);
      let cumulative = 0;
      s.hist.counts.slice(0, last + 1).forEach((n, i) => {
        cumulative += n;
        samples.push({ name: `${name}_bucket`, labels: [['le', histogramRange(s.hist, i)[1]]], value: cumulative });
      });
      samples.push(
        { name: `${name}_bucket`, labels: [['le', '+Inf']], value: cumulative },
        { name: `${name}_count`, labels: [], value: cumulative },
      );
      out.push({ name, type: 'histogram', unit: metricName(s.hist.unit), samples });
    } else {
      const t = tableSeries(s, options.maxSeries ?? Number.POSITIVE_INFINITY);
      if (t.folded)
        folded.push({
          name: 'nettrace_series_folded',
          labels: [
            ['plugin', plugin],
            ['table', s.key],
          ],
          value: t.folded,
        });
      for (const c of t.numeric) {
        const name = metricName(base, s.key, c);
        const samples = t.series.filter((x) => c in x.values).map((x) => ({ name, labels: x.labels, value: x.values[c] }));
        out.push({ name, type: 'gauge', samples });
      }
    }
  }
  if (folded.length)
    out.push({ name: 'nettrace_series_folded', type: 'gauge', help: 'table rows summed into "other" (the series cap)', samples: folded });
  return out;
}

const labelValue = (v: unknown) => String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

function labels(pairs: [string, unknown][]): string {
  return pairs.length ? `{${pairs.map(([k, v]) => `${metricName(k)}="${labelValue(v)}"`).join(',')}}` : '';
}

/** The text exposition of `families`: OpenMetrics 1.0 (with `# EOF`) or Prometheus text 0.0.4. */
export function renderMetrics(families: MetricFamily[], format: 'openmetrics' | 'prometheus' = 'openmetrics'): string {
  const out: string[] = [];
  for (const f of families) {
    // Prometheus text names a counter family by its sample name (with _total).
    const typeName = format === 'prometheus' && f.type === 'counter' ? `${f.name}_total` : f.name;
    if (f.help) out.push(`# HELP ${typeName} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
    out.push(`# TYPE ${typeName} ${f.type}`);
    if (f.unit && format === 'openmetrics') out.push(`# UNIT ${f.name} ${f.unit}`);
    for (const s of f.samples) out.push(`${s.name}${labels(s.labels)} ${s.value}`);
  }
  if (format === 'openmetrics') out.push('# EOF');
  return out.join('\n');
}

/** One report as an OpenMetrics file (`--output openmetrics`). */
export function renderOpenMetrics(plugin: string, report: Report, options: ReportMetricsOptions = {}): string {
  return renderMetrics(reportMetrics(plugin, report, options));
}
