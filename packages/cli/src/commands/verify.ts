// `nettrace verify [plugin...]`: loads (verifier + CO-RE relocation) and attaches every plugin's
// object with the hook plan of this kernel, then detaches. The test-kernel gate runs it in each VM.

import { release } from 'node:os';
import { join } from 'node:path';
import {
  attachPlan,
  BpfError,
  explainLoadFailure,
  features,
  type KernelBtf,
  KernelSupportError,
  kernelBtfFromEnv,
  openForPlan,
  planHooks,
  requireBpfPrivileges,
} from '@nettrace/core';
import { simpleOptions } from '../args.js';
import { discoverFor, discoverPlugins, findPlugin, type InstalledPlugin } from '../discover.js';
import type { Io } from '../io.js';

export const verifyHelp = `Usage: nettrace verify [plugin...] [--output table|json] [--plugin <dir>]

Loads and attaches each plugin's BPF programs on this kernel (as a run would), then detaches.
Exit status 1 when any plugin that should run here fails to load or attach.`;

interface VerifyResult {
  plugin: string;
  kernel: string;
  status: 'ok' | 'failed' | 'n/a';
  reason?: string;
  programs: {
    hook: string;
    program: string;
    kind: string;
    target: string;
    loaded: boolean;
    attached: boolean;
    error?: string;
    verifierLog?: string;
  }[];
}

/** `btf`: the kernel BTF to plan and relocate with (NETTRACE_BTF, as `run` would use it, else sysfs). */
export function verifyPlugin(p: InstalledPlugin, btf: KernelBtf = kernelBtfFromEnv()): VerifyResult {
  const plan = planHooks(p.manifest.hooks, btf);
  const result: VerifyResult = { plugin: p.id, kernel: release(), status: 'ok', programs: [] };
  if (plan.missing.length) {
    result.status = 'n/a';
    result.reason = plan.missing.map((m) => `${m.hook}: ${m.rejected.map((r) => r.reason).join('; ')}`).join(' | ');
    return result;
  }
  const chosen = plan.hooks.filter((h) => h.chosen).map((h) => h.chosen!);
  result.programs = plan.hooks
    .filter((h) => h.chosen)
    .map((h) => ({
      hook: h.hook,
      program: h.chosen!.program,
      kind: h.chosen!.kind,
      target: h.chosen!.resolvedTarget,
      loaded: false,
      attached: false,
    }));
  let obj: ReturnType<typeof openForPlan> | undefined;
  try {
    obj = openForPlan(join(p.dir, 'dist', p.manifest.object), plan, { name: p.id, btf });
    btf.release(); // libbpf parses the kernel BTF again for the load: not two copies at once
    obj.load();
    for (const r of result.programs) r.loaded = true;
    attachPlan(obj, plan);
    for (const r of result.programs) r.attached = true;
  } catch (err) {
    result.status = 'failed';
    const explained = explainLoadFailure(err, plan, btf.external);
    const e = explained instanceof KernelSupportError ? new Error(`${explained.message}; ${explained.hint}`) : (err as Error);
    const log = err instanceof BpfError ? err.libbpfLog : '';
    const failedProg = chosen.find((c) => log.includes(c.program))?.program;
    for (const r of result.programs) {
      if (!failedProg || r.program === failedProg) {
        r.error = e.message;
        if (log) r.verifierLog = log.slice(-4000);
      }
    }
  } finally {
    obj?.close();
    btf.release();
  }
  return result;
}

export function verifyCommand(argv: string[], pluginDirs: string[], io: Io): number {
  // --all (every installed plugin) is what no name means as well.
  const { output, help, positional } = simpleOptions(argv, 'verify', { all: { type: 'boolean' } });
  if (help) {
    io.out(verifyHelp);
    return 0;
  }
  requireBpfPrivileges('nettrace verify');
  features.tracefsRoot();
  const d = positional.length ? discoverFor(pluginDirs, positional) : discoverPlugins(pluginDirs);
  const selected = positional.length ? positional.map((id) => findPlugin(d, id)) : d.plugins;
  const btf = kernelBtfFromEnv();
  let failed = 0;
  for (const p of selected) {
    const r = verifyPlugin(p, btf);
    if (r.status === 'failed') failed++;
    if (output === 'json') io.out(JSON.stringify(r));
    else {
      io.out(`${r.plugin.padEnd(30)} ${r.status}${r.reason ? ` (${r.reason})` : ''}`);
      for (const prog of r.programs) {
        io.out(
          `    ${prog.program} ${prog.kind}:${prog.target} loaded=${prog.loaded} attached=${prog.attached}${prog.error ? ` error: ${prog.error}` : ''}`,
        );
        if (prog.verifierLog)
          io.out(
            prog.verifierLog
              .split('\n')
              .map((l) => `      | ${l}`)
              .join('\n'),
          );
      }
    }
  }
  return failed ? 1 : 0;
}
