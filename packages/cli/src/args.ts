// Command-line parsing for the commands, through node:util's parseArgs. Its own errors are
// multi-line and name internals, so it runs leniently and this file turns each problem into one
// UsageError line (exit 2). `run`'s plugin and runner options go through their option schemas
// (parseOptions in @nettrace/core) instead.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from '@nettrace/core';

export type ArgSpec = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/**
 * Parses `argv` against `spec` for `command` (e.g. "info", "btf build"). Unknown options, options
 * without their value, and values given to flags are UsageErrors; `unknownHint` ends the
 * unknown-option line.
 */
export function parseCommandArgs(argv: string[], spec: ArgSpec, command: string, unknownHint = ''): ParsedArgs {
  const { values, positionals, tokens } = parseArgs({ args: argv, options: spec, strict: false, allowPositionals: true, tokens: true });
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const s = spec[t.name];
    if (!s) throw new UsageError(`nettrace ${command}: unknown option '${t.rawName}'${unknownHint}`);
    if (s.type === 'string' && !t.value) throw new UsageError(`nettrace ${command}: ${t.rawName} needs a value`);
    if (s.type === 'boolean' && t.value !== undefined) throw new UsageError(`nettrace ${command}: ${t.rawName} takes no value`);
  }
  return { values, positionals };
}

/** Removes every `--plugin <dir>` / `--plugin=<dir>` (a global option, anywhere on the line) and
 * returns the dirs with the rest of argv, in order. */
export function takePluginDirs(argv: string[]): { dirs: string[]; rest: string[] } {
  const { tokens } = parseArgs({
    args: argv,
    options: { plugin: { type: 'string' } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const dirs: string[] = [];
  const taken = new Set<number>();
  for (const t of tokens) {
    if (t.kind !== 'option' || t.name !== 'plugin') continue;
    if (!t.value) throw new UsageError('--plugin needs a directory');
    dirs.push(t.value);
    taken.add(t.index);
    if (!t.inlineValue) taken.add(t.index + 1);
  }
  return { dirs, rest: argv.filter((_, i) => !taken.has(i)) };
}

const OUTPUT = ['table', 'json'] as const;
export type SimpleOutput = (typeof OUTPUT)[number];

/** `-o/--output table|json`. */
export function outputFormat(value: unknown): SimpleOutput {
  if (value === undefined) return 'table';
  if (!OUTPUT.includes(value as SimpleOutput)) throw new UsageError(`--output: '${String(value)}' is not one of ${OUTPUT.join(', ')}`);
  return value as SimpleOutput;
}

/** For commands whose only options are --output and --help (and names as positionals). */
export function simpleOptions(
  argv: string[],
  command: string,
  extra: ArgSpec = {},
): { output: SimpleOutput; help: boolean; positional: string[]; values: ParsedArgs['values'] } {
  const { values, positionals } = parseCommandArgs(
    argv,
    { output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' }, ...extra },
    command,
  );
  return { output: outputFormat(values.output), help: values.help === true, positional: positionals, values };
}

/** Removes every `flag` (a global flag such as --debug, anywhere before a lone `--`) from argv. */
export function takeFlag(argv: string[], flag: string): { found: boolean; rest: string[] } {
  const end = argv.indexOf('--');
  const head = end < 0 ? argv : argv.slice(0, end);
  const rest = head.filter((a) => a !== flag);
  return { found: rest.length !== head.length, rest: end < 0 ? rest : [...rest, ...argv.slice(end)] };
}
