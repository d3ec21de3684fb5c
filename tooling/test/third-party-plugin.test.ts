// A third party's plugin, end to end, as its author and its user would: `nettrace new` (from the
// CLI installed out of a private registry) scaffolds a package under the @acme scope; the author
// builds it with the published @nettrace/plugin-tools and @nettrace/bpf-headers (clang on the
// author's machine), runs its own test (@nettrace/plugin-testing, from the same registry) and
// publishes it; a user installs it next to the CLI with no compiler on the
// PATH, and `nettrace run` counts exactly the datagrams the test sends between two namespaces.
// Nothing is left behind: the registry stops, the directory goes.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommandJson, sendUdp, type VethPair, vethPair } from '@nettrace/plugin-testing';
import { compilersOnPath, publishPackage, publishWorkspace, type Registry, startRegistry, userEnv } from '../test-support/registry.js';

const execFileAsync = promisify(execFile);
const ID = 'pkt-count';
const SCOPE = '@acme';

describe('a third-party plugin: scaffolded, built with the published tooling, published, installed, run', () => {
  let work: string;
  let registry: Registry | undefined;
  let net: VethPair | undefined;
  let env: NodeJS.ProcessEnv;
  let authorEnv: NodeJS.ProcessEnv;
  let nettrace: string;
  let pluginDir: string;
  const started = Date.now();
  // Asynchronous: a blocked vitest worker may stay silent for 60 s at most.
  const run = async (cmd: string, args: string[], e: NodeJS.ProcessEnv, cwd?: string) =>
    (await execFileAsync(cmd, args, { env: e, cwd, encoding: 'utf8', timeout: 900_000 })).stdout;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'nettrace-third-party-'));
    registry = await startRegistry(join(work, 'registry'), ['@nettrace', SCOPE]);
    await publishWorkspace(registry, join(work, 'registry'));
    let prefix: string;
    ({ env, prefix } = userEnv(work, registry));
    nettrace = join(prefix, 'bin/nettrace');
    // The author's machine: the build toolchain on the PATH (clang, llvm-strip, bpftool), a HOME of
    // its own, npm pointed at the registry.
    const authorHome = join(work, 'author-home');
    mkdirSync(authorHome);
    authorEnv = {
      ...process.env,
      HOME: authorHome,
      npm_config_registry: registry.url,
      npm_config_cache: join(authorHome, '.npm'),
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
    };
    pluginDir = join(work, 'author', ID);
    net = vethPair();
  }, 1_800_000);

  afterAll(async () => {
    net?.cleanup();
    await registry?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
    process.stdout.write(`third-party plugin test: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  });

  it(`npm i -g @nettrace/cli, then nettrace new ${ID} --scope ${SCOPE} writes the package`, async () => {
    expect(compilersOnPath(env)).toEqual([]);
    await run('npm', ['install', '--global', '@nettrace/cli'], env);
    const out = await run(nettrace, ['new', ID, '--dir', pluginDir, '--scope', SCOPE], env);
    expect(out).toContain(`${SCOPE}/${ID}`);
    for (const f of ['package.json', 'tsconfig.json', 'bpf/pkt_count.bpf.c', 'src/index.ts', 'schema.json', 'test/pkt_count.test.mjs', 'README.md'])
      expect(existsSync(join(pluginDir, f)), f).toBe(true);
  }, 900_000);

  it('the author builds it with @nettrace/plugin-tools and the published headers, and publishes it', async () => {
    await run('npm', ['install'], authorEnv, pluginDir);
    // The headers it compiles against are the published package's, not this repository's.
    expect(existsSync(join(pluginDir, 'node_modules/@nettrace/bpf-headers/nettrace/common.bpf.h'))).toBe(true);
    expect(existsSync(join(pluginDir, 'node_modules/@nettrace/bpf-headers/include/bpf/bpf_helpers.h'))).toBe(true);
    await run('npm', ['run', 'build'], authorEnv, pluginDir);
    for (const f of ['dist/pkt_count.bpf.o', 'dist/index.js', 'dist/manifest.json', 'src/pkt_count.gen.ts'])
      expect(existsSync(join(pluginDir, f)), f).toBe(true);
    await publishPackage(registry as Registry, pluginDir, authorEnv.HOME as string);
  }, 900_000);

  it("the author's own test passes: @nettrace/plugin-testing's namespaces, traffic and schema check, run by the installed CLI", async () => {
    // The scaffold's test (node --test) with the helpers the author installed from the registry.
    expect(existsSync(join(pluginDir, 'node_modules/@nettrace/plugin-testing/dist/index.js'))).toBe(true);
    const out = await run('npm', ['test'], { ...authorEnv, NETTRACE: nettrace }, pluginDir);
    expect(out).toMatch(/# pass 1\b/);
    expect(out).toMatch(/# fail 0\b/);
  }, 900_000);

  it(`npm i -g ${SCOPE}/${ID} next to the CLI (no compiler): nettrace list shows it`, async () => {
    await run('npm', ['install', '--global', `${SCOPE}/${ID}`], env);
    const list = (await run(nettrace, ['list', '-o', 'json'], env))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id: string; status?: string });
    expect(list.map((p) => p.id)).toEqual([ID]);
  }, 900_000);

  it(`nettrace run ${ID} counts exactly the IPv4 packets the test sent into a namespace`, async () => {
    const link = net as VethPair;
    const count = 7;
    const netns = statSync(`/run/netns/${link.b.name}`).ino;
    const ifindex = Number(link.b.exec('cat', [`/sys/class/net/${link.devB}/ifindex`]).trim());
    const result = await runCommandJson(
      nettrace,
      ['run', ID, '-o', 'json'],
      () => sendUdp(link.a, { to: link.ipB, port: 9, count, fromPort: 40090 }),
      500,
      env,
    );
    expect(result.stderr).not.toMatch(/error/i);
    const final = result.json.find((r) => r.type === 'final') as
      | { packets: { netns: number; ifindex: number; protocol: string; packets: number }[] }
      | undefined;
    expect(final, result.stderr).toBeDefined();
    // Static neighbours (vethPair): no ARP; the namespace's only IPv4 packets are the test's.
    const rows = final?.packets.filter((r) => r.netns === netns && r.ifindex === ifindex && r.protocol === '0x0800');
    expect(rows?.map((r) => r.packets)).toEqual([count]);
  }, 300_000);
});
