// Output sinks, injectable so commands are testable without a child process.
import { writeLinesToStdout } from '@nettrace/core';

export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** Many lines in one write (event streams); default: out() per line. */
  outLines?(lines: string[]): void;
}

export const processIo: Io = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  outLines: writeLinesToStdout,
};
