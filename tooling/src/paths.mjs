// Where things are in the monorepo, computed once.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const libbpfRoot = join(repoRoot, 'tooling/.cache/libbpf-1.4.6/root/usr');
export const bpfHeaders = join(repoRoot, 'bpf-headers');
/** What BPF C compiles against here: vmlinux.h (generated, not committed), the shared headers
 * (@nettrace/bpf-headers), the vendored libbpf's headers. */
export const repoHeaders = {
  vmlinux: join(bpfHeaders, 'build'),
  nettrace: join(bpfHeaders, 'nettrace'),
  libbpf: join(libbpfRoot, 'include'),
};

export function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Workspace package directories in build order: core first, then cli, plugins, the rest. */
export function packageDirs() {
  const list = (dir) =>
    existsSync(join(repoRoot, dir))
      ? readdirSync(join(repoRoot, dir))
          .sort()
          .map((d) => join(repoRoot, dir, d))
          .filter((d) => existsSync(join(d, 'package.json')))
      : [];
  const packages = list('packages');
  const order = ['core', 'cli'];
  packages.sort((a, b) => rank(a) - rank(b));
  function rank(p) {
    const i = order.indexOf(p.split('/').pop());
    return i < 0 ? order.length : i;
  }
  const extra = ['test-kernel'].map((d) => join(repoRoot, d)).filter((d) => existsSync(join(d, 'package.json')));
  // test-kernel before the plugins: an arm64 plugin's build takes the arm64 kernel's BTF from it.
  return [...packages, ...extra, ...list('plugins')];
}
