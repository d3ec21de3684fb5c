// What `npm publish` would put in each workspace package's tarball (`npm pack --dry-run`): a plugin
// carries its compiled objects, decoder, manifest, schema and README; core its prebuilt addon;
// none carries tests, TypeScript or C sources, or source maps. The listing and sizes are printed.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../src/paths.mjs';
import { run } from '../../test-kernel/src/proc.js';
import { publishedDirs } from '../test-support/registry.js';

interface Packed {
  name: string;
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}
interface Manifest {
  name: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const published = publishedDirs;
const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
const kiB = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

/** Files no tarball may hold: tests, sources compiled into dist or the addon, maps, build state. */
const notRuntime = /(^|\/)(test|src|native|bpf)\/|\.test\.|\.(ts|c|cc|h|map|tsbuildinfo)$/;
const isDeclaration = (path: string) => path.endsWith('.d.ts');
/** What a package ships as source on purpose: the BPF C headers third-party plugins compile against. */
const shippedSource: Record<string, RegExp> = { '@nettrace/bpf-headers': /^(nettrace|include\/bpf)\/[\w/.]+\.h$/ };

describe('package tarballs (npm pack --dry-run)', () => {
  const packs = new Map<string, Packed>();

  beforeAll(async () => {
    // One npm run for every published package (folders as specs: --workspaces would also walk the
    // private ones, test-kernel's caches included). Asynchronous, as every long child process in a
    // test (tooling/test-support/registry.ts says why).
    const out = (await run(['npm', 'pack', '--dry-run', '--json', '--ignore-scripts', ...published], { cwd: repoRoot })).stdout;
    for (const p of JSON.parse(out) as Packed[]) packs.set(p.name, p);
    const lines = [...packs.values()]
      .filter((p) => published.some((d) => manifestOf(d).name === p.name))
      .map((p) => `${p.name.padEnd(44)} ${kiB(p.size).padStart(11)} packed ${kiB(p.unpackedSize).padStart(11)} unpacked  ${p.files.length} files`);
    process.stdout.write(`package tarballs:\n  ${lines.join('\n  ')}\n`);
  }, 300_000);

  for (const dir of published) {
    const pkg = manifestOf(dir);
    it(`${pkg.name}: no tests, sources or maps`, () => {
      const packed = packs.get(pkg.name);
      expect(packed, `npm pack listed no ${pkg.name}`).toBeDefined();
      process.stdout.write(`${pkg.name}:\n${packed?.files.map((f) => `  ${String(f.size).padStart(9)} ${f.path}`).join('\n')}\n`);
      const stray = (packed?.files ?? [])
        .map((f) => f.path)
        .filter((p) => notRuntime.test(p) && !isDeclaration(p) && !shippedSource[pkg.name]?.test(p));
      expect(stray).toEqual([]);
    });
  }

  for (const dir of published.filter((d) => d.includes('/plugins/'))) {
    const pkg = manifestOf(dir);
    it(`${pkg.name}: its objects, decoder, manifest, schema and README; core only as an optional peer`, () => {
      const paths = new Set(packs.get(pkg.name)?.files.map((f) => f.path));
      const objects = readdirSync(join(dir, 'bpf'))
        .filter((f) => f.endsWith('.bpf.c'))
        .map((f) => `dist/${f.replace(/\.c$/, '.o')}`);
      const needed = ['package.json', 'README.md', 'schema.json', 'dist/index.js', 'dist/index.d.ts', 'dist/manifest.json', ...objects];
      expect(needed.filter((p) => !paths.has(p))).toEqual([]);
      // Not in dependencies, and an optional peer: npm never installs a second core under a plugin.
      expect(pkg.dependencies?.['@nettrace/core']).toBeUndefined();
      expect(pkg.peerDependencies?.['@nettrace/core']).toBeDefined();
      expect(pkg.peerDependenciesMeta?.['@nettrace/core']?.optional).toBe(true);
    });
  }

  it('@nettrace/core: the prebuilt addon for this host, the objects and schemas it loads at run time', () => {
    const paths = new Set(packs.get('@nettrace/core')?.files.map((f) => f.path));
    const needed = [
      `prebuilds/${process.platform}-${process.arch}/nettrace_core.napi.glibc.node`,
      'dist/index.js',
      'dist/feature_probe.bpf.o',
      'dist/shared_types.bpf.o',
      'schema/records.json',
      'host-programs.json',
    ];
    expect(needed.filter((p) => !paths.has(p))).toEqual([]);
  });

  it('@nettrace/bpf-headers: every shared header (its only copy) and the libbpf headers, no vmlinux.h', () => {
    const paths = new Set(packs.get('@nettrace/bpf-headers')?.files.map((f) => f.path));
    const headers = readdirSync(join(repoRoot, 'bpf-headers/nettrace'), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.h'))
      .map((f) => `nettrace/${f}`);
    const libbpf = ['bpf_helpers.h', 'bpf_helper_defs.h', 'bpf_tracing.h', 'bpf_core_read.h', 'bpf_endian.h'].map((f) => `include/bpf/${f}`);
    expect(headers.length).toBeGreaterThan(20);
    expect([...headers, ...libbpf, 'README.md'].filter((p) => !paths.has(p))).toEqual([]);
    expect([...paths].filter((p) => p.includes('vmlinux'))).toEqual([]);
  });

  it('@nettrace/plugin-tools: the nettrace-plugin command and the build code it shares with this repository', () => {
    const paths = new Set(packs.get('@nettrace/plugin-tools')?.files.map((f) => f.path));
    const needed = ['bin/nettrace-plugin.mjs', 'lib/index.mjs', 'lib/bpf-build.mjs', 'lib/gen-types.mjs', 'lib/gen-contract.mjs', 'lib/manifest.mjs'];
    expect(needed.filter((p) => !paths.has(p))).toEqual([]);
  });

  it('@nettrace/cli: its command and the core resolve hook', () => {
    const paths = new Set(packs.get('@nettrace/cli')?.files.map((f) => f.path));
    expect(['bin/nettrace.js', 'dist/bin.js', 'dist/core-hook.js'].filter((p) => !paths.has(p))).toEqual([]);
  });
});

describe('prebuilt addon linkage', () => {
  const addon = join(repoRoot, 'packages/core/prebuilds', `${process.platform}-${process.arch}`, 'nettrace_core.napi.glibc.node');

  it('needs only glibc, libelf and zlib from the host (libbpf and the C++ runtime are linked in)', () => {
    const dynamic = execFileSync('readelf', ['-d', addon], { encoding: 'utf8' });
    const needed = [...dynamic.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]).sort();
    process.stdout.write(`${addon} NEEDED: ${needed.join(' ')}\n`);
    // libelf and zlib stay dynamic: Debian's libelf.a is not position-independent (see binding.gyp).
    expect(needed.filter((lib) => !/^(libc\.so\.6|libm\.so\.6|ld-linux[-\w.]*\.so\.\d|libelf\.so\.1|libz\.so\.1)$/.test(lib))).toEqual([]);
    const symbols = execFileSync('readelf', ['--dyn-syms', '-W', addon], { encoding: 'utf8' });
    // Nothing of libbpf's or libstdc++'s is imported (they are inside) or exported (--exclude-libs).
    expect(symbols.match(/GLIBCXX_[\d.]+|CXXABI_[\d.]+|\bbpf_object__\w+/g) ?? []).toEqual([]);
  });
});
