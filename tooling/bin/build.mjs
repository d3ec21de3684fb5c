#!/usr/bin/env node
// Builds the whole monorepo in dependency order: vmlinux.h, the core addon, every BPF object,
// generated decoders, TypeScript bundles, plugin manifests. Incremental where it is cheap to be.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkNoNumericOffsets, generateDecoders, generateModule, sharedStructSizes, writeManifest } from '@nettrace/plugin-tools';
import { buildBpf, ensureArchHeader, ensureVmlinuxHeader } from '../src/bpf-build.mjs';
import { bpfHeaders, libbpfRoot, packageDirs, readJson, repoRoot } from '../src/paths.mjs';

const started = Date.now();
const coreDir = join(repoRoot, 'packages/core');

// One build at a time in a checkout (parallel builds would overwrite each other's outputs).
const lock = join(repoRoot, 'tooling/.cache/build.lock');
mkdirSync(dirname(lock), { recursive: true });
for (let waited = 0; ; waited += 200) {
  try {
    mkdirSync(lock);
    break;
  } catch {
    if (waited > 600_000) throw new Error(`another build holds ${lock} for 10 minutes: remove it if no build is running`);
    if (waited === 0) process.stderr.write('build: waiting for another build in this checkout\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  }
}
process.on('exit', () => rmSync(lock, { recursive: true, force: true }));
const step = (what) => process.stderr.write(`build: ${what}\n`);

function buildNative() {
  const dir = join(repoRoot, 'packages/core');
  const out = join(dir, 'native/build/Release/nettrace_core.node');
  const srcDir = join(dir, 'native/src');
  const newest = Math.max(
    ...readdirSync(srcDir).map((f) => statSync(join(srcDir, f)).mtimeMs),
    statSync(join(dir, 'native/binding.gyp')).mtimeMs,
  );
  if (existsSync(out) && statSync(out).mtimeMs >= newest) return;
  step('native addon (node-gyp)');
  // `build` is incremental and keeps the previous .node in place until the new one links.
  const verb = existsSync(join(dir, 'native/build/Makefile')) ? 'build' : 'rebuild';
  execFileSync('npx', ['node-gyp', verb, '--directory', 'native', '--silent'], {
    cwd: dir,
    stdio: 'inherit',
    env: { ...process.env, LIBBPF_ROOT: libbpfRoot },
  });
}

/** Puts the addon where the published package carries it: prebuilds/<platform>-<arch>/, named as
 * prebuildify names an N-API build, so node-gyp-build finds it on a host with no compiler. */
function stagePrebuild() {
  const built = join(coreDir, 'native/build/Release/nettrace_core.node');
  const target = join(coreDir, 'prebuilds', `${process.platform}-${process.arch}`, 'nettrace_core.napi.glibc.node');
  if (existsSync(target) && statSync(target).mtimeMs >= statSync(built).mtimeMs) return;
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(built, target);
  step(`staged ${target.slice(repoRoot.length + 1)}`);
}

/** The BPF-side headers of the vendored libbpf (bpf_helpers.h, bpf_core_read.h...), copied into
 * @nettrace/bpf-headers' include/bpf/ (not committed: generated here) so that a plugin built
 * outside this repository compiles against the same libbpf as the plugins inside. */
function stageLibbpfHeaders() {
  const from = join(libbpfRoot, 'include/bpf');
  const to = join(bpfHeaders, 'include/bpf');
  mkdirSync(to, { recursive: true });
  for (const f of ['bpf_helpers.h', 'bpf_helper_defs.h', 'bpf_tracing.h', 'bpf_core_read.h', 'bpf_endian.h']) {
    if (existsSync(join(to, f)) && statSync(join(to, f)).mtimeMs >= statSync(join(from, f)).mtimeMs) continue;
    copyFileSync(join(from, f), join(to, f));
  }
}

/** Writes src/<object>.gen.ts for every object of a plugin (its contract plus the enums and
 * decoders package.json `nettrace.types` asks for); for core, the shared decoders. */
async function generateTypes(pkgDir, objects) {
  const pkg = readJson(join(pkgDir, 'package.json'));
  const types = pkg.nettrace?.types ?? {};
  const isCore = pkgDir === coreDir;
  if (!pkg.nettrace) return;
  for (const objName of Object.keys(types)) {
    if (!objects.some((o) => basename(o) === `${objName}.bpf.o`))
      throw new Error(`${pkg.name}: nettrace.types names ${objName}, but bpf/${objName}.bpf.c does not exist`);
  }
  for (const obj of isCore ? objects.filter((o) => types[basename(o, '.bpf.o')]) : objects) {
    const objName = basename(obj, '.bpf.o');
    const target = join(pkgDir, 'src', `${objName}.gen.ts`);
    const label = `${pkgDir.slice(repoRoot.length + 1)}/bpf/${objName}.bpf.c`;
    const names = types[objName] ?? [];
    const text = isCore
      ? generateDecoders(obj, names, label, { coreImport: './bpf/layout.js' })
      : await generateModule(obj, names, label, { shared: sharedStructSizes(join(coreDir, 'dist/shared_types.bpf.o')) });
    const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
    if (current === text) continue;
    if (process.env.CI && current) {
      throw new Error(
        `${target} is stale: the BPF object changed (programs, maps, variables, counters or a struct layout). Run npm run build and commit the regenerated file.`,
      );
    }
    writeFileSync(target, text);
    step(`generated ${target.slice(repoRoot.length + 1)}`);
  }
}

/** Newest modification time of the files below `dir` (0 when there are none). */
function newestMtime(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Whether every bundle of `entry` is newer than what goes into it: the package's own sources
 * and configuration (dependencies stay external), and this build script. */
function bundlesUpToDate(pkgDir, entry) {
  const outputs = entry.map((e) => join(pkgDir, 'dist', `${basename(e).replace(/\.ts$/, '')}.js`));
  if (!outputs.every((o) => existsSync(o))) return false;
  const inputs = [
    join(pkgDir, 'package.json'),
    join(pkgDir, 'tsconfig.json'),
    join(repoRoot, 'tsconfig.base.json'),
    fileURLToPath(import.meta.url),
  ];
  const newestInput = Math.max(newestMtime(join(pkgDir, 'src')), ...inputs.filter((f) => existsSync(f)).map((f) => statSync(f).mtimeMs));
  return Math.min(...outputs.map((o) => statSync(o).mtimeMs)) >= newestInput;
}

async function bundle(pkgDir) {
  const pkg = readJson(join(pkgDir, 'package.json'));
  if (!existsSync(join(pkgDir, 'src'))) return;
  const entry = (pkg.tsup?.entry ?? ['src/index.ts']).filter((e) => existsSync(join(pkgDir, e)));
  if (!entry.length || bundlesUpToDate(pkgDir, entry)) return;
  step(`bundle ${pkg.name}`);
  const { build } = await import('tsup');
  // dist is not cleaned (it holds the .bpf.o files), so chunks of an earlier bundle would stay and
  // be published: remove them, tsup writes the ones this bundle needs.
  const dist = join(pkgDir, 'dist');
  if (existsSync(dist)) for (const f of readdirSync(dist)) if (/^chunk-[A-Z0-9]+\.js(\.map)?$/.test(f)) rmSync(join(dist, f));
  // tsup resolves tsconfig paths (rootDir, include) against the working directory.
  const cwd = process.cwd();
  process.chdir(pkgDir);
  try {
    await build({
      entry: entry.map((e) => join(pkgDir, e)),
      outDir: join(pkgDir, 'dist'),
      format: ['esm'],
      target: 'node20',
      platform: 'node',
      dts: false, // declarations come from `tsc -b` (project references), below
      clean: false, // dist also holds the .bpf.o files
      silent: !process.env.NETTRACE_BUILD_VERBOSE,
      sourcemap: true,
      tsconfig: join(pkgDir, 'tsconfig.json'),
      // esbuild captures its working directory once per process; tsup passes relative entries.
      esbuildOptions(o) {
        o.absWorkingDir = pkgDir;
      },
    });
  } finally {
    process.chdir(cwd);
  }
}

// `--only <dir>` (relative to the working directory) builds one package, plus the headers and the
// addon when they are stale: each package's `build` script (`--only .`), which `lerna run build`
// runs in dependency order, and the fast inner loop (`--only plugins/<id>` from the root).
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? resolve(process.argv[onlyArg + 1]) : undefined;

function writeRootTsconfig(dirs) {
  const refs = dirs.filter((d) => existsSync(join(d, 'tsconfig.json'))).map((d) => ({ path: d.slice(repoRoot.length + 1) }));
  const text = `${JSON.stringify({ files: [], references: refs }, null, 2)}\n`;
  const path = join(repoRoot, 'tsconfig.json');
  if (!existsSync(path) || readFileSync(path, 'utf8') !== text) writeFileSync(path, text);
}

step('checking bpf sources for hard-coded struct offsets');
checkNoNumericOffsets([join(bpfHeaders, 'nettrace'), join(repoRoot, 'plugins')], repoRoot);
ensureVmlinuxHeader();
stageLibbpfHeaders();
buildNative();
stagePrebuild();
const dirs = packageDirs();
if (only && !dirs.includes(only)) throw new Error(`--only ${process.argv[onlyArg + 1]}: not a package of this repository (${only})`);
writeRootTsconfig(dirs);
for (const dir of dirs) {
  // Core and test-kernel are built first when missing: every package imports core, and an arm64
  // plugin's build takes its kernel BTF from test-kernel (src/bpf-build.mjs).
  const prerequisite = (dir.endsWith('/packages/core') || dir.endsWith('/test-kernel')) && !existsSync(join(dir, 'dist/index.js'));
  if (only && dir !== only && !prerequisite) continue;
  await ensureArchHeader(dir);
  const objects = buildBpf(dir);
  await generateTypes(dir, objects);
  await bundle(dir);
  if (dir.includes('/plugins/')) await writeManifest(dir);
}
step('declarations and type check (tsc -b)');
// tsc itself rather than through npx: lerna runs this once per package, and npx costs a second each.
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-b', only ? join(only, 'tsconfig.json') : 'tsconfig.json'], { cwd: repoRoot, stdio: 'inherit' });
step(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
