// Where a run's output goes: one sink per --output format (table.ts, json.ts, openmetrics.ts),
// behind one interface, so the runner never asks which format it is writing.
import { writeSync } from 'node:fs';
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
  /** Tells when written output is queued faster than its reader takes it (default: stdout's, when
   * the lines go to stdout). */
  backlog?: OutputBacklog;
}

export interface Writers {
  write(line: string): void;
  writeLines(lines: string[]): void;
  log(line: string): void;
  backlog?: OutputBacklog;
}

/** Output waiting for a slow reader. While full(), event delivery pauses until onDrain's callback:
 * events then wait in the kernel's channel and, once it is full, are counted lost there (and
 * reported), instead of queueing in memory without bound. */
export interface OutputBacklog {
  full(): boolean;
  onDrain(resume: () => void): void;
}

/** Bytes queued in process.stdout beyond which delivery pauses: a few batches' worth. */
const STDOUT_BACKLOG_BYTES = 4 << 20;

export const stdoutBacklog: OutputBacklog = {
  full: () => process.stdout.writableLength > STDOUT_BACKLOG_BYTES,
  onDrain: (resume) => process.stdout.once('drain', resume),
};

/** Event lines are encoded into one reused buffer and written from it: joining a batch into one
 * string and encoding that cost several microseconds per line, ten times more than this. */
const OUT_BUFFER_BYTES = 1 << 20;
let outBuffer: Buffer | undefined;

/** Bytes to stdout in order: straight from the buffer with a synchronous write, unless the stream
 * still holds queued data or the descriptor would block (a non-blocking pipe that is full): then
 * through process.stdout, which queues a copy, so that nothing overtakes what is queued. */
function writeOut(buf: Buffer, len: number): void {
  const out = process.stdout;
  let off = 0;
  if (out.writableLength === 0) {
    try {
      while (off < len) off += writeSync(out.fd, buf, off, len - off);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
    }
  }
  out.write(Buffer.from(buf.subarray(off, len)));
}

/** Writes lines to stdout, each ended by a newline. A closed reader (EPIPE) is reported as
 * process.stdout's own write errors are, on the stream, where the CLI ends the run quietly. */
export function writeLinesToStdout(lines: string[]): void {
  const buf = (outBuffer ??= Buffer.allocUnsafe(OUT_BUFFER_BYTES));
  let n = 0;
  try {
    for (const line of lines) {
      const most = line.length * 3 + 1; // UTF-8 bytes at most
      if (n + most > buf.length) {
        writeOut(buf, n);
        n = 0;
      }
      if (most > buf.length) {
        const bytes = Buffer.from(`${line}\n`);
        writeOut(bytes, bytes.length);
        continue;
      }
      n += buf.write(line, n);
      buf[n++] = 10;
    }
    writeOut(buf, n);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPIPE') throw err;
    process.stdout.emit('error', err);
  }
}

export function writers(io: RunIo): Writers {
  const write = io.write ?? ((l: string) => process.stdout.write(`${l}\n`));
  // Event lines go out once per batch (a few large stdout writes), not once per event.
  const writeLines =
    io.writeLines ??
    (io.write
      ? (ls: string[]) => {
          for (const l of ls) write(l);
        }
      : writeLinesToStdout);
  const backlog = io.backlog ?? (io.write || io.writeLines ? undefined : stdoutBacklog);
  return { write, writeLines, log: io.log ?? ((l: string) => process.stderr.write(`${l}\n`)), backlog };
}

export interface RunHeader {
  plan: HookPlan;
  values: Record<string, unknown>;
  /** One note per missing optional hook: what the output lacks. */
  degraded: string[];
  /** The plugin's notes: where the output differs from the upstream tool's. */
  notes: string[];
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
  /** Writes what the events since the last flush produced (every 1024 rows and at the end of a
   * batch). */
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
/** Text output: the plugin's notes as the first lines. */
export function writeNotes(out: Writers, notes: string[]): void {
  for (const n of notes) out.write(`NOTE: ${n}`);
}

export function logDegraded(out: Writers, degraded: string[]): void {
  if (degraded.length) out.log(`DEGRADED: ${degraded.join('; ')}`);
}
