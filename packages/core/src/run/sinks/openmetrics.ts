// OpenMetrics output: each report as a text exposition (a textfile collector's file); events
// themselves are not printed.
import { renderOpenMetrics } from '../../output/openmetrics.js';
import { logDegraded, type OutputSink, type ReportRecord, type RunHeader, type Writers } from './sink.js';

export class OpenMetricsSink implements OutputSink {
  constructor(
    private readonly plugin: string,
    private readonly out: Writers,
  ) {}

  start(h: RunHeader): void {
    logDegraded(this.out, h.degraded);
  }

  event(): void {}

  flush(): void {}

  report(r: ReportRecord): void {
    if (r.report) this.out.write(renderOpenMetrics(this.plugin, r.report, { totals: r.cumulative }));
  }
}
