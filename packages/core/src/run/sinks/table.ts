// Text output: event rows as an aligned stream table, reports as text under a timestamped title,
// and footers for events, loss and runs the kernel skipped.
import { renderReportText } from '../../output/render.js';
import { StreamTable } from '../../output/table.js';
import type { Column } from '../../plugin/report.js';
import { logDegraded, type OutputSink, type ReportRecord, type RunHeader, type Writers } from './sink.js';

const stamp = () => new Date().toISOString().replace('T', ' ').slice(0, 19);

export class TableSink implements OutputSink {
  readonly #rows: Record<string, unknown>[] = [];
  readonly #table: StreamTable | undefined;

  /** `columns`: a streaming plugin's event columns. */
  constructor(
    private readonly plugin: string,
    private readonly out: Writers,
    columns: Column[] | undefined,
  ) {
    this.#table = columns && new StreamTable(columns);
  }

  start(h: RunHeader): void {
    logDegraded(this.out, h.degraded);
  }

  event(row: Record<string, unknown>): void {
    this.#rows.push(row);
  }

  flush(): void {
    const lines = this.#table?.lines(this.#rows) ?? [];
    this.#rows.length = 0;
    if (lines.length) this.out.writeLines(lines);
  }

  report(r: ReportRecord): void {
    const { write } = this.out;
    if (r.report) {
      const kind = r.final ? 'final report' : r.cumulative ? 'interval report (totals since start)' : 'interval report';
      write(`\n[${stamp()}] ${this.plugin} ${kind}`);
      write(renderReportText(r.report));
    }
    if (r.streaming && (r.lost || r.final))
      write(`events: ${r.events}, lost events: ${r.lost}${r.lost ? ' (ring buffer full: filter more, or use a larger ring)' : ''}`);
    if (r.missedRuns)
      write(
        `missed program runs: ${r.missedRuns} (the kernel skipped them while another BPF program or map operation was active on that CPU; counts may be low)`,
      );
  }
}
