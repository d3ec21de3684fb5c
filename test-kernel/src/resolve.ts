// Which kernel package to download: the pin from kernels.json while the archive still has it, else
// what the fallback resolves to today. Old ABIs leave the archive after a few point releases; the
// fallback keeps CI green and the warning says which pin to update.
import type { AptWorld } from './apt.js';
import type { KernelSpec } from './matrix.js';
import { run } from './proc.js';

export interface ResolvedPackage {
  package: string;
  version: string;
  /** Why the pin was not used, when it was not. */
  warning?: string;
}

async function newer(a: string, b: string): Promise<boolean> {
  const r = await run(['dpkg', '--compare-versions', a, 'gt', b], { allowFailure: true });
  return r.code === 0;
}

/** The highest (package, version) among what `apt-cache madison` reports for these names. */
async function highest(apt: AptWorld, names: string[]): Promise<{ package: string; version: string } | undefined> {
  let best: { package: string; version: string } | undefined;
  for (const name of names) {
    for (const version of await apt.versions(name)) {
      if (!best || (await newer(version, best.version))) best = { package: name, version };
    }
  }
  return best;
}

async function viaMeta(apt: AptWorld, meta: string, pattern: RegExp): Promise<string[]> {
  const r = await apt.cache(['depends', meta]);
  return [...r.stdout.matchAll(/Depends:\s+(\S+)/g)].map((m) => m[1] as string).filter((n) => pattern.test(n));
}

async function viaSearch(apt: AptWorld, pattern: RegExp): Promise<string[]> {
  const r = await apt.cache(['search', '--names-only', pattern.source]);
  return r.stdout
    .split('\n')
    .map((l) => l.split(' - ')[0]?.trim() ?? '')
    .filter((n) => pattern.test(n));
}

export async function resolveKernelPackage(apt: AptWorld, spec: KernelSpec): Promise<ResolvedPackage> {
  const { pin, fallback } = spec;
  if ((await apt.versions(pin.package)).includes(pin.version)) return { ...pin };
  const pattern = new RegExp(fallback.pattern);
  const names = fallback.meta ? await viaMeta(apt, fallback.meta, pattern) : [];
  const found = await highest(apt, names.length > 0 ? names : await viaSearch(apt, pattern));
  if (!found) {
    throw new Error(
      `kernel ${spec.id}: ${pin.package}=${pin.version} is no longer in ${spec.release} and the fallback ` +
        `(${fallback.meta ? `meta ${fallback.meta}, ` : ''}pattern ${fallback.pattern}) matches nothing; update the pin in test-kernel/kernels.json`,
    );
  }
  return {
    ...found,
    warning: `kernel ${spec.id}: pin ${pin.package}=${pin.version} has left the archive; using ${found.package}=${found.version} (update test-kernel/kernels.json)`,
  };
}
