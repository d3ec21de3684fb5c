// Writes dist/manifest.json for a plugin package from its built definition, so discovery, `list`,
// `info` and `--help` never import plugin code at run time. Before that it checks the definition
// against the compiled object itself (what the type checker saw was the generated contract, which
// may be stale, and plain-JS plugins have no type checker): every hook's program exists, every
// variable the options and configure() write exists, and program names fit the kernel's 15.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bpfTargetArch } from './bpf-build.mjs';
import { PROGRAM_NAME_MAX } from './gen-contract.mjs';

/** Variables the runner and configure() write for the default option values. */
function variablesWritten(core, plugin) {
  const names = new Set();
  for (const spec of Object.values(plugin.options)) for (const name of core.optionVariables(spec)) names.add(name);
  const defaults = Object.fromEntries(
    Object.entries(plugin.options).flatMap(([key, spec]) => (spec.default === undefined ? [] : [[key, spec.default]])),
  );
  try {
    for (const [name] of core.recordConfig(plugin, defaults).variables) names.add(name);
  } catch {
    // configure() refuses the defaults alone (a required option): its names were type-checked
  }
  return names;
}

/** The mismatches between a plugin definition and its compiled object, one line each. */
export function checkAgainstObject(core, plugin, objectPath) {
  const obj = core.BpfObject.open(objectPath);
  try {
    const programs = new Set(obj.programs().map((p) => p.name));
    const problems = [];
    for (const p of programs) if (p.length > PROGRAM_NAME_MAX) problems.push(`program ${p} is longer than ${PROGRAM_NAME_MAX} characters`);
    for (const h of plugin.hooks)
      for (const a of h.alternatives) if (!programs.has(a.program)) problems.push(`hook ${h.name}: the object has no program ${a.program}`);
    for (const v of variablesWritten(core, plugin)) if (!obj.hasVariable(v)) problems.push(`the object has no variable ${v}`);
    const stale = [...programs].filter((p) => !(p in plugin.contract.programs));
    if (stale.length) problems.push(`the generated contract lacks program ${stale.join(', ')}: rebuild (npm run build)`);
    return problems;
  } finally {
    obj.close();
  }
}

export async function writeManifest(pkgDir) {
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  if (!pkg.nettrace) throw new Error(`${pkg.name}: plugin packages need a "nettrace" field in package.json`);
  const entry = join(pkgDir, pkg.nettrace.entry ?? 'dist/index.js');
  const core = await import('@nettrace/core');
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
  const problems = checkAgainstObject(core, plugin, objectPath);
  if (problems.length) throw new Error(`${pkg.name} does not match its object ${objectPath}:\n  ${problems.join('\n  ')}`);
  // The object's digest: a run refuses a file that is not the one built here (packages/cli/src/object-check.ts).
  const objectSha256 = createHash('sha256').update(readFileSync(objectPath)).digest('hex');
  // The register layout its kprobes read: a run on another architecture refuses them (core's plan).
  const bpfArch = bpfTargetArch(pkg);
  writeFileSync(join(pkgDir, 'dist/manifest.json'), `${JSON.stringify({ ...core.pluginManifest(plugin), objectSha256, bpfArch }, null, 2)}\n`);
}
