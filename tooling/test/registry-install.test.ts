// Installs nettrace as a user would: every package published to a private registry (verdaccio),
// then `npm i -g @nettrace/cli @nettrace/kernel-drop-stack-stats` into a clean prefix, with a
// clean HOME and a PATH that holds no compiler, and the installed `nettrace` lists, describes and
// runs the plugin against drops generated in private namespaces (exact counts). A second plugin
// installed later shows up. Nothing is left behind: the registry stops, the directory goes.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommandJson, sendUdp, type VethPair, vethPair } from '@nettrace/plugin-testing';
import { compilersOnPath, publishWorkspace, type Registry, startRegistry, userEnv } from '../test-support/registry.js';

const execFileAsync = promisify(execFile);

const PLUGIN = 'kernel-drop-stack-stats';
const LATER = 'syscall-recv-latency';

describe('install from a registry, as a user would, on a host without a compiler', () => {
  let work: string;
  let registry: Registry | undefined;
  let net: VethPair | undefined;
  let env: NodeJS.ProcessEnv;
  let nettrace: string;
  const started = Date.now();
  // Asynchronous: an install can take longer than the 60 s a blocked vitest worker may stay silent.
  const npm = async (args: string[]) => (await execFileAsync('npm', args, { env, encoding: 'utf8', timeout: 900_000 })).stdout;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'nettrace-registry-'));
    registry = await startRegistry(join(work, 'registry'));
    await publishWorkspace(registry, join(work, 'registry'));
    let prefix: string;
    ({ env, prefix } = userEnv(work, registry));
    nettrace = join(prefix, 'bin/nettrace');
    net = vethPair();
  }, 1_800_000);

  afterAll(async () => {
    net?.cleanup();
    await registry?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
    process.stdout.write(`registry install test: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  });

  it('the PATH it installs with holds no compiler', () => {
    expect(compilersOnPath(env)).toEqual([]);
    expect(() => execFileSync('sh', ['-c', 'command -v cc || command -v gcc || command -v clang'], { env })).toThrow();
  });

  it(`npm i -g @nettrace/cli @nettrace/${PLUGIN}: one core, with its prebuilt addon`, async () => {
    await npm(['install', '--global', '@nettrace/cli', `@nettrace/${PLUGIN}`]);
    expect(existsSync(nettrace)).toBe(true);
    const found = execFileSync('find', [join(work, 'prefix'), '-path', '*/@nettrace/core/package.json'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    expect(found.map((p) => p.slice(work.length))).toEqual(['/prefix/lib/node_modules/@nettrace/cli/node_modules/@nettrace/core/package.json']);
    // The addon it loads is the prebuilt one: the package has no sources to build one from.
    const core = join(work, 'prefix/lib/node_modules/@nettrace/cli/node_modules/@nettrace/core');
    // (linux-arm64 too when tooling/bin/prebuild-arm64.sh ran before the publish, as a release does.)
    expect(readdirSync(join(core, 'prebuilds'))).toContain(`linux-${process.arch}`);
    expect(existsSync(join(core, 'native'))).toBe(false);
  }, 900_000);

  it('nettrace list shows exactly that plugin, and info describes it', () => {
    const list = execFileSync(nettrace, ['list', '-o', 'json'], { env, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id: string });
    expect(list.map((p) => p.id)).toEqual([PLUGIN]);
    const info = execFileSync(nettrace, ['info', PLUGIN], { env, encoding: 'utf8' });
    expect(info).toContain(PLUGIN);
    expect(info).toContain('--dst-port');
  });

  it('nettrace run counts exactly the drops the test made', async () => {
    const link = net as VethPair;
    const count = 6;
    const run = await runCommandJson(
      nettrace,
      ['run', PLUGIN, '--src-ip', link.ipA, '--dst-ip', link.ipB, '-p', 'udp', '--dst-port', '9', '-o', 'json'],
      () => sendUdp(link.a, { to: link.ipB, port: 9, count, fromPort: 40070 }),
      500,
      env,
    );
    expect(run.stderr).not.toMatch(/error/i);
    const final = run.json.find((r) => r.type === 'final') as { drops: { reason: string; count: number; src_port: number }[] } | undefined;
    expect(final, run.stderr).toBeDefined();
    // One row per (reason, stack, flow): the first datagram may take another path (neighbour
    // resolution), so the flow can have more than one row; the total is exact.
    expect(final?.drops.length).toBeGreaterThan(0);
    expect(final?.drops.every((d) => d.reason === 'NO_SOCKET' && d.src_port === 40070)).toBe(true);
    expect(final?.drops.reduce((n, d) => n + d.count, 0)).toBe(count);
  }, 300_000);

  it(`npm i -g @nettrace/${LATER}: it appears in nettrace list`, async () => {
    await npm(['install', '--global', `@nettrace/${LATER}`]);
    const list = execFileSync(nettrace, ['list', '-o', 'json'], { env, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id: string });
    expect(list.map((p) => p.id).sort()).toEqual([PLUGIN, LATER].sort());
  }, 900_000);
});
