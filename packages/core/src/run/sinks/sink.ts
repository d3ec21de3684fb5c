// Where a run's output goes: one sink per --output format (table.ts, json.ts, openmetrics.ts),
// behind one interface, so the runner never asks which format it is writing.
import type { HookPlan } from '../../plugin/planner.js';
import type { Column, Report } from '../../plugin/report.js';
import type { OutputFormat } from '../options.js';
import { JsonSink } from './json.js';
import { OpenMetricsSink } from './openmetrics.js';
import { TableSink } from './table.js';

/** Where lines go: the CLI's stdout/stderr, or a test's arrays. */
export interface RunIo {
  write?: (line: string) => void;
  /** Writes one batch of event lines at once (default: write() per line, or one stdout write). */
  writeLines?: (lines: string[]) => void;
  log?: (line: string) => void;
}

export interface Writers {
  write(line: string): void;
  writeLines(lines: string[]): void;
  log(line: string): void;
}

export function writers(io: RunIo): Writers {
  const write = io.write ?? ((l: string) => process.stdout.write(`${l}\n`));
  // Event lines go out once per batch (one stdout write), not once per event.
  const writeLines =
    io.writeLines ??
    (io.write
      ? (ls: string[]) => {
          for (const l of ls) write(l);
        }
      : (ls: string[]) => process.stdout.write(`${ls.join('\n')}\n`));
  return { write, writeLines, log: io.log ?? ((l: string) => process.stderr.write(`${l}\n`)) };
}

export interface RunHeader {
  plan: HookPlan;
  values: Record<string, unknown>;
  /** One note per missing optional hook: what the output lacks. */
  degraded: string[];
}

export interface ReportRecord {
  /** The plugin's report (undefined: a streaming plugin without a periodic summary). */
  report: Report | undefined;
  final: boolean;
  /** --cumulative: an interval report holds totals since the start. */
  cumulative: boolean;
  periodSeconds: number;
  events: number;
  lost: number;
  missedRuns: number;
  degraded: string[];
  /** The run streams events (the event/loss footer applies). */
  streaming: boolean;
}

export interface OutputSink {
  /** Once everything is attached, before "Tracing...". */
  start(header: RunHeader): void;
  /** One row of the current batch of events. */
  event(row: Record<string, unknown>): void;
  /** End of a batch: writes what its events produced. */
  flush(): void;
  /** An interval or the final report. */
  report(r: ReportRecord): void;
}

/** `columns`: a streaming plugin's event columns (the table format prints them). */
export function createSink(format: OutputFormat, plugin: string, out: Writers, columns?: Column[]): OutputSink {
  switch (format) {
    case 'json':
      return new JsonSink(plugin, out);
    case 'openmetrics':
      return new OpenMetricsSink(plugin, out);
    default:
      return new TableSink(plugin, out, columns);
  }
}

/** The stderr line of a run whose optional hooks are missing (table and OpenMetrics output). */
export function logDegraded(out: Writers, degraded: string[]): void {
  if (degraded.length) out.log(`DEGRADED: ${degraded.join('; ')}`);
}
