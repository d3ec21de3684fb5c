// Tests must not wait for slow child processes synchronously. A vitest worker whose event loop is
// blocked longer than vitest's 60 s RPC timeout fails the whole run with "Timeout calling
// onTaskUpdate" although every test passed (twice in CI: a child vitest run by spawnSync; npm
// publish of every package by execFileSync), and a failed host group skips the VM tests. npm,
// npx and child vitest runs are the slow ones: they must go through an asynchronous helper
// (test-kernel/src/proc.ts `run`, or spawn).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../src/paths.mjs';

const SYNC_CALL = /\b(execFileSync|spawnSync|execSync)\(\s*([^,)]+)(,\s*\[([^\]]*))?/g;

/** The synchronous child-process calls of `code` that start npm, npx or vitest. */
export function blockingSlowChildren(code: string): string[] {
  return [...code.matchAll(SYNC_CALL)]
    .filter((m) => /['"`](npm|npx)['"`]/.test(m[2] ?? '') || /vitest/.test(`${m[2]} ${m[4] ?? ''}`) || /['"`](npm|npx) /.test(m[2] ?? ''))
    .map((m) => m[0].replace(/\s+/g, ' ').slice(0, 80));
}

function testSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) return [];
    if (statSync(path).isDirectory()) return testSources(path);
    return /\.(ts|mts|mjs|cjs)$/.test(name) ? [path] : [];
  });
}

describe('no test waits synchronously for npm, npx or a child vitest', () => {
  it('test and test-support sources', () => {
    const roots = ['tooling/test', 'tooling/test-support', 'tooling/stress', 'test-kernel/src', 'test-kernel/test', 'plugins', 'packages'];
    const files = roots
      .flatMap((r) => testSources(join(repoRoot, r)))
      .filter((f) => /(^|\/)(test|test-support|stress|test-kernel)\//.test(relative(repoRoot, f)) && !f.endsWith('no-blocking-children.test.ts'));
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((f) => blockingSlowChildren(readFileSync(f, 'utf8')).map((c) => `${relative(repoRoot, f)}: ${c}`));
    expect(found, 'use an asynchronous child process (test-kernel/src/proc.ts run)').toEqual([]);
  });

  // The guard must be able to fail.
  it.each([
    "execFileSync('npm', ['publish', '--registry', url])",
    'spawnSync("npx", ["vitest", "run"])',
    "spawnSync(process.execPath, [vitestBin, 'run', file])",
    "execSync('npm install')",
  ])('finds %s', (code) => {
    expect(blockingSlowChildren(code)).toHaveLength(1);
  });

  it('leaves quick or asynchronous calls alone', () => {
    expect(blockingSlowChildren("execFileSync('ip', ['link']); await run(['npm', 'publish']); spawn('npm', ['i'])")).toEqual([]);
  });
});
