// Plugin ids under plugins/, read from each package.json's "nettrace" field (no plugin code is
// imported), so the gate can tell a plugin nettrace did not discover from one that does not exist.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths.js';

export function installedPlugins(root = repoRoot): string[] {
  const dir = path.join(root, 'plugins');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((d) => path.join(dir, d, 'package.json'))
    .filter((f) => existsSync(f))
    .map((f) => (JSON.parse(readFileSync(f, 'utf8')) as { nettrace?: { id?: string } }).nettrace?.id)
    .filter((id): id is string => typeof id === 'string')
    .sort();
}
