// Runs a built plugin in-process, the way `nettrace run` does, and returns its output lines.
// Traffic is generated from `during`, after every program is attached, and the run then stops.
import { join } from 'node:path';
import { type AttachKind, type Plugin, parseOptions, planRun, type RunSummary, runnerOptions, runPlugin } from '@nettrace/core';
import { type CliRun, runCommandJson } from '@nettrace/plugin-testing';
import { repoRoot } from '../src/paths.mjs';

export interface PluginRun {
  lines: string[];
  json: Record<string, unknown>[];
  log: string[];
  summary: RunSummary;
}

export async function loadPlugin(id: string): Promise<Plugin> {
  const mod = (await import(join(repoRoot, 'plugins', id, 'dist/index.js'))) as { default: Plugin };
  return mod.default;
}

export interface RunWithOptions {
  /** Keep only hook alternatives of these kinds, e.g. ['tracepoint'] to prove the fallback path
   * on a kernel where a richer alternative would win. */
  onlyKinds?: AttachKind[];
}

/** The plugin with only the hook alternatives of `kinds` (a test seam; plugins stay frozen). */
export function withHookKinds(plugin: Plugin, kinds: AttachKind[]): Plugin {
  const hooks = plugin.hooks.map((h) => ({ ...h, alternatives: h.alternatives.filter((a) => kinds.includes(a.kind)) }));
  return Object.freeze({ ...plugin, hooks });
}

export async function runWith(
  id: string,
  argv: string[],
  during: () => void | Promise<void>,
  settleMs = 300,
  opts: RunWithOptions = {},
): Promise<PluginRun> {
  const loaded = await loadPlugin(id);
  const plugin = opts.onlyKinds ? withHookKinds(loaded, opts.onlyKinds) : loaded;
  // NETTRACE_TEST_PERF_BUFFER=1 reruns a plugin's event tests through the perf-buffer channel.
  const perfArgs = process.env.NETTRACE_TEST_PERF_BUFFER === '1' && plugin.output.kind === 'stream' ? ['--perf-buffer'] : [];
  const values = parseOptions({ ...runnerOptions, ...plugin.options }, [...argv, ...perfArgs], id);
  const lines: string[] = [];
  const log: string[] = [];
  const controller = new AbortController();
  // The plan `nettrace run` makes for the same values (runOptionsFrom inside: duration, --btf, output...).
  const plan = planRun(plugin, values);
  const summary = await runPlugin(
    plugin,
    values,
    {
      write: (l) => lines.push(l),
      log: (l) => log.push(l),
      signal: controller.signal,
      onAttached: async () => {
        try {
          await during();
          await new Promise((r) => setTimeout(r, settleMs));
        } finally {
          controller.abort();
        }
      },
    },
    plan,
  );
  if (perfArgs.length && summary.channel !== 'perf') throw new Error(`${id}: asked for --perf-buffer, ran on ${summary.channel}`);
  const json = values.output === 'json' ? lines.map((l) => JSON.parse(l) as Record<string, unknown>) : [];
  return { lines, json, log, summary };
}

/**
 * Runs `nettrace run <id> … -o json` as its own process, the way a user does: interval reports
 * come from its own timer while `during` generates traffic (runWith() reports only at the end).
 * Stops it with SIGTERM `settleMs` after `during` returns.
 */
export async function runCli(id: string, argv: string[], during: () => void | Promise<void>, settleMs = 300): Promise<CliRun> {
  return runCommandJson(process.execPath, [join(repoRoot, 'packages/cli/dist/bin.js'), 'run', id, ...argv, '-o', 'json'], during, settleMs);
}

export type { CliRun };
