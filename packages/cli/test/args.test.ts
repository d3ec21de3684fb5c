// Command-line parsing of the commands (node:util.parseArgs underneath): every problem is one
// usage line naming the option.
import { describe, expect, it } from 'vitest';
import { parseCommandArgs, simpleOptions, takePluginDirs } from '../src/args.js';

describe('command arguments', () => {
  it('takes every global --plugin, wherever it is, and keeps the rest in order', () => {
    expect(takePluginDirs(['run', '--plugin', 'a', 'x', '-P', '12', '--plugin=b', '--src-ip', '10.0.0.1'])).toEqual({
      dirs: ['a', 'b'],
      rest: ['run', 'x', '-P', '12', '--src-ip', '10.0.0.1'],
    });
    expect(() => takePluginDirs(['list', '--plugin'])).toThrow(/^--plugin needs a directory$/);
  });

  it('--output and --help, names as positionals', () => {
    expect(simpleOptions(['-o', 'json', 'a', 'b'], 'info')).toMatchObject({ output: 'json', help: false, positional: ['a', 'b'] });
    expect(simpleOptions(['--output=table', '-h'], 'info')).toMatchObject({ output: 'table', help: true, positional: [] });
    expect(simpleOptions(['--all'], 'verify', { all: { type: 'boolean' } }).values.all).toBe(true);
  });

  const refused: [string[], RegExp][] = [
    [['--bogus'], /^nettrace doctor: unknown option '--bogus'$/],
    [['-x'], /^nettrace doctor: unknown option '-x'$/],
    [['-o'], /^nettrace doctor: -o needs a value$/],
    [['--output='], /^nettrace doctor: --output needs a value$/],
    [['-o', 'xml'], /^--output: 'xml' is not one of table, json$/],
    [['--help=yes'], /^nettrace doctor: --help takes no value$/],
  ];
  for (const [argv, message] of refused)
    it(`refuses ${argv.join(' ')} in one line`, () => {
      expect(() => simpleOptions(argv, 'doctor')).toThrow(message);
    });

  it('ends the unknown-option line with the hint given', () => {
    expect(() =>
      parseCommandArgs(['--frobnicate'], { out: { type: 'string', short: 'O' } }, 'btf build', ' (see nettrace btf --help)'),
    ).toThrow("nettrace btf build: unknown option '--frobnicate' (see nettrace btf --help)");
  });
});
