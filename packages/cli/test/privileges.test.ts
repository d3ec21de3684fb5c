// Least privilege on the live kernel: without the capabilities `nettrace run` names the missing
// ones in one line (exit 1) instead of calling every hook unavailable; with only CAP_BPF +
// CAP_PERFMON (no CAP_SYS_ADMIN) a plugin loads, attaches and counts exactly. The processes keep
// uid 0 with root's automatic capabilities off (securebits noroot), so they can read a clone
// wherever it lives (e.g. under a mode-700 /root); the capabilities are what the kernel checks.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { sendUdp, type VethPair, vethPair } from '@nettrace/plugin-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onlyCapabilities } from '../../../tooling/test-support/privileges.js';

const BIN = join(__dirname, '../bin/nettrace.js');
const withOnly = (caps: string[], args: string[]) => {
  const [cmd, ...argv] = onlyCapabilities(caps);
  return [cmd, [...argv, process.execPath, BIN, ...args]] as const;
};

let net: VethPair;
beforeAll(() => {
  net = vethPair();
});
afterAll(() => net.cleanup());

describe("nettrace without root's capabilities", () => {
  for (const [name, caps, lacks] of [
    ['no capabilities', [], 'CAP_BPF and CAP_PERFMON'],
    ['CAP_BPF only', ['bpf'], 'CAP_PERFMON'],
  ] as const) {
    it(`${name}: run and verify say which capabilities are missing, exit 1`, () => {
      for (const args of [
        ['run', 'kernel-drop-stack-stats', '-T', '1'],
        ['verify', 'kernel-drop-stack-stats'],
      ]) {
        const [cmd, argv] = withOnly([...caps], args);
        const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 60_000 });
        expect(r.status, r.stderr).toBe(1);
        const [first, hint] = r.stderr.trim().split('\n');
        expect(first).toBe(
          `nettrace: nettrace ${args[0] === 'run' ? 'run kernel-drop-stack-stats' : 'verify'} needs root, or the capabilities CAP_BPF and CAP_PERFMON (this process lacks ${lacks})`,
        );
        expect(hint).toMatch(/^ {2}hint: run it with sudo, or grant the capabilities/);
        expect(r.stdout).toBe('');
      }
    });
  }

  it('doctor says first that no plugin can load, and which capabilities are missing (JSON: privileges.missing)', () => {
    const [cmd, argv] = withOnly([], ['doctor']);
    const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(
      'privileges        root: yes, CAP_BPF: no, CAP_PERFMON: no, CAP_SYS_ADMIN: no — MISSING: needs root, or the capabilities CAP_BPF and CAP_PERFMON (this process lacks CAP_BPF and CAP_PERFMON); no plugin can load',
    );
    const [jcmd, jargv] = withOnly(['bpf', 'perfmon'], ['doctor', '-o', 'json']);
    const json = JSON.parse(spawnSync(jcmd, jargv, { encoding: 'utf8', timeout: 60_000 }).stdout);
    expect(json.privileges).toMatchObject({ capBpf: true, capPerfmon: true, capSysAdmin: false, missing: null });
  });

  it('with CAP_BPF + CAP_PERFMON only, kernel-drop-stack-stats counts exactly the generated drops', async () => {
    const [cmd, argv] = withOnly(
      ['bpf', 'perfmon'],
      ['run', 'kernel-drop-stack-stats', ...['--src-ip', net.ipA, '--dst-ip', net.ipB, '-p', 'udp', '--dst-port', '9', '-o', 'json']],
    );
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const exited = once(child, 'exit');
    while (!err.includes('Tracing...') && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    expect(err).toMatch(/Tracing\.\.\./);
    sendUdp(net.a, { to: net.ipB, port: 9, count: 6, size: 32 });
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code, err).toBe(0);
    const final = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((r) => r.type === 'final');
    expect(final.totals.total_drops).toBe(6);
  });
});
