// `npm run build` is `lerna run build`, which only builds packages that have a build script: a
// plugin package without one is silently left unbuilt on a fresh clone (and its tests then fail
// with "unknown plugin"). Every plugin package must carry the same build and test scripts.
// A @nettrace package a plugin's tests import must be among its devDependencies, so that lerna
// builds it first and the package's own tests run outside the monorepo's hoisting.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const pluginsDir = join(__dirname, '../../plugins');

interface Pkg {
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

function testImports(id: string): string[] {
  const dir = join(pluginsDir, id, 'test');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const found = new Set<string>();
  for (const f of files)
    for (const m of readFileSync(join(dir, f), 'utf8').matchAll(/from '(@nettrace\/[a-z-]+)/g)) found.add(m[1] as string);
  return [...found].sort();
}

describe('plugin packages', () => {
  for (const id of readdirSync(pluginsDir)) {
    const pkg = JSON.parse(readFileSync(join(pluginsDir, id, 'package.json'), 'utf8')) as Pkg;
    it(`${id} has the build and test scripts lerna runs`, () => {
      expect(pkg.scripts).toEqual({
        build: 'node ../../tooling/bin/build.mjs --only .',
        test: `vitest run --root ../.. plugins/${id}/`,
      });
    });
    it(`${id} declares the @nettrace packages its tests import`, () => {
      const declared = { ...pkg.dependencies, ...pkg.devDependencies };
      expect(testImports(id).filter((name) => !(name in declared) && name !== `@nettrace/${id}`)).toEqual([]);
    });
  }
});
