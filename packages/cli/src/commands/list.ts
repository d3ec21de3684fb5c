// `nettrace list`: installed plugins, their version and summary, and whether this kernel can run
// them, from manifests only (no plugin code is imported).
import { type HookPlan, kernelBtfFromEnv, planHooks, renderTable } from '@nettrace/core';
import { simpleOptions } from '../args.js';
import { discoverPlugins } from '../discover.js';
import type { Io } from '../io.js';

export const listHelp = `Usage: nettrace list [--output table|json] [--plugin <dir>]

Lists installed nettrace plugins and whether this kernel can run them.`;

export function statusOf(plan: HookPlan): { status: string; detail: string } {
  if (plan.missing.length)
    return { status: 'not runnable', detail: plan.missing.map((m) => `${m.hook}: ${m.rejected.at(-1)?.reason}`).join('; ') };
  if (plan.degraded.length)
    return {
      status: 'degraded',
      detail: plan.degraded.map((m) => `${m.hook} ${m.chosen ? `via ${m.chosen.kind}` : 'missing'}`).join('; '),
    };
  return { status: 'runnable', detail: '' };
}

export function listCommand(argv: string[], pluginDirs: string[], io: Io): number {
  const { output, help } = simpleOptions(argv, 'list');
  if (help) {
    io.out(listHelp);
    return 0;
  }
  const { plugins, problems } = discoverPlugins(pluginDirs);
  const btf = kernelBtfFromEnv();
  const rows = plugins.map((p) => ({
    id: p.id,
    version: p.version,
    ...(p.incompatible ? { status: 'incompatible', detail: p.incompatible } : statusOf(planHooks(p.manifest.hooks, btf))),
    summary: p.manifest.summary,
    package: p.packageName,
  }));
  if (output === 'json') for (const r of rows) io.out(JSON.stringify(r));
  else
    io.out(
      renderTable(
        [
          { key: 'id', header: 'PLUGIN' },
          { key: 'version', header: 'VERSION' },
          { key: 'status', header: 'ON THIS KERNEL' },
          { key: 'summary', header: 'SUMMARY' },
        ],
        rows,
      ),
    );
  for (const p of problems) io.err(`warning: ${p}`);
  for (const p of plugins) if (p.incompatible) io.err(`warning: ${p.incompatible}`);
  return 0;
}
