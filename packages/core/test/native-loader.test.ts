// The addon loader on a host no prebuilt binary matches: a copy of the installed package without
// prebuilds/ (and no checkout build) fails with one SetupError that names what a source build
// needs, not a repository command.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const coreDir = join(__dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'nettrace-loader-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('native addon loader without a matching binary', () => {
  it('names the host it looked for and what a source build needs', () => {
    const pkg = join(work, 'node_modules/@nettrace/core');
    mkdirSync(join(pkg, 'dist'), { recursive: true });
    for (const f of ['package.json', 'host-programs.json', 'dist/index.js']) copyFileSync(join(coreDir, f), join(pkg, f));
    // Its dependencies (eventemitter3, node-gyp-build) from this checkout.
    symlinkSync(join(coreDir, '../../node_modules/eventemitter3'), join(work, 'node_modules/eventemitter3'));
    symlinkSync(join(coreDir, '../../node_modules/node-gyp-build'), join(work, 'node_modules/node-gyp-build'));
    const script = `import('${join(pkg, 'dist/index.js')}').then((m) => { try { m.native(); } catch (e) { console.log(e.name + ': ' + e.message); } })`;
    const env = { ...process.env };
    delete env.NETTRACE_ADDON;
    const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', env });
    expect(out).toMatch(/^SetupError: @nettrace\/core could not load its native addon/);
    expect(out).toContain(`no prebuilt addon for linux-${process.arch}`);
    expect(out).toMatch(/No native build was found for platform=linux arch=\w+/);
    expect(out).toMatch(/a source build needs a C\+\+17 compiler .*make, python3, libelf-dev and zlib1g-dev/);
    expect(out).not.toContain('repository root');
  });
});
