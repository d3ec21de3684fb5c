#!/usr/bin/env node
// `npm run build:changed [-- REF]`, `npm run test:changed [-- REF]`: lerna runs the task only in
// the packages a change touches and in the packages that depend on them, in dependency order, one
// at a time (test builds those packages first). The change is everything since REF (default: where
// HEAD left main), committed or not.
// lerna only sees files inside packages and the dependencies package.json files declare; a change
// to what every package is built with (bpf-headers/, the build rule in packages/plugin-tools/, root configuration) or tested
// with (tooling's test support, test-kernel's VM harness, which plugins' kernel tests import by
// path) touches them all.
import { execFileSync, spawnSync } from 'node:child_process';
import { repoRoot } from '../src/paths.mjs';

const BUILT_WITH = [
  'bpf-headers/',
  'packages/plugin-tools/',
  'tooling/bin/',
  'tooling/src/',
  'package.json',
  'package-lock.json',
  'tsconfig.base.json',
  'lerna.json',
];
const TESTED_WITH = ['tooling/test-support/', 'test-kernel/src/', 'test-kernel/guest/', 'test-kernel/kernels.json', 'vitest.config.ts'];

const [task, refArg] = process.argv.slice(2);
if (task !== 'build' && task !== 'test') {
  process.stderr.write('usage: node tooling/bin/changed.mjs build|test [REF]\n');
  process.exit(2);
}
const git = (...args) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
const ref = refArg ?? git('merge-base', 'HEAD', 'main');
const changed = [...git('diff', '--name-only', ref).split('\n'), ...git('ls-files', '--others', '--exclude-standard').split('\n')].filter(
  Boolean,
);
const sharedPaths = task === 'test' ? [...BUILT_WITH, ...TESTED_WITH] : BUILT_WITH;
const shared = changed.filter((f) => sharedPaths.some((s) => f === s || (s.endsWith('/') && f.startsWith(s))));

const selection = shared.length ? [] : ['--since', ref, '--include-dependents'];
if (shared.length) process.stderr.write(`changed: ${shared.slice(0, 3).join(', ')}${shared.length > 3 ? ', …' : ''} touch every package\n`);
for (const t of task === 'test' ? ['build', 'test'] : ['build']) {
  const lerna = spawnSync('npx', ['lerna', 'run', t, '--stream', ...selection], { cwd: repoRoot, stdio: 'inherit' });
  if (lerna.status !== 0) process.exit(lerna.status ?? 1);
}
