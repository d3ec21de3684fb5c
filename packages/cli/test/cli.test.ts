// The `nettrace` binary end to end, as a user runs it: real processes, real kernel.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { copyFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../tooling/src/paths.mjs';
import { schemaValidator } from '../../../tooling/test-support/schema.js';

const BIN = join(__dirname, '../dist/bin.js');
const FIXTURE = join(__dirname, 'fixtures/kprobe-only');
const PLUGINS = join(__dirname, '../../../plugins');
const nettrace = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });

function bpftoolNames(kind: 'prog' | 'link'): string {
  return spawnSync('bpftool', [kind, 'show'], { encoding: 'utf8' }).stdout;
}

/** The kernel frees a detached program after an RCU grace period: allow it a moment. */
async function gone(pattern: RegExp): Promise<boolean> {
  for (let i = 0; i < 20; i++) {
    if (!pattern.test(bpftoolNames('prog')) && !pattern.test(bpftoolNames('link'))) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe('nettrace CLI', () => {
  it('list shows the installed plugins and that they run here', () => {
    const r = nettrace('list');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/kernel-drop-stack-stats\s+\d+\.\d+\.\d+\s+runnable/);
    expect(r.stdout).toMatch(/syscall-recv-latency\s+\d+\.\d+\.\d+\s+runnable/);
    const json = nettrace('list', '-o', 'json')
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(json.find((p) => p.id === 'kernel-drop-stack-stats')).toMatchObject({
      status: 'runnable',
      package: '@nettrace/kernel-drop-stack-stats',
    });
    // Every plugin of this repository is listed. Those whose required hooks all have a tracepoint
    // rung that gives the full output run here; kprobe/fentry-only ones (tested in test-kernel)
    // cannot, and one whose only rung here is a lesser alternative runs degraded. Hooks gated by an
    // option (`when`) or paired with another hook's choice (`pairedWith`) are not required; an
    // optional hook with no tracepoint rung (the stage plugins' function and OVS hooks) is
    // missing here, which makes the run degraded.
    const tracepointKinds = ['tp_btf', 'raw_tp', 'tracepoint'];
    for (const id of readdirSync(join(__dirname, '../../../plugins'))) {
      const manifest = JSON.parse(readFileSync(join(__dirname, '../../../plugins', id, 'dist/manifest.json'), 'utf8')) as {
        hooks: { optional?: boolean; when?: unknown; pairedWith?: unknown; alternatives: { kind: string; degrades?: string }[] }[];
      };
      const required = manifest.hooks.filter((h) => !h.optional && !h.when && !h.pairedWith);
      const tp = (h: (typeof required)[number]) => h.alternatives.filter((a) => tracepointKinds.includes(a.kind));
      const optionalMissing = manifest.hooks.some((h) => h.optional && !h.when && !h.pairedWith && !tp(h).length);
      const expected = required.every((h) => tp(h).some((a) => !a.degrades))
        ? optionalMissing
          ? 'degraded'
          : 'runnable'
        : required.every((h) => tp(h).length)
          ? 'degraded'
          : 'not runnable';
      expect(json.find((p) => p.id === id)?.status, id).toBe(expected);
    }
  });

  it('info shows options and the chosen hook', () => {
    const r = nettrace('info', 'kernel-drop-stack-stats');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/-s, --src-ip <ip>/);
    expect(r.stdout).toMatch(/USE\s+tp_btf:skb\/kfree_skb/);
  });

  it('run --duration 3 -o json prints schema-valid lines and detaches everything', async () => {
    const r = nettrace('run', 'kernel-drop-stack-stats', '--duration', '3', '--output', 'json');
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/Tracing\.\.\. Hit Ctrl-C to end\./);
    const validate = schemaValidator('kernel-drop-stack-stats');
    const lines = r.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(validate(JSON.parse(line))).toBeUndefined();
    expect(JSON.parse(lines[0]).type).toBe('header');
    expect(JSON.parse(lines.at(-1)!).type).toBe('final');
    expect(await gone(/nt_kds_/)).toBe(true);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} prints the final report and detaches`, async () => {
      const child = spawn(process.execPath, [BIN, 'run', 'kernel-drop-stack-stats'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      while (!err.includes('Tracing...')) await new Promise((r) => setTimeout(r, 50));
      expect(bpftoolNames('prog')).toMatch(/nt_kds_btf/);
      child.kill(signal);
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
      expect(out).toMatch(/final report/);
      expect(await gone(/nt_kds_/)).toBe(true);
    });
  }

  const usage: [string, string[], RegExp][] = [
    ['unknown plugin', ['run', 'no-such-plugin'], /unknown plugin 'no-such-plugin'/],
    ['unknown flag', ['run', 'kernel-drop-stack-stats', '--bogus'], /unknown option '--bogus'/],
    ['malformed IP', ['run', 'kernel-drop-stack-stats', '--src-ip', '10.0.0.300'], /--src-ip: '10.0.0.300' is not an IPv4 or IPv6 address/],
    [
      'missing interface',
      ['run', 'kernel-drop-stack-stats', '--interface', 'nosuch0'],
      /--interface: no network interface named 'nosuch0'/,
    ],
    ['bad enum value', ['run', 'kernel-drop-stack-stats', '--group-by', 'colour'], /--group-by: 'colour' is not one of all, stack, flow/],
    ['missing value', ['run', 'kernel-drop-stack-stats', '--top'], /--top needs a value/],
    ['unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    // Runner options are checked with the others, before the plugin is planned or imported.
    ['ring size', ['run', 'kernel-drop-stack-stats', '--ring-bytes', '12288'], /--ring-bytes 12288: must be a power of 2, at least 4096/],
    ['unknown option of a command', ['info', 'eth-drop', '--bogus'], /nettrace info: unknown option '--bogus'/],
  ];
  for (const [name, args, message] of usage) {
    it(`${name}: one clear line, exit 2, no stack trace`, () => {
      const r = nettrace(...args);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it('a plugin that needs kprobes fails with the hook and the missing feature, exit 1', () => {
    const r = nettrace('run', 'fixture-kprobe-only', '--plugin', FIXTURE);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/fixture-kprobe-only cannot run on this kernel/);
    expect(r.stderr).toMatch(/tun_net_xmit: UNAVAILABLE — kprobe:tun_net_xmit \[tun\]: kprobes are not available on this kernel/);
    expect(r.stderr).not.toMatch(/must not be imported/);
  });

  it('a third-party plugin directory is discovered like ours', () => {
    const r = nettrace('list', '--plugin', FIXTURE);
    expect(r.stdout).toMatch(/fixture-kprobe-only\s+1\.0\.0\s+not runnable/);
  });

  it('doctor says kprobes and fentry are unavailable here and which plugins cannot run', () => {
    const r = nettrace('doctor', '--plugin', FIXTURE, '-o', 'json');
    expect(r.status).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d).toMatchObject({ kprobes: false, fentry: false, tp_btf: true, ring_buffer: true });
    expect(d.plugins.find((p: { id: string }) => p.id === 'fixture-kprobe-only').status).toBe('not runnable');
    expect(d.plugins.find((p: { id: string }) => p.id === 'kernel-drop-stack-stats').status).toBe('runnable');
  });

  it('doctor names the programs a feature would start that this host lacks, with their package', () => {
    // A PATH holding only sh and ip: pahole (`btf build`) and nsenter (--netns PATH) are missing.
    const bin = mkdtempSync(join(tmpdir(), 'ntpath-'));
    for (const p of ['/bin/sh', '/usr/sbin/ip']) symlinkSync(p, join(bin, p.split('/').pop()!));
    const r = spawnSync(process.execPath, [BIN, 'doctor', '-o', 'json'], { encoding: 'utf8', env: { ...process.env, PATH: bin } });
    expect(r.status).toBe(0);
    const missing = JSON.parse(r.stdout).missing_programs as { program: string; package: string; needed_for: string }[];
    expect(missing.find((m) => m.program === 'pahole')).toEqual({
      program: 'pahole',
      package: 'dwarves',
      needed_for: 'nettrace btf build (module BTF for kernels without it)',
    });
    expect(missing.map((m) => m.program)).toContain('nsenter');
    expect(missing.map((m) => m.program)).not.toContain('ip');
    const text = spawnSync(process.execPath, [BIN, 'doctor'], { encoding: 'utf8', env: { ...process.env, PATH: bin } }).stdout;
    expect(text).toMatch(/pahole missing \(needed for nettrace btf build .*; fix: apt-get install dwarves\)/);
    // With the full PATH of this machine (setup installed them all), nothing is missing.
    expect(JSON.parse(nettrace('doctor', '-o', 'json').stdout).missing_programs).toEqual([]);
  });

  it("--btf loads against an external BTF file (here: a copy of the running kernel's)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'ntbtf-'));
    const btf = join(dir, 'vmlinux.btf');
    copyFileSync('/sys/kernel/btf/vmlinux', btf);
    const r = nettrace('run', 'kernel-drop-stack-stats', '--btf', btf, '-T', '1', '-o', 'json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.split('\n')[0]).options.btf).toBe(btf);
    const missing = nettrace('run', 'kernel-drop-stack-stats', '--btf', join(dir, 'none.btf'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--btf: no such file/);
  });

  it('--output openmetrics prints each report as OpenMetrics text', () => {
    const r = nettrace('run', 'syscall-recv-latency', '-o', 'openmetrics', '-T', '1');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^# TYPE nettrace_syscall_recv_latency_counters_calls gauge$/m);
    expect(r.stdout).toMatch(/^nettrace_syscall_recv_latency_latency_us_count \d+$/m);
    expect(r.stdout.trim().endsWith('# EOF')).toBe(true);
  });

  it('--help and --version work at every level', () => {
    expect(nettrace('--help').stdout).toMatch(/Commands:/);
    const versions = nettrace('--version').stdout.trim().split('\n');
    expect(versions[0]).toMatch(/^nettrace \d+\.\d+\.\d+$/);
    expect(versions[1]).toMatch(/^@nettrace\/core \d+\.\d+\.\d+$/);
    expect(versions).toContain(`@nettrace/eth-drop ${JSON.parse(readFileSync(join(PLUGINS, 'eth-drop/package.json'), 'utf8')).version}`);
    const h = nettrace('run', 'syscall-recv-latency', '--help');
    expect(h.status).toBe(0);
    expect(h.stdout).toMatch(/-P, --pid <pid>/);
    expect(h.stdout).toMatch(/-i, --interval/);
  });

  it('new scaffolds a plugin package; a bad id, scope or a non-empty folder is one line, exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ntnew-'));
    try {
      const r = nettrace('new', 'rx-count', '--dir', join(dir, 'p'), '--scope', '@acme');
      expect(r.status, r.stderr).toBe(0);
      const pkg = JSON.parse(readFileSync(join(dir, 'p/package.json'), 'utf8'));
      expect(pkg).toMatchObject({ name: '@acme/rx-count', scripts: { build: 'nettrace-plugin build' } });
      expect(pkg.nettrace).toMatchObject({ apiVersion: 1, id: 'rx-count', types: { rx_count: ['pkt_key'] } });
      expect(pkg.peerDependenciesMeta['@nettrace/core'].optional).toBe(true);
      // Pinned to the packages this CLI was built with, read from their own package.json.
      const range = (pkgDir: string) => `^${JSON.parse(readFileSync(join(repoRoot, pkgDir, 'package.json'), 'utf8')).version}`;
      expect(pkg.devDependencies).toMatchObject({
        '@nettrace/core': range('packages/core'),
        '@nettrace/bpf-headers': range('bpf-headers'),
        '@nettrace/plugin-tools': range('packages/plugin-tools'),
        '@nettrace/plugin-testing': range('packages/plugin-testing'),
      });
      expect(pkg.peerDependencies).toEqual({ '@nettrace/core': range('packages/core') });
      expect(Object.values(pkg.devDependencies).filter((v) => v === 'latest' || v === '*')).toEqual([]);
      expect(readdirSync(join(dir, 'p')).sort()).toEqual([
        '.gitignore',
        'README.md',
        'bpf',
        'package.json',
        'schema.json',
        'src',
        'test',
        'tsconfig.json',
      ]);
      expect(readFileSync(join(dir, 'p/test/rx_count.test.mjs'), 'utf8')).toContain("from '@nettrace/plugin-testing'");
      expect(readFileSync(join(dir, 'p/bpf/rx_count.bpf.c'), 'utf8')).toContain('#include "common.bpf.h"');
      for (const [args, message] of [
        [['new', 'Rx_Count'], /not a plugin id/],
        [['new', 'rx-count', '--scope', 'acme'], /an npm scope looks like @acme/],
        [['new', 'rx-count', '--dir', join(dir, 'p')], /exists and is not empty/],
        [['new'], /plugin id is missing/],
      ] as const) {
        const bad = nettrace(...args);
        expect(bad.status).toBe(2);
        expect(bad.stderr.trim().split('\n')).toHaveLength(1);
        expect(bad.stderr).toMatch(message);
      }
      expect(nettrace('new', '--help').stdout).toMatch(/Usage: nettrace new <id>/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A copy of the built eth-drop plugin in a directory of its own, outside the repository's
 * node_modules (so `@nettrace/core` is not resolvable from it), its package fields edited. */
function pluginCopy(edit: (pkg: { nettrace: { apiVersion: number } }) => void = () => {}, entry?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ntplugin-'));
  cpSync(join(PLUGINS, 'eth-drop/dist'), join(dir, 'dist'), { recursive: true });
  const pkg = JSON.parse(readFileSync(join(PLUGINS, 'eth-drop/package.json'), 'utf8'));
  edit(pkg);
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
  if (entry !== undefined) writeFileSync(join(dir, 'dist/index.js'), entry);
  return dir;
}

describe('plugins installed apart from the CLI', () => {
  it('npm links the nettrace command in a clone (npx nettrace)', () => {
    const r = spawnSync(join(__dirname, '../../../node_modules/.bin/nettrace'), ['list'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/eth-drop/);
  });

  it("a plugin directory without node_modules runs on the CLI's own @nettrace/core", () => {
    const dir = pluginCopy();
    const r = nettrace('run', '--plugin', dir, '--exit-after-attach', '-o', 'json');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.split('\n')[0])).toMatchObject({ type: 'header', plugin: 'eth-drop' });
    rmSync(dir, { recursive: true });
  });

  it('a plugin for another plugin API is refused in one line, exit 2, and listed as incompatible', () => {
    const dir = pluginCopy((pkg) => {
      pkg.nettrace.apiVersion = 99;
    });
    const r = nettrace('run', 'eth-drop', '--plugin', dir, '--exit-after-attach');
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(
      /^nettrace: @nettrace\/eth-drop \S+ is written for nettrace plugin API 99; .* speaks API 1: upgrade @nettrace\/cli$/m,
    );
    expect(r.stdout).toBe('');
    const list = nettrace('list', '--plugin', dir, '-o', 'json');
    const row = list.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((p) => p.id === 'eth-drop');
    expect(row).toMatchObject({ status: 'incompatible' });
    rmSync(dir, { recursive: true });
  });

  /** Removes the object digest the build recorded, so libbpf's own checks are what is tested. */
  const withoutDigest = (dir: string) => {
    const file = join(dir, 'dist/manifest.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    expect(manifest.objectSha256).toMatch(/^[0-9a-f]{64}$/);
    delete manifest.objectSha256;
    writeFileSync(file, JSON.stringify(manifest));
  };

  it('a truncated BPF object is named as damaged in one line, exit 1, no libbpf output', () => {
    const dir = pluginCopy();
    withoutDigest(dir);
    const object = join(dir, 'dist/eth_drop.bpf.o');
    writeFileSync(object, readFileSync(object).subarray(0, 3000));
    const r = nettrace('run', '--plugin', dir, '--exit-after-attach');
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(
      `nettrace: the BPF object of eth-drop is damaged: not a valid ELF/BPF object (${object}); reinstall the plugin's package (or rebuild it)`,
    );
    rmSync(dir, { recursive: true });
  });

  it('an object for another architecture (an x86-64 program) is named as damaged, exit 1', () => {
    const dir = pluginCopy();
    withoutDigest(dir);
    const object = join(dir, 'dist/eth_drop.bpf.o');
    copyFileSync(process.execPath, object);
    const r = nettrace('run', '--plugin', dir, '--exit-after-attach');
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(
      /^nettrace: the BPF object of eth-drop is damaged: .+; reinstall the plugin's package \(or rebuild it\)$/,
    );
    rmSync(dir, { recursive: true });
  });

  it('an object that differs from the one the package was built with (one byte) is refused before libbpf reads it', () => {
    const dir = pluginCopy();
    const object = join(dir, 'dist/eth_drop.bpf.o');
    const bytes = readFileSync(object);
    const built = createHash('sha256').update(bytes).digest('hex');
    // The last byte of the file: libbpf would still open it, only the recorded digest tells.
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(object, bytes);
    const r = nettrace('run', '--plugin', dir, '--exit-after-attach');
    expect(r.status).toBe(1);
    const actual = createHash('sha256').update(bytes).digest('hex');
    expect(r.stderr.trim()).toBe(
      `nettrace: the BPF object of eth-drop is damaged: its sha256 is ${actual.slice(0, 12)}…, the package was built with ${built.slice(0, 12)}… (${object}); reinstall the plugin's package (or rebuild it)`,
    );
    // Restored, it runs again.
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(object, bytes);
    expect(nettrace('run', '--plugin', dir, '--exit-after-attach').status).toBe(0);
    rmSync(dir, { recursive: true });
  });

  it('a plugin whose code fails to import is named with the first line of the cause, no stack (--debug shows it)', () => {
    const dir = pluginCopy(() => {}, "import 'no-such-package-nettrace-test';\n");
    const r = nettrace('run', '--plugin', dir, '--exit-after-attach');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^nettrace: plugin @nettrace\/eth-drop \(.*\) could not be loaded: Cannot find package 'no-such-package-nettrace-test'/m,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const debug = nettrace('--debug', 'run', '--plugin', dir, '--exit-after-attach');
    expect(debug.status).toBe(1);
    expect(debug.stderr).toMatch(/\n\s+at /);
    rmSync(dir, { recursive: true });
  });
});
