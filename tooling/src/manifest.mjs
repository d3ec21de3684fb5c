// Writes dist/manifest.json for a plugin package from its built definition, so discovery, `list`,
// `info` and `--help` never import plugin code at run time.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readJson } from './paths.mjs';

export async function writeManifest(pkgDir) {
  const pkg = readJson(join(pkgDir, 'package.json'));
  if (!pkg.nettrace) throw new Error(`${pkg.name}: plugin packages need a "nettrace" field in package.json`);
  const entry = join(pkgDir, pkg.nettrace.entry ?? 'dist/index.js');
  const { pluginManifest } = await import('@nettrace/core');
  const mod = await import(`${pathToFileURL(entry).href}?t=${Date.now()}`);
  const plugin = mod.default;
  if (!plugin?.apiVersion) throw new Error(`${entry} must export default definePlugin({...})`);
  if (plugin.id !== pkg.nettrace.id)
    throw new Error(`${pkg.name}: package.json nettrace.id is ${pkg.nettrace.id}, the plugin says ${plugin.id}`);
  const objectPath = plugin.object.pathname;
  if (!existsSync(objectPath))
    throw new Error(
      `${pkg.name}: the plugin's object ${objectPath} was not built (is bpf/${objectPath.split('/').pop().replace('.o', '.c')} there?)`,
    );
  writeFileSync(join(pkgDir, 'dist/manifest.json'), `${JSON.stringify(pluginManifest(plugin), null, 2)}\n`);
}
