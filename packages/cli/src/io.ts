// Output sinks, injectable so commands are testable without a child process.
import { type OutputBacklog, stdoutBacklog, writeLinesToStdout } from '@nettrace/core';

export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** Many lines in one write (event streams); default: out() per line. */
  outLines?(lines: string[]): void;
  /** When out() lines queue faster than their reader takes them (event delivery then pauses). */
  backlog?: OutputBacklog;
}

export const processIo: Io = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  outLines: writeLinesToStdout,
  backlog: stdoutBacklog,
};
