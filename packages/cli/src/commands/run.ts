// `nettrace run <plugin> [options]`: parse options against the plugin's manifest (so --help and
// bad flags never load plugin code), then import the plugin and run it until duration/Ctrl-C.
import { realpathSync } from 'node:fs';
import { release } from 'node:os';
import { pathToFileURL } from 'node:url';
import {
  activeHooks,
  checkBtf,
  describePlan,
  features,
  formatHelp,
  KernelSupportError,
  type Plugin,
  parseOptions,
  planHooks,
  runnerOptions,
  runPlugin,
  UsageError,
} from '@nettrace/core';
import { type Discovery, discoverFor, findPlugin } from '../discover.js';
import type { Io } from '../io.js';

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
    io.out(
      `Usage: nettrace run ${installed.id} [options]\n\n${installed.manifest.summary}\n\nRunner options:\n${formatHelp(runnerOptions)}\n\nPlugin options:\n${formatHelp(installed.manifest.options)}`,
    );
    return 0;
  }
  const btfPath = (values.btf as string | undefined) ?? process.env.NETTRACE_BTF;
  checkBtf(btfPath);
  // Decided from the manifest, before any plugin code or BPF is loaded.
  const plan = planHooks(activeHooks(installed.manifest.hooks, values));
  if (plan.missing.length)
    throw new KernelSupportError(
      `${installed.id} cannot run on this kernel (${release()}):\n  ${describePlan({ ...plan, hooks: plan.missing }).join('\n  ')}`,
      'see `nettrace doctor`; kprobe, fentry and module hooks need a kernel that provides them (e.g. the hypervisor host kernel)',
    );
  const priv = features.privileges();
  if (!priv.root && !(priv.capBpf && priv.capPerfmon))
    throw new KernelSupportError(
      'nettrace needs root, or CAP_BPF + CAP_PERFMON, to load BPF programs',
      `run: sudo nettrace run ${installed.id} ...`,
    );

  const mod = (await import(pathToFileURL(installed.entry).href)) as { default?: Plugin };
  const plugin = mod.default;
  if (!plugin || plugin.id !== installed.id) throw new Error(`${installed.entry} does not export the plugin ${installed.id} as default`);

  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const summary = await runPlugin(plugin, values, {
      interval: values.interval as number | undefined,
      duration: values.duration as number,
      output: values.output as 'table' | 'json' | 'openmetrics',
      btfPath,
      exitAfterAttach: values.exitAfterAttach as boolean,
      failOnLoss: values.failOnLoss as boolean,
      wakeup: values.wakeup as 'adaptive' | 'hybrid' | undefined,
      wakeupBytes: values.wakeupBytes as number | undefined,
      drainMs: values.drainMs as number | undefined,
      ringBytes: values.ringBytes as number | undefined,
      perfBuffer: values.perfBuffer as boolean,
      signal: controller.signal,
      write: io.out,
      writeLines: io.outLines?.bind(io),
      log: io.err,
    });
    if (summary.exitCode) io.err(`nettrace: ${summary.lost} events were lost (--fail-on-loss)`);
    return summary.exitCode;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
