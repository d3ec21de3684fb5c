// Test files in order of their measured duration, longest first. The VM group runs two files at a
// time for about an hour; vitest's own order on a fresh clone (no cache: larger files first) put the
// Open vSwitch suites, whose test files are a few lines, last and alone, ~13 minutes of one idle
// worker. The durations come from a full run (tooling/bin/test-durations.mjs writes them); a file
// missing from the table (a new one) runs first, as vitest does with files it has not seen.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const table = path.join(import.meta.dirname, 'test-durations.json');

function durations(): Record<string, number> {
  return (JSON.parse(readFileSync(table, 'utf8')) as { seconds: Record<string, number> }).seconds;
}

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const seconds = durations();
    const root = this.ctx.config.root;
    const cost = (f: TestSpecification) => seconds[path.relative(root, f.moduleId)] ?? Number.POSITIVE_INFINITY;
    return [...files].sort((a, b) => cost(b) - cost(a));
  }
}
