// Versions for --version and for messages: this CLI's and the @nettrace/core it runs plugins on.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corePackageDir } from '@nettrace/core';

const versionAt = (url: string | URL) => (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;

export const cliVersion = (): string => versionAt(new URL('../package.json', import.meta.url));
export const coreVersion = (): string => versionAt(join(corePackageDir, 'package.json'));
