// Imports a plugin's code (its entry file) with @nettrace/core bound to the CLI's copy (see
// core-hook.ts), and turns a failed import into one line that names the package.
import { existsSync, realpathSync } from 'node:fs';
import { register } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { corePackageDir, type Plugin } from '@nettrace/core';
import type { InstalledPlugin } from './discover.js';
import { checkObjectDigest } from './object-check.js';

/** A plugin whose code could not be imported: the CLI prints the message (exit 1), the stack with --debug. */
export class PluginLoadError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
  }
}

let registered = false;

/** Registers core-hook.ts once per process, before the first plugin import. */
function bindCore(): void {
  if (registered) return;
  registered = true;
  const urls = {
    '@nettrace/core': import.meta.resolve('@nettrace/core'),
    '@nettrace/core/package.json': import.meta.resolve('@nettrace/core/package.json'),
  };
  register(new URL('./core-hook.js', import.meta.url), { data: { urls } });
}

/** The @nettrace/core that Node would find from `dir` (the nearest node_modules that has one). */
function coreSeenFrom(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    const candidate = join(d, 'node_modules/@nettrace/core');
    if (existsSync(candidate)) return realpathSync(candidate);
    if (dirname(d) === d) return undefined;
  }
}

export async function importPlugin(installed: InstalledPlugin): Promise<Plugin> {
  // The hook costs a loader thread (tens of ms of start-up): only when the plugin would not find
  // the CLI's core by itself (a --plugin dir, a separate global install).
  const cliCore = realpathSync(corePackageDir);
  if (coreSeenFrom(installed.dir) !== cliCore) bindCore();
  let mod: { default?: Plugin };
  try {
    mod = (await import(pathToFileURL(installed.entry).href)) as { default?: Plugin };
  } catch (err) {
    const first = String((err as Error)?.message ?? err).split('\n')[0];
    throw new PluginLoadError(`plugin ${installed.packageName} (${installed.dir}) could not be loaded: ${first}`, err);
  }
  const plugin = mod.default;
  if (!plugin || plugin.id !== installed.id)
    throw new PluginLoadError(
      `plugin ${installed.packageName}: ${installed.entry} does not export the plugin ${installed.id} as default`,
      undefined,
    );
  checkObjectDigest(installed, plugin);
  return plugin;
}
