// `nettrace btf build` on the live kernel. This kernel loads no modules, so the "module" is an
// object compiled here with debug info, laid out like a debug package (NAME.ko under a tree); its
// struct points into vmlinux types, which is what a module's split BTF does. The real thing — the
// -dbg package of Debian 11's 5.10 and a plugin reading tun_struct through it — is proven in the
// test kernels (test-kernel/src/smoke.ts).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = join(__dirname, '../dist/bin.js');
const nettrace = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });

const MODULE_SOURCE = `
struct sk_buff;
struct net_device;
/* A module-private struct as the tools read them: scalars beside pointers to kernel types. */
struct ntprobe_queue {
    unsigned int numqueues;
    struct net_device *dev;
    struct sk_buff *pending[4];
};
struct ntprobe_queue ntprobe_instance;
`;

let dir: string;
let debugDir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nettrace-btf-test-'));
  debugDir = join(dir, 'debug');
  mkdirSync(join(debugDir, 'kernel/drivers/net'), { recursive: true });
  writeFileSync(join(dir, 'ntprobe.c'), MODULE_SOURCE);
  const cc = spawnSync('clang-19', ['-g', '-c', '-O0', '-o', join(debugDir, 'kernel/drivers/net/nt-probe.ko'), join(dir, 'ntprobe.c')], {
    encoding: 'utf8',
  });
  if (cc.status !== 0) throw new Error(`clang-19 failed: ${cc.stderr}`);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('nettrace btf build', () => {
  it("appends a module's types to the kernel's BTF: one file that describes both", () => {
    const out = join(dir, 'merged.btf');
    const r = nettrace('btf', 'build', '--modules', 'nt_probe', '--debug-dir', debugDir, '-O', out, '-o', 'json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.modules).toEqual({ nt_probe: join(debugDir, 'kernel/drivers/net/nt-probe.ko') });
    expect(summary.module_types).toBeGreaterThan(0);
    expect(summary.base_types).toBeGreaterThan(10_000);

    // bpftool reads it without a base: self-contained, and the module struct's members still
    // point at the kernel's own sk_buff and net_device.
    const c = spawnSync('bpftool', ['btf', 'dump', 'file', out, 'format', 'c'], { encoding: 'utf8', maxBuffer: 256 << 20 });
    expect(c.status).toBe(0);
    const struct = /struct ntprobe_queue \{([^}]*)\};/.exec(c.stdout)?.[1] ?? '';
    expect(struct).toContain('unsigned int numqueues;');
    expect(struct).toContain('struct net_device *dev;');
    expect(struct).toContain('struct sk_buff *pending[4];');
    expect(c.stdout).toMatch(/^struct sk_buff \{$/m);
    expect(c.stdout.match(/^struct sk_buff \{$/gm)).toHaveLength(1); // deduplicated against the base

    // doctor plans against the file NETTRACE_BTF names, as run does, and says so.
    const env = { ...process.env, NETTRACE_BTF: out };
    const doctor = spawnSync(process.execPath, [BIN, 'doctor', '-o', 'json'], { encoding: 'utf8', env, timeout: 60_000 });
    expect(doctor.status).toBe(0);
    expect(JSON.parse(doctor.stdout).btf.external).toBe(out);
    const missing = spawnSync(process.execPath, [BIN, 'doctor'], {
      encoding: 'utf8',
      env: { ...env, NETTRACE_BTF: join(dir, 'none.btf') },
    });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(`NETTRACE_BTF: no such file: ${join(dir, 'none.btf')}`);
  });

  it('says what is missing and how to fix it', () => {
    const noDebug = nettrace('btf', 'build', '--modules', 'tun', '--debug-dir', join(dir, 'nowhere'), '-O', join(dir, 'x.btf'));
    expect(noDebug.status).toBe(1);
    expect(noDebug.stderr).toContain(`no module debug info at ${join(dir, 'nowhere')}`);
    expect(noDebug.stderr).toContain('linux-image-$(uname -r)-dbg');

    const noModule = nettrace('btf', 'build', '--modules', 'openvswitch', '--debug-dir', debugDir, '-O', join(dir, 'x.btf'));
    expect(noModule.status).toBe(1);
    expect(noModule.stderr).toContain('no debug file for module openvswitch');

    const otherKernel = nettrace('btf', 'build', '--modules', 'tun', '--release', '5.10.0-32-amd64');
    expect(otherKernel.status).toBe(2);
    expect(otherKernel.stderr).toContain('give its BTF with --base');

    const bad = nettrace('btf', 'build', '--frobnicate');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("unknown option '--frobnicate'");
    expect(nettrace('btf').status).toBe(2);
    expect(nettrace('btf', 'merge').status).toBe(2);
    for (const r of [noDebug, noModule, otherKernel, bad]) expect(r.stderr).not.toMatch(/\n\s+at /); // no stack traces
  });

  it('--help explains the command', () => {
    const r = nettrace('btf', 'build', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: nettrace btf build');
    expect(r.stdout).toContain('dwarves');
  });
});
