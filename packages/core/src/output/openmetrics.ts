// OpenMetrics text exposition of a report (for node_exporter's textfile collector or a push
// gateway): counters sections → gauges, log2 histograms → cumulative histograms, table rows →
// one gauge per numeric column with the row's text columns as labels.

import type { Report } from '../plugin/report.js';
import { histogramRange } from './hist.js';

const metricName = (...parts: string[]) =>
  parts
    .join('_')
    .replace(/[^a-zA-Z0-9_]/g, '_')
    .replace(/_+/g, '_')
    .toLowerCase();

const labelValue = (v: unknown) => String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

function labels(pairs: [string, unknown][]): string {
  return pairs.length ? `{${pairs.map(([k, v]) => `${metricName(k)}="${labelValue(v)}"`).join(',')}}` : '';
}

export function renderOpenMetrics(plugin: string, report: Report): string {
  const out: string[] = [];
  const base = metricName('nettrace', plugin);
  for (const s of report.sections) {
    if (s.kind === 'counters') {
      for (const [k, v] of Object.entries(s.values)) {
        if (typeof v !== 'number') continue;
        const name = metricName(base, s.key, k);
        out.push(`# TYPE ${name} gauge`, `${name} ${v}`);
      }
    } else if (s.kind === 'histogram') {
      const name = metricName(base, s.key, s.hist.unit);
      out.push(`# TYPE ${name} histogram`, `# UNIT ${name} ${metricName(s.hist.unit)}`);
      let cumulative = 0;
      s.hist.counts.forEach((n, i) => {
        cumulative += n;
        if (n) out.push(`${name}_bucket{le="${histogramRange(s.hist, i)[1]}"} ${cumulative}`);
      });
      out.push(`${name}_bucket{le="+Inf"} ${cumulative}`, `${name}_count ${cumulative}`);
    } else {
      const numeric = s.columns.filter((c) => s.rows.some((r) => typeof r[c.key] === 'number'));
      const text = s.columns.filter((c) => !numeric.includes(c) && s.rows.some((r) => typeof r[c.key] === 'string'));
      for (const c of numeric) {
        const name = metricName(base, s.key, c.key);
        out.push(`# TYPE ${name} gauge`);
        for (const r of s.rows) {
          if (typeof r[c.key] !== 'number') continue;
          out.push(`${name}${labels(text.map((t) => [t.key, r[t.key]]))} ${r[c.key]}`);
        }
      }
    }
  }
  out.push('# EOF');
  return out.join('\n');
}
