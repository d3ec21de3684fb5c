// Builds one plugin package outside the monorepo, the way tooling/bin/build.mjs builds one inside:
// bpf/*.bpf.c → dist/*.bpf.o (against the installed @nettrace/bpf-headers and a vmlinux.h from this
// machine's BTF), src/<object>.gen.ts (contract and decoders), dist/ (tsc), dist/manifest.json.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { bpfTargetArch, buildBpf, ensureVmlinuxHeader } from './bpf-build.mjs';
import { generateModule, sharedStructSizes } from './gen-types.mjs';
import { writeManifest } from './manifest.mjs';
import { checkNoNumericOffsets } from './offset-check.mjs';

/** The headers a plugin compiles against: the installed @nettrace/bpf-headers, and vmlinux.h in
 * `vmlinuxDir` (generated once from this machine's kernel BTF; CO-RE relocates at load). */
export function installedHeaders(vmlinuxDir) {
  const root = dirname(createRequire(import.meta.url).resolve('@nettrace/bpf-headers/package.json'));
  return { vmlinux: vmlinuxDir, nettrace: join(root, 'nettrace'), libbpf: join(root, 'include') };
}

/** The shared structs' sizes, from the object @nettrace/core ships (decoders of nt_* structs
 * import core's instead of generating their own). */
function coreSharedSizes(pkgDir) {
  const core = dirname(createRequire(join(pkgDir, 'package.json')).resolve('@nettrace/core/package.json'));
  return sharedStructSizes(join(core, 'dist/shared_types.bpf.o'));
}

export async function buildPlugin(pkgDir, log = () => {}) {
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  if (!pkg.nettrace) throw new Error(`${pkg.name}: a plugin package needs a "nettrace" block in package.json (see nettrace new)`);
  checkNoNumericOffsets([join(pkgDir, 'bpf')], pkgDir);
  const headers = installedHeaders(join(pkgDir, 'build'));
  ensureVmlinuxHeader(headers.vmlinux, bpfTargetArch(pkg));
  const objects = buildBpf(pkgDir, headers);
  log(`built ${objects.map((o) => basename(o)).join(', ') || 'no BPF object'}`);
  const types = pkg.nettrace.types ?? {};
  const shared = coreSharedSizes(pkgDir);
  for (const obj of objects) {
    const name = basename(obj, '.bpf.o');
    const target = join(pkgDir, 'src', `${name}.gen.ts`);
    const text = await generateModule(obj, types[name] ?? [], `bpf/${name}.bpf.c`, { shared });
    if (!existsSync(target) || readFileSync(target, 'utf8') !== text) {
      writeFileSync(target, text);
      log(`generated src/${name}.gen.ts`);
    }
  }
  // The author's TypeScript (a devDependency of the plugin), with the plugin's tsconfig.json.
  let tsc;
  try {
    tsc = createRequire(join(pkgDir, 'package.json')).resolve('typescript/bin/tsc');
  } catch {
    throw new Error(`${pkg.name}: typescript is not installed in ${pkgDir} (npm install --save-dev typescript)`);
  }
  execFileSync(process.execPath, [tsc, '-p', pkgDir], { cwd: pkgDir, stdio: 'inherit' });
  await writeManifest(pkgDir);
  log('wrote dist/manifest.json');
}
