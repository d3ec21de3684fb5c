// Faults on the live kernel: a run killed by SIGKILL, SIGTERM or SIGINT while it starts (planning,
// loading, attaching) or while it traces leaves no BPF program, link or map behind; two runs of the
// same plugin at once each count exactly their own traffic.
//
// "Left behind" is checked by ownership, so other BPF users of the machine do not matter: every
// BPF object that appeared during the run must, after it, either be gone or be held by another
// live process (an fd in /proc/*/fdinfo). The kernel frees what nobody holds; a pin or a legacy
// attachment that outlives its fd would show up here as an object without a holder.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendUdp, type VethPair, vethPair } from '@nettrace/plugin-testing';

const BIN = join(__dirname, '../../packages/cli/bin/nettrace.js');
const KINDS = ['prog', 'map', 'link'] as const;
type Kind = (typeof KINDS)[number];

/** The BPF object ids (`kind_id:` lines of /proc/PID/fdinfo) every live process holds. */
function heldIds(): Record<Kind, Set<number>> {
  const held = { prog: new Set<number>(), map: new Set<number>(), link: new Set<number>() };
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fdinfo`);
    } catch {
      continue; // exited meanwhile
    }
    for (const fd of fds) {
      let info: string;
      try {
        info = readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8');
      } catch {
        continue;
      }
      for (const kind of KINDS) {
        const m = new RegExp(`^${kind}_id:\\s*(\\d+)$`, 'm').exec(info);
        if (m) held[kind].add(Number(m[1]));
      }
    }
  }
  return held;
}

/** Every BPF object id of the kernel (BPF_*_GET_NEXT_ID through bpftool). */
function kernelIds(): Record<Kind, Set<number>> {
  const ids = (kind: Kind) => {
    const r = spawnSync('bpftool', ['-j', kind, 'show'], { encoding: 'utf8' });
    return new Set((JSON.parse(r.stdout || '[]') as { id: number }[]).map((x) => x.id));
  };
  return { prog: ids('prog'), map: ids('map'), link: ids('link') };
}

/** Objects that appeared since `before` and still exist without any live holder. */
async function orphansSince(before: Record<Kind, Set<number>>): Promise<string[]> {
  let orphans: string[] = [];
  // The kernel frees a released program after an RCU grace period: allow it a moment.
  for (let i = 0; i < 40; i++) {
    const now = kernelIds();
    const held = heldIds();
    orphans = KINDS.flatMap((k) => [...now[k]].filter((id) => !before[k].has(id) && !held[k].has(id)).map((id) => `${k} ${id}`));
    if (!orphans.length) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return orphans;
}

let net: VethPair;
beforeAll(() => {
  net = vethPair();
});
afterAll(() => net.cleanup());

describe('faults on the live kernel', () => {
  for (const plugin of ['kernel-drop-stack-stats', 'eth-drop']) {
    for (const signal of ['SIGKILL', 'SIGTERM', 'SIGINT'] as const) {
      // While starting: at several points of planning, loading and attaching; then while tracing.
      for (const when of [150, 350, 600, 'tracing'] as const) {
        it(`${plugin}, ${signal} ${when === 'tracing' ? 'while tracing' : `${when} ms after start`}: nothing left behind`, async () => {
          const before = kernelIds();
          const child = spawn(process.execPath, [BIN, 'run', plugin, '-i', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
          let err = '';
          child.stderr.on('data', (d) => (err += d));
          child.stdout.resume();
          const exited = once(child, 'exit');
          if (when === 'tracing') {
            while (!err.includes('Tracing...') && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
            expect(err).toMatch(/Tracing\.\.\./);
            await new Promise((r) => setTimeout(r, 300));
          } else await new Promise((r) => setTimeout(r, when));
          child.kill(signal);
          const [code, sig] = await exited;
          if (signal === 'SIGKILL') expect(sig).toBe('SIGKILL');
          else if (when === 'tracing') expect(code, err).toBe(0); // the final report, then a clean exit
          expect(await orphansSince(before)).toEqual([]);
        }, 30_000);
      }
    }
  }

  it('two runs of the same plugin at once each count exactly their own drops', async () => {
    const start = (port: number) => {
      const child = spawn(
        process.execPath,
        [BIN, 'run', 'kernel-drop-stack-stats', '--src-ip', net.ipA, '--dst-ip', net.ipB, '-p', 'udp', '--dst-port', String(port), '-o', 'json'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const run = { child, out: '', err: '', exited: once(child, 'exit') };
      child.stdout.on('data', (d) => (run.out += d));
      child.stderr.on('data', (d) => (run.err += d));
      return run;
    };
    const runs = [start(9), start(13)];
    for (const r of runs) while (!r.err.includes('Tracing...') && r.child.exitCode === null) await new Promise((res) => setTimeout(res, 20));
    sendUdp(net.a, { to: net.ipB, port: 9, count: 4, size: 32 });
    sendUdp(net.a, { to: net.ipB, port: 13, count: 6, size: 32 });
    await new Promise((r) => setTimeout(r, 300));
    for (const r of runs) r.child.kill('SIGTERM');
    const totals = [];
    for (const r of runs) {
      const [code] = await r.exited;
      expect(code, r.err).toBe(0);
      const final = r.out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .find((x) => x.type === 'final');
      totals.push(final.totals.total_drops);
    }
    expect(totals).toEqual([4, 6]);
  }, 60_000);
});
