import { describe, expect, it } from 'vitest';
import { renderOpenMetrics } from '../src/index.js';

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
      'nettrace_kernel_drop_stack_stats_latency_us_bucket{le="1"} 2',
      'nettrace_kernel_drop_stack_stats_latency_us_bucket{le="7"} 7',
      'nettrace_kernel_drop_stack_stats_latency_us_bucket{le="+Inf"} 7',
      'nettrace_kernel_drop_stack_stats_latency_us_count 7',
      '# TYPE nettrace_kernel_drop_stack_stats_drops_count gauge',
      'nettrace_kernel_drop_stack_stats_drops_count{reason="NO_SOCKET"} 7',
      '# EOF',
    ]);
  });
});
