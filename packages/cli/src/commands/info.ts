// `nettrace info <plugin>`: options, hooks with their alternatives, and the plan this kernel gets.
import { describeAlternative, formatHelp, kernelBtfFromEnv, planHooks, runnerOptions } from '@nettrace/core';
import { simpleOptions } from '../args.js';
import { discoverFor, findPlugin } from '../discover.js';
import type { Io } from '../io.js';
import { statusOf } from './list.js';
import { pluginInDir } from './run.js';

export const infoHelp = `Usage: nettrace info <plugin> [--output table|json] [--plugin <dir>]

Shows a plugin's options, its hooks and which alternative this kernel would use.`;

export function infoCommand(argv: string[], pluginDirs: string[], io: Io): number {
  const { output, help, positional } = simpleOptions(argv, 'info');
  if (help) {
    io.out(infoHelp);
    return 0;
  }
  const d = discoverFor(pluginDirs, positional.slice(0, 1));
  const explicit = !positional[0] && pluginDirs.length === 1 ? pluginInDir(d, pluginDirs[0]) : undefined;
  if (explicit) positional.push(explicit);
  if (!positional[0]) {
    io.err('nettrace info: which plugin? (`nettrace list` shows them)');
    return 2;
  }
  const p = findPlugin(d, positional[0]);
  const btf = kernelBtfFromEnv();
  const plan = planHooks(p.manifest.hooks, btf);
  const status = statusOf(plan);
  if (output === 'json') {
    io.out(
      JSON.stringify({
        id: p.id,
        package: p.packageName,
        version: p.version,
        summary: p.manifest.summary,
        status: status.status,
        options: p.manifest.options,
        plan,
      }),
    );
    return 0;
  }
  io.out(`${p.id} ${p.version} (${p.packageName})\n${p.manifest.summary}`);
  if (p.manifest.description) io.out(`\n${p.manifest.description}`);
  io.out(
    `\nOutput: ${p.manifest.output === 'stream' ? 'event stream' : 'interval reports'}${p.manifest.defaultInterval ? `, every ${p.manifest.defaultInterval} s by default` : ''}`,
  );
  io.out(`\nPlugin options:\n${formatHelp(p.manifest.options)}`);
  io.out(`\nRunner options:\n${formatHelp(runnerOptions)}`);
  io.out(`\nHooks on this kernel: ${status.status}`);
  for (const h of plan.hooks) {
    const only = p.manifest.hooks.find((x) => x.name === h.hook)?.when;
    const notes = [h.optional && 'optional', only && `only with --${p.manifest.options[only]?.long ?? only}`].filter(Boolean);
    io.out(`  ${h.hook}${notes.length ? ` (${notes.join(', ')})` : ''}:`);
    if (h.notNeeded) {
      io.out(`    -> not needed here: ${h.notNeeded}`);
      continue;
    }
    for (const r of h.rejected) io.out(`    no   ${describeAlternative(r.alternative)} — ${r.reason}`);
    if (h.chosen) {
      io.out(
        `    USE  ${describeAlternative(h.chosen)}${h.chosen.resolvedTarget !== h.chosen.target && h.chosen.kind.startsWith('k') ? ` as ${h.chosen.resolvedTarget}` : ''}`,
      );
      if (h.chosen.degrades) io.out(`    -> degraded: ${h.chosen.degrades}`);
    } else
      io.out(
        h.optional
          ? `    -> missing; output loses ${h.degrades ?? 'part of its data'}`
          : '    -> cannot attach: the plugin cannot run here',
      );
  }
  return 0;
}
