// Plugin ids under plugins/, read from each package.json's "nettrace" field (no plugin code is
// imported), so the gate can tell a plugin nettrace did not discover from one that does not exist.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths.js';

export function installedPlugins(root = repoRoot): string[] {
  return pluginDirs(root)
    .map((d) => d.id)
    .sort();
}

/** The plugins without a kernel suite of their own (`test/kernel.test.ts`): the verifier gate
 * loads and attaches these in each VM; a suite loads, attaches and counts events for its plugin. */
export function pluginsWithoutKernelSuite(root = repoRoot): string[] {
  return pluginDirs(root)
    .filter((d) => !existsSync(path.join(d.dir, 'test/kernel.test.ts')))
    .map((d) => d.id)
    .sort();
}

function pluginDirs(root: string): { id: string; dir: string }[] {
  const dir = path.join(root, 'plugins');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((d) => path.join(dir, d))
    .filter((d) => existsSync(path.join(d, 'package.json')))
    .map((d) => ({
      dir: d,
      id: (JSON.parse(readFileSync(path.join(d, 'package.json'), 'utf8')) as { nettrace?: { id?: string } }).nettrace?.id,
    }))
    .filter((d): d is { id: string; dir: string } => typeof d.id === 'string');
}
