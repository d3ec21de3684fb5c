// `nettrace run <plugin> [options]`: parse options against the plugin's manifest (so --help and
// bad flags never load plugin code), then import the plugin and run it until duration/Ctrl-C.
import { realpathSync } from 'node:fs';
import { formatHelp, parseOptions, placeholder, planRun, runnerOptions, runPlugin, UsageError } from '@nettrace/core';
import { type Discovery, discoverFor, findPlugin } from '../discover.js';
import type { Io } from '../io.js';
import { importPlugin } from '../plugin-import.js';

export const runHelp = `Usage: nettrace run <plugin> [runner options] [plugin options]

Runs a plugin against the live kernel. \`nettrace run <plugin> --help\` lists its options.

Runner options:
${formatHelp(runnerOptions)}`;

/** The plugin found in `dir` (given with --plugin), not merely the first one discovered. */
export function pluginInDir(d: Discovery, dir: string): string | undefined {
  const real = realpathSync(dir);
  return d.plugins.find((p) => p.dir === real)?.id;
}

export async function runCommand(argv: string[], pluginDirs: string[], io: Io): Promise<number> {
  const d = discoverFor(pluginDirs, argv[0] && !argv[0].startsWith('-') ? [argv[0]] : []);
  let [id, ...rest] = argv;
  if (id === undefined || id.startsWith('-')) {
    const explicit = pluginDirs.length === 1 ? pluginInDir(d, pluginDirs[0]) : undefined;
    if (explicit) {
      // `nettrace run --plugin ./dir ...`: the explicit plugin is the one to run.
      rest = argv;
      id = explicit;
    } else if (id === '-h' || id === '--help' || id === undefined) {
      io.out(runHelp);
      return id === undefined ? 2 : 0;
    } else throw new UsageError(`nettrace run: name a plugin first (\`nettrace list\` shows them)`);
  }
  const installed = findPlugin(d, id);
  const schema = { ...runnerOptions, ...installed.manifest.options };
  const values = parseOptions(schema, rest, `nettrace run ${installed.id}`);
  if (values.help) {
    const bare = Object.values(installed.manifest.options).filter((o) => o.positional);
    io.out(
      `Usage: nettrace run ${installed.id} ${bare.map((o) => `${placeholder(o)} `).join('')}[options]\n\n${installed.manifest.summary}\n\nRunner options:\n${formatHelp(runnerOptions)}\n\nPlugin options:\n${formatHelp(installed.manifest.options)}`,
    );
    return 0;
  }
  // Planned from the manifest, before any plugin code or BPF is loaded; the run uses this plan.
  const plan = planRun({ ...installed.manifest, id: installed.id }, values);

  const plugin = await importPlugin(installed);

  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const summary = await runPlugin(
      plugin,
      values,
      { signal: controller.signal, write: io.out, writeLines: io.outLines?.bind(io), log: io.err, backlog: io.backlog },
      plan,
    );
    if (summary.exitCode) io.err(`nettrace: ${summary.lost} events were lost (--fail-on-loss)`);
    return summary.exitCode;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
