// The @nettrace/core package directory, found from this module whether it runs bundled
// (dist/index.js) or from source (src/**, in tests): the files core ships beside its code (the
// addon, the feature-probe object, host-programs.json) are looked up from here.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageDir(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'host-programs.json')) && existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return join(dirname(fileURLToPath(import.meta.url)), '..');
  }
}

export const packageDir = findPackageDir(dirname(fileURLToPath(import.meta.url)));
