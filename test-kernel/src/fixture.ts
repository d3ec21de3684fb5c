// Builds a plugin fixture (test-kernel/fixtures/<name>) the way the monorepo builds plugins/*:
// the one BPF build rule, the object → TypeScript generator (contract, decoders) and the manifest
// writer of @nettrace/plugin-tools (bound to the repository's headers by tooling/src/bpf-build.mjs),
// then a bundle of src/index.ts. Fixtures are not workspaces, so the root build does not see them;
// the harness builds them before a check uses them.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageDir, repoRoot } from './paths.js';

interface Tooling {
  ensureVmlinuxHeader(): string;
  buildBpf(dir: string): string[];
  generateModule(obj: string, names: string[], label: string, options: { shared: Map<string, number> }): Promise<string>;
  sharedStructSizes(obj: string): Map<string, number>;
  writeManifest(dir: string): Promise<void>;
}

async function tooling(): Promise<Tooling> {
  const bpf = await import(pathToFileURL(path.join(repoRoot, 'tooling/src/bpf-build.mjs')).href);
  const tools = await import(pathToFileURL(path.join(repoRoot, 'packages/plugin-tools/lib/index.mjs')).href);
  return { ...tools, ...bpf } as Tooling;
}

export const fixtureDir = (name: string) => path.join(packageDir, 'fixtures', name);

/** Builds fixtures/<name> into its dist/ (object, decoders, bundle, manifest); returns the dir. */
export async function buildFixture(name: string): Promise<string> {
  const dir = fixtureDir(name);
  const pkgFile = path.join(dir, 'package.json');
  if (!existsSync(pkgFile)) throw new Error(`no fixture ${name}: ${pkgFile} does not exist`);
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { nettrace?: { types?: Record<string, string[]> } };
  const t = await tooling();
  t.ensureVmlinuxHeader();
  const objects = t.buildBpf(dir);
  const types = pkg.nettrace?.types ?? {};
  for (const objName of Object.keys(types))
    if (!objects.some((o) => path.basename(o) === `${objName}.bpf.o`))
      throw new Error(`fixture ${name}: nettrace.types names ${objName}, but bpf/${objName}.bpf.c does not exist`);
  const shared = t.sharedStructSizes(path.join(repoRoot, 'packages/core/dist/shared_types.bpf.o'));
  // Every object gets its module (contract, and the decoders nettrace.types asks for), as plugins do.
  for (const obj of objects) {
    const objName = path.basename(obj, '.bpf.o');
    const target = path.join(dir, 'src', `${objName}.gen.ts`);
    const text = await t.generateModule(obj, types[objName] ?? [], `test-kernel/fixtures/${name}/bpf/${objName}.bpf.c`, { shared });
    const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
    if (current === text) continue;
    if (process.env.CI && current) throw new Error(`${target} is stale: rebuild the fixture and commit the regenerated file`);
    writeFileSync(target, text);
  }
  // A non-literal specifier keeps the bundler from inlining tsup: it is loaded from node_modules.
  const tsupModule = 'tsup';
  const { build } = (await import(tsupModule)) as typeof import('tsup');
  await build({
    entry: [path.join(dir, 'src/index.ts')],
    outDir: path.join(dir, 'dist'),
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    external: ['@nettrace/core'],
    clean: false, // dist also holds the .bpf.o
    silent: true,
    config: false,
  });
  await t.writeManifest(dir);
  return dir;
}
