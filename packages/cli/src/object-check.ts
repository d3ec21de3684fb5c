// A plugin's compiled object must be the one its package was built with: the build records the
// object's sha256 in dist/manifest.json (@nettrace/plugin-tools manifest.mjs), and a run refuses
// a file that differs (a partial copy, a disk error, a file replaced by hand) before libbpf ever
// reads it.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Plugin, SetupError } from '@nettrace/core';
import type { InstalledPlugin } from './discover.js';

export function checkObjectDigest(installed: InstalledPlugin, plugin: Plugin): void {
  const recorded = installed.manifest.objectSha256;
  const path = fileURLToPath(plugin.object);
  // No digest (a manifest from before it was recorded) or no file: the open reports what it finds.
  if (!recorded || !existsSync(path)) return;
  const actual = createHash('sha256').update(readFileSync(path)).digest('hex');
  if (actual === recorded) return;
  throw new SetupError(
    `the BPF object of ${installed.id} is damaged: its sha256 is ${actual.slice(0, 12)}…, the package was built with ${recorded.slice(0, 12)}… (${path}); reinstall the plugin's package (or rebuild it)`,
  );
}
