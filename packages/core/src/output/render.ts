// Turns a Report into text or one JSON object. JSON keys are the section keys; the run's JSON sink
// (run/sinks/json.ts) adds `type`, `plugin`, `time` and the loss counters to each record, and each
// plugin's schema.json describes the result.
import type { Report } from '../plugin/report.js';
import type { HistogramSummary } from './hist.js';
import { histogramJson, renderHistogram } from './histogram.js';
import { renderTable } from './table.js';

function summaryLine(m: HistogramSummary, unit: string): string {
  return `  count ${m.count}  mean ${m.mean} ${unit}  p50 <= ${m.p50}  p90 <= ${m.p90}  p99 <= ${m.p99}`;
}

export function renderReportText(report: Report): string {
  const parts: string[] = [];
  for (const s of report.sections) {
    const title = s.title ? `${s.title}\n` : '';
    if (s.kind === 'table') parts.push(title + (s.rows.length ? renderTable(s.columns, s.rows) : '(none)'));
    else if (s.kind === 'histogram')
      parts.push(title + (s.summary ? `${summaryLine(s.summary, s.hist.unit)}\n` : '') + renderHistogram(s.hist));
    else {
      const width = Math.max(...Object.keys(s.values).map((k) => k.length));
      parts.push(
        title +
          Object.entries(s.values)
            .map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)
            .join('\n'),
      );
    }
  }
  return parts.join('\n\n');
}

export function reportJson(report: Report): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of report.sections) {
    if (s.kind === 'table') out[s.key] = s.rows;
    else if (s.kind === 'histogram') out[s.key] = s.summary ? { ...histogramJson(s.hist), summary: s.summary } : histogramJson(s.hist);
    else out[s.key] = s.values;
  }
  return out;
}
