import { describe, expect, it } from 'vitest';
import { renderMetrics, renderOpenMetrics, reportMetrics } from '../src/index.js';

describe('OpenMetrics output', () => {
  it('renders counters, cumulative log2 histograms and labelled table gauges', () => {
    const text = renderOpenMetrics('kernel-drop-stack-stats', {
      sections: [
        { kind: 'counters', key: 'totals', values: { total_drops: 7, note: 'x' } },
        { kind: 'histogram', key: 'latency', hist: { label: 'latency', unit: 'us', kind: 'log2', counts: [0, 2, 0, 5] } },
        {
          kind: 'table',
          key: 'drops',
          columns: [
            { key: 'reason', header: 'R' },
            { key: 'count', header: 'C' },
          ],
          rows: [{ reason: 'NO_SOCKET', count: 7 }],
        },
      ],
    });
    expect(text.split('\n')).toEqual([
      '# TYPE nettrace_kernel_drop_stack_stats_totals_total_drops gauge',
      'nettrace_kernel_drop_stack_stats_totals_total_drops 7',
      '# TYPE nettrace_kernel_drop_stack_stats_latency_us histogram',
      '# UNIT nettrace_kernel_drop_stack_stats_latency_us us',
      'nettrace_kernel_drop_stack_stats_latency_us_bucket{le="0"} 0',
      'nettrace_kernel_drop_stack_stats_latency_us_bucket{le="1"} 2',
      'nettrace_kernel_drop_stack_stats_latency_us_bucket{le="3"} 2',
      'nettrace_kernel_drop_stack_stats_latency_us_bucket{le="7"} 7',
      'nettrace_kernel_drop_stack_stats_latency_us_bucket{le="+Inf"} 7',
      'nettrace_kernel_drop_stack_stats_latency_us_count 7',
      '# TYPE nettrace_kernel_drop_stack_stats_drops_count gauge',
      'nettrace_kernel_drop_stack_stats_drops_count{reason="NO_SOCKET"} 7',
      '# EOF',
    ]);
  });

  it('labels rows by their shown text, sums rows with equal labels, folds beyond the series cap into "other"', () => {
    const table = {
      kind: 'table' as const,
      key: 'drops',
      columns: [
        { key: 'reason', header: 'R' },
        { key: 'src', header: 'S', value: (r: Record<string, unknown>) => `${r.src_ip}:${r.src_port}` },
        { key: 'count', header: 'C' },
      ],
      rows: [
        { reason: 'A', src_ip: '10.0.0.1', src_port: 1, count: 5, hidden: 1 },
        { reason: 'A', src_ip: '10.0.0.1', src_port: 1, count: 2, hidden: 2 },
        { reason: 'B', src_ip: '10.0.0.2', src_port: 2, count: 3 },
        { reason: 'C', src_ip: '10.0.0.3', src_port: 3, count: 4 },
        { reason: 'D', src_ip: '10.0.0.4', src_port: 4, count: 1 },
      ],
    };
    const text = renderMetrics(reportMetrics('p', { sections: [table] }, { totals: true, maxSeries: 3 }), 'prometheus');
    expect(text.split('\n')).toEqual([
      '# TYPE nettrace_p_drops_count gauge',
      'nettrace_p_drops_count{reason="A",src="10.0.0.1:1"} 7',
      'nettrace_p_drops_count{reason="B",src="10.0.0.2:2"} 3',
      'nettrace_p_drops_count{reason="other",src="other"} 5',
      '# HELP nettrace_series_folded table rows summed into "other" (the series cap)',
      '# TYPE nettrace_series_folded gauge',
      'nettrace_series_folded{plugin="p",table="drops"} 2',
    ]);
  });

  it('counters of totals are counters: OpenMetrics names the family, Prometheus text the sample', () => {
    const families = reportMetrics('p', { sections: [{ kind: 'counters', key: 'totals', values: { drops: 8 } }] }, { totals: true });
    expect(renderMetrics(families, 'openmetrics').split('\n')).toEqual([
      '# TYPE nettrace_p_totals_drops counter',
      'nettrace_p_totals_drops_total 8',
      '# EOF',
    ]);
    expect(renderMetrics(families, 'prometheus').split('\n')).toEqual([
      '# TYPE nettrace_p_totals_drops_total counter',
      'nettrace_p_totals_drops_total 8',
    ]);
  });
});
