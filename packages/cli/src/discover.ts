// Finds installed plugins without importing their code: any package with a `nettrace` field in
// its package.json, in node_modules beside the CLI (local, workspace, global), in
// NETTRACE_PLUGIN_PATH, or given with --plugin <dir>. Ours and third parties' are found alike.
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_VERSION, type HookSpec, type OptionsSchema, UsageError } from '@nettrace/core';
import { cliVersion } from './version.js';

export interface PluginManifest {
  apiVersion: number;
  id: string;
  summary: string;
  description?: string;
  object: string;
  options: OptionsSchema;
  hooks: HookSpec[];
  defaultInterval: number;
  output: 'report' | 'stream';
  /** sha256 of the compiled object, recorded by the build (absent in manifests built before it was). */
  objectSha256?: string;
  /** The architecture its kprobes read registers for (x86, arm64), recorded by the build. */
  bpfArch?: string;
}

export interface InstalledPlugin {
  id: string;
  packageName: string;
  version: string;
  dir: string;
  entry: string;
  manifest: PluginManifest;
  /** Why this CLI cannot run it (a plugin API it does not speak); `list` shows it, `run` refuses it. */
  incompatible?: string;
}

interface NettraceField {
  apiVersion?: number;
  id?: string;
  entry?: string;
  manifest?: string;
}

function readPackage(dir: string): InstalledPlugin | undefined {
  const pkgPath = join(dir, 'package.json');
  if (!existsSync(pkgPath)) return undefined;
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { name: string; version: string; nettrace?: NettraceField };
  const field = pkg.nettrace;
  if (!field || field.apiVersion === undefined) return undefined;
  const entry = join(dir, field.entry ?? 'dist/index.js');
  if (field.apiVersion !== API_VERSION) {
    // Its manifest may not be readable by this CLI: list it by its package fields only.
    const id = field.id ?? pkg.name;
    const manifest: PluginManifest = {
      apiVersion: field.apiVersion,
      id,
      summary: '',
      object: '',
      options: {},
      hooks: [],
      defaultInterval: 0,
      output: 'report',
    };
    const newer = field.apiVersion > API_VERSION;
    const incompatible = `${pkg.name} ${pkg.version} is written for nettrace plugin API ${field.apiVersion}; this CLI (${cliVersion()}) speaks API ${API_VERSION}: ${newer ? 'upgrade @nettrace/cli' : `install a version of ${pkg.name} for API ${API_VERSION}`}`;
    return { id, packageName: pkg.name, version: pkg.version, dir, entry, manifest, incompatible };
  }
  const manifestPath = join(dir, field.manifest ?? 'dist/manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`${pkg.name}: ${manifestPath} is missing (build the plugin: npm run build)`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as PluginManifest;
  return { id: manifest.id, packageName: pkg.name, version: pkg.version, dir, entry, manifest };
}

function mentionsNettrace(dir: string): boolean {
  try {
    return readFileSync(join(dir, 'package.json'), 'utf8').includes('"nettrace"');
  } catch {
    return false;
  }
}

function* packagesIn(nodeModules: string): Generator<string> {
  if (!existsSync(nodeModules)) return;
  for (const name of readdirSync(nodeModules)) {
    if (name.startsWith('.')) continue;
    const path = join(nodeModules, name);
    if (name.startsWith('@')) {
      for (const sub of readdirSync(path)) yield join(path, sub);
    } else {
      yield path;
    }
  }
}

function searchRoots(): string[] {
  const roots: string[] = [];
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    roots.push(join(dir, 'node_modules'));
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  roots.push(resolve(dirname(process.execPath), '../lib/node_modules'));
  return roots;
}

export interface Discovery {
  plugins: InstalledPlugin[];
  problems: string[];
}

/**
 * `installed: false` looks only at `extraDirs` (--plugin): a command that names only plugins given
 * that way need not read the package.json of every package beside the CLI (seconds over a slow
 * file system such as a test VM's 9p share). `lenient`: `extraDirs` that are not plugins are
 * skipped, not refused (directories discoverFor guessed).
 */
export function discoverPlugins(extraDirs: string[] = [], opts: { installed?: boolean; lenient?: boolean } = {}): Discovery {
  const found = new Map<string, InstalledPlugin>();
  const problems: string[] = [];
  const seenDirs = new Set<string>();
  const consider = (dir: string, explicit: boolean) => {
    // Most packages beside the CLI are not plugins: skip them on the raw text, without resolving
    // symlinks or parsing JSON (a node_modules of ~500 packages took ~90 ms of every start).
    if (!explicit && !mentionsNettrace(dir)) return;
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      if (explicit) throw new UsageError(`--plugin: no such directory: ${dir}`);
      return;
    }
    if (seenDirs.has(real)) return;
    seenDirs.add(real);
    try {
      const p = readPackage(real);
      if (!p) {
        if (explicit) throw new UsageError(`--plugin: ${dir} is not a nettrace plugin (its package.json has no "nettrace" field)`);
        return;
      }
      const other = found.get(p.id);
      if (other) problems.push(`plugin id ${p.id} is provided twice: ${other.dir} and ${p.dir} (using the first)`);
      else found.set(p.id, p);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      problems.push((err as Error).message);
    }
  };
  for (const dir of extraDirs) consider(dir, !opts.lenient);
  if (opts.installed === false) return { plugins: [...found.values()].sort((a, b) => a.id.localeCompare(b.id)), problems };
  for (const dir of (process.env.NETTRACE_PLUGIN_PATH ?? '').split(':').filter(Boolean)) consider(dir, false);
  for (const root of searchRoots()) for (const dir of packagesIn(root)) consider(dir, false);
  return { plugins: [...found.values()].sort((a, b) => a.id.localeCompare(b.id)), problems };
}

/** The package directories where a plugin named `id` usually lives beside the CLI: ours
 * (@nettrace/<id>), a third party's conventional name, or the id itself as the package name. */
function likelyPackageDirs(id: string): string[] {
  const names = id.startsWith('@') ? [id] : [`@nettrace/${id}`, `nettrace-plugin-${id}`, id];
  return searchRoots().flatMap((root) => names.map((n) => join(root, n)));
}

/**
 * Discovery for a command that names `ids` (none: the one plugin of a single --plugin dir): the
 * --plugin dirs alone when they hold every plugin named; else the packages where those ids usually
 * live (with NETTRACE_PLUGIN_PATH), when that finds them all; else everything installed. Reading
 * the package.json of every package beside the CLI took ~80 ms of each start in a workspace's
 * node_modules (seconds inside the TCG test VMs); `list` and `doctor` still read them all (and
 * report an id provided twice).
 */
export function discoverFor(extraDirs: string[], ids: string[]): Discovery {
  const has = (d: Discovery, id: string) => d.plugins.some((p) => p.id === id || p.packageName === id);
  if (extraDirs.length) {
    const d = discoverPlugins(extraDirs, { installed: false });
    if (ids.length ? ids.every((id) => has(d, id)) : extraDirs.length === 1 && d.plugins.length === 1) return d;
  }
  if (ids.length) {
    const named = [...(process.env.NETTRACE_PLUGIN_PATH ?? '').split(':').filter(Boolean), ...ids.flatMap(likelyPackageDirs)];
    const d = discoverPlugins([...extraDirs, ...named.filter((dir) => existsSync(join(dir, 'package.json')))], {
      installed: false,
      lenient: true,
    });
    if (ids.every((id) => has(d, id))) return d;
  }
  return discoverPlugins(extraDirs);
}

/** The plugin named `id` (its id or package name) that this CLI can run. */
export function findPlugin(d: Discovery, id: string): InstalledPlugin {
  const p = d.plugins.find((x) => x.id === id || x.packageName === id);
  if (p?.incompatible) throw new UsageError(p.incompatible);
  if (!p) {
    const near = d.plugins.filter((x) => x.id.includes(id) || id.includes(x.id)).map((x) => x.id);
    throw new UsageError(
      `unknown plugin '${id}'${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}: \`nettrace list\` shows the installed ones`,
    );
  }
  return p;
}
