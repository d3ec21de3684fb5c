#!/usr/bin/env node
// `npm run build:changed [-- REF]`, `npm run test:changed [-- REF]`: lerna runs the task only in
// the packages a change touches and in the packages that depend on them, in dependency order, one
// at a time. The change is everything since REF (default: where HEAD left main), committed or not.
// lerna only sees files inside packages; a change to what every package is built or tested with
// (bpf-headers/, the build rule and test support in tooling/, root configuration) touches them all.
import { execFileSync, spawnSync } from 'node:child_process';
import { repoRoot } from '../src/paths.mjs';

const SHARED = [
  'bpf-headers/',
  'tooling/bin/',
  'tooling/src/',
  'tooling/test-support/',
  'package.json',
  'package-lock.json',
  'tsconfig.base.json',
  'vitest.config.ts',
  'lerna.json',
];

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
const shared = changed.filter((f) => SHARED.some((s) => f === s || (s.endsWith('/') && f.startsWith(s))));

const args = ['run', task, '--stream'];
if (shared.length) process.stderr.write(`changed: ${shared.slice(0, 3).join(', ')}${shared.length > 3 ? ', …' : ''} touch every package\n`);
else args.push('--since', ref, '--include-dependents');
const lerna = spawnSync('npx', ['lerna', ...args], { cwd: repoRoot, stdio: 'inherit' });
process.exit(lerna.status ?? 1);
