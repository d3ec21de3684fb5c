// `npm run build` is `lerna run build`, which only builds packages that have a build script: a
// plugin package without one is silently left unbuilt on a fresh clone (and its tests then fail
// with "unknown plugin"). Every plugin package must carry the same build and test scripts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const pluginsDir = join(__dirname, '../../plugins');

describe('plugin packages', () => {
  for (const id of readdirSync(pluginsDir))
    it(`${id} has the build and test scripts lerna runs`, () => {
      const pkg = JSON.parse(readFileSync(join(pluginsDir, id, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
      expect(pkg.scripts).toEqual({
        build: 'node ../../tooling/bin/build.mjs --only .',
        test: `vitest run --root ../.. plugins/${id}/`,
      });
    });
});
