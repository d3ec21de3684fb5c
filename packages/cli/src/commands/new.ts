// `nettrace new <id>`: a plugin package of one's own, outside this repository, that builds with the
// published @nettrace/plugin-tools against the published @nettrace/bpf-headers (docs/plugin-guide.md).
// Loaded on use (main.ts), so the other commands' start-up never pays for the templates.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '@nettrace/core';
import { parseCommandArgs } from '../args.js';
import type { Io } from '../io.js';
import { scaffoldFiles } from '../scaffold/files.js';
import { scaffoldVersions } from '../scaffold/versions.js';
import { coreVersion } from '../version.js';

export const newHelp = `Usage: nettrace new <id> [--dir DIR] [--scope @SCOPE]

Writes a new plugin package: bpf/<id>.bpf.c (counts received packets per network namespace,
interface and protocol at the net:netif_receive_skb tracepoint), src/index.ts (definePlugin),
package.json (build: nettrace-plugin build, which runs clang, bpftool and tsc on your machine),
README.md and .gitignore. Then: cd DIR && npm install && npm run build && nettrace run <id> --plugin .

Options:
  --dir <dir>        where to write it (default: ./<id>; must not exist or be empty)
  --scope <@scope>   npm scope of the package name (default: none: nettrace-plugin-<id>)
  -h, --help`;

const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export function newCommand(argv: string[], io: Io): number {
  const { values: v, positionals } = parseCommandArgs(
    argv,
    { dir: { type: 'string' }, scope: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    'new',
    ' (see nettrace new --help)',
  );
  if (v.help) {
    io.out(newHelp);
    return 0;
  }
  const [id, extra] = positionals;
  if (!id) throw new UsageError('nettrace new: the plugin id is missing (nettrace new <id>; see nettrace new --help)');
  if (extra) throw new UsageError(`nettrace new: unexpected argument '${extra}' (see nettrace new --help)`);
  if (!ID.test(id) || id.length > 40)
    throw new UsageError(`nettrace new: '${id}' is not a plugin id (lower-case letters, digits and single dashes, starting with a letter)`);
  const scope = v.scope as string | undefined;
  if (scope !== undefined && !/^@[a-z0-9][a-z0-9._-]*$/.test(scope))
    throw new UsageError(`nettrace new: --scope ${scope}: an npm scope looks like @acme`);
  const dir = resolve((v.dir as string | undefined) ?? id);
  if (existsSync(dir) && readdirSync(dir).length) throw new UsageError(`nettrace new: ${dir} exists and is not empty`);
  const packageName = scope ? `${scope}/${id}` : `nettrace-plugin-${id}`;
  const files = scaffoldFiles({ id, packageName, coreVersion: coreVersion(), versions: scaffoldVersions });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  io.out(`wrote ${packageName} in ${dir}: ${Object.keys(files).join(', ')}`);
  io.out(`next: cd ${dir} && npm install && npm run build && sudo npm test && sudo nettrace run ${id} --plugin .`);
  return 0;
}
