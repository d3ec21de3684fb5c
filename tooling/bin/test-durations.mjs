#!/usr/bin/env node
// Writes tooling/test-support/test-durations.json (seconds per test file) from the last full
// `npm test` (vitest's JSON report in tooling/.cache), for the longest-first order of test files.
// Run it after a full run when files were added or got much longer or shorter.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const report = JSON.parse(readFileSync(path.join(root, 'tooling/.cache/vitest-results.json'), 'utf8'));
const seconds = {};
for (const f of report.testResults) seconds[path.relative(root, f.name)] = Math.round((f.endTime - f.startTime) / 1000);
const sorted = Object.fromEntries(Object.entries(seconds).sort(([a], [b]) => a.localeCompare(b)));
const out = path.join(root, 'tooling/test-support/test-durations.json');
writeFileSync(
  out,
  `${JSON.stringify({ $comment: 'Seconds per test file in a full npm test; written by tooling/bin/test-durations.mjs', seconds: sorted }, null, 2)}\n`,
);
console.log(`${Object.keys(sorted).length} files -> ${path.relative(root, out)}`);
