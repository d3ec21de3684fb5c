// The hook ladder on the live kernel of this machine (no kprobes, fentry refused, no modules):
// every hook with a tracepoint alternative must take the tracepoint, the kprobe/fentry-only hooks
// must be reported unavailable (they are optional: the run goes on, degraded), doctor must say
// kprobes and fentry are unavailable, and a required hook that cannot attach must exit 1. Traffic
// stays in two private namespaces joined by a veth pair.
import { mkdtempSync, rmSync } from 'node:fs';
import { release, tmpdir } from 'node:os';
import path from 'node:path';
import { type VethPair, vethPair } from '@nettrace/plugin-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildLadderFixtures,
  expectedLadderCounts,
  type LadderFixtures,
  ladderDoctor,
  ladderInfo,
  ladderRequired,
  ladderTableAttach,
  liveTarget,
  rungsFromDoctor,
  rungsFromHeader,
  rungsFromInfo,
  runLadder,
} from '../src/index.js';

const target = liveTarget();
const rungs = { rcv: 'tracepoint:net/netif_receive_skb', tun: null, clone: null, multi: null, absent: null };
const FENTRY_REFUSED = 'fentry/fexit programs are refused by this kernel (EPERM)';
const NO_KPROBES = 'kprobes are not available on this kernel (CONFIG_KPROBES / CONFIG_KPROBE_EVENTS unset)';
const DEGRADED = [
  'tun missing: tun transmit counts',
  'clone missing: IPv4 receive-finish counts',
  'multi missing: IPv4 receive counts at ip_rcv and ip_local_deliver',
  'absent missing: nothing real (a function no kernel has)',
];

describe('hook ladder on the live kernel', () => {
  let f: LadderFixtures;
  beforeAll(async () => {
    f = await buildLadderFixtures();
  }, 120_000);

  it('info: the tracepoint for rcv; tun, clone, multi and absent unavailable (fentry refused, no kprobes)', async () => {
    const info = await ladderInfo(target, f);
    expect(info.id).toBe('hook-ladder');
    expect(rungsFromInfo(info)).toEqual(rungs);
    expect(info.status).toBe('degraded');
    expect(info.plan.missing).toEqual([]);
    expect(info.plan.degraded.map((h) => h.hook)).toEqual(['tun', 'clone', 'multi', 'absent']);
    for (const h of info.plan.hooks) {
      const first = h.hook === 'multi' ? `kprobe.multi: ${NO_KPROBES}` : `fentry: ${FENTRY_REFUSED}`;
      expect(
        h.rejected.map((r) => `${r.alternative.kind}: ${r.reason}`),
        h.hook,
      ).toEqual([first, `kprobe: ${NO_KPROBES}`]);
    }
  });

  it('doctor: kprobes and fentry unavailable; hook-ladder degraded with the same plan, hook-ladder-required not runnable', async () => {
    const d = await ladderDoctor(target, f);
    expect(d).toMatchObject({ kernel: release(), kprobes: false, fentry: false, fentry_reason: 'EPERM' });
    const ladder = d.plugins.find((p) => p.id === 'hook-ladder');
    expect(ladder).toMatchObject({ status: 'degraded', detail: 'tun missing; clone missing; multi missing; absent missing' });
    expect(rungsFromDoctor(ladder?.hooks ?? [])).toEqual(rungs);
    expect(ladder?.plan).toContain(
      `tun: MISSING (optional, loses tun transmit counts) — fentry:tun_net_xmit [tun]: ${FENTRY_REFUSED}; kprobe:tun_net_xmit [tun]: ${NO_KPROBES}`,
    );
    const required = d.plugins.find((p) => p.id === 'hook-ladder-required');
    expect(required).toMatchObject({ status: 'not runnable', detail: `needed: ${NO_KPROBES}` });
  });

  describe('run', () => {
    let net: VethPair;
    let work: string;
    beforeAll(() => {
      net = vethPair(231); // 10.231.0.1 <-> 10.231.0.2: the subnet the rcv hook counts
      work = mkdtempSync(path.join(tmpdir(), 'nt-ladder-'));
    });
    afterAll(() => {
      net?.cleanup();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it('the JSON header shows the plan, the final record is marked degraded, and the tracepoint counted every echo', async () => {
      const pings = 4;
      const run = await runLadder(target, f, work, {
        traffic: `ip netns exec ${net.a.name} ping -q -n -c ${pings} -i 0.2 -W 2 ${net.ipB} >/dev/null`,
      });
      expect(run.exitCode).toBe(0);
      expect(run.header.plugin).toBe('hook-ladder'); // `run --plugin <dir>` runs the plugin in <dir>
      expect(run.header.kernel).toBe(release());
      expect(rungsFromHeader(run.header.plan)).toEqual(rungs);
      // Request and reply are each received once: one netif_receive_skb per packet.
      expect(run.final.counts).toEqual(expectedLadderCounts({ rcv_tracepoint: 2 * pings }));
      expect(run.final.degraded).toEqual(DEGRADED);
    });

    it('table output marks the run DEGRADED on stderr, naming each missing hook and what is lost', async () => {
      const r = await ladderTableAttach(target, f);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`DEGRADED: ${DEGRADED.join('; ')}\n`);
    });
  });

  it('a required hook that cannot attach: exit 1, the hook named with the reason for each alternative', async () => {
    const r = await ladderRequired(target, f);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`nettrace: hook-ladder-required cannot run on this kernel (${release()}):\n`);
    expect(r.stderr).toContain(
      `  needed: UNAVAILABLE — fentry:nt_ladder_no_such_function: ${FENTRY_REFUSED}; kprobe:nt_ladder_no_such_function: ${NO_KPROBES}\n`,
    );
  });
});
