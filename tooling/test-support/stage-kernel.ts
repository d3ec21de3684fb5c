// The test-kernel cases of the stage-latency plugins, through a real Open vSwitch (stage-ovs.ts):
// TCP, UDP and ICMP both ways with a decoy flow, the upcalls checked against OVS's count of misses;
// a ct() case (--enable-ct) and a tbf case on the physical NIC where the plugin asks for them.
// Each plugin's kernel.test.ts names its profile, path and mode; the assertions are stage-assert.ts.
// Every case runs on one kernel of the matrix, the TCP case on the others (everyCaseOn in test-kernel/src/plugin-suite.ts).
import type { Profile } from '@nettrace/core';
import { expect } from 'vitest';
import type { AroundResult } from '../../test-kernel/src/fixture-run.js';
import { everyCaseOn, type KernelContext } from '../../test-kernel/src/plugin-suite.js';
import { type Dir, expectRecords, expectSummary, type StageRec, type SummaryFinal } from './stage-assert.js';
import { bridgeOnce, deviceArgs, flowArgs, type PathKind, type Proto, type StageBridge, stageFlows, wireCounts } from './stage-ovs.js';

export interface StageCases {
  profile: Profile;
  kind: PathKind;
  mode: 'summary' | 'details';
  /** Extra options (e.g. a direction). */
  args?: string[];
  /** Directions the plugin follows. */
  directions?: Dir[];
  /** Protocols of the full-cases kernel (default all three): a plugin whose engine keys the other
   * stage plugins already prove may keep CI time for the cases only it has. */
  protocols?: Proto[];
  /** Cases beyond the three protocols. */
  ct?: boolean;
  tbf?: boolean;
  /** The options naming the devices, when the plugin spells them differently. */
  devices?: (b: StageBridge) => string[];
  /** Extra checks on each protocol run. */
  check?: (r: AroundResult, b: StageBridge, wire: { tx: number; rx: number }, proto: Proto) => void;
  /** Extra checks on the tbf run: the frames the qdisc sent and dropped, as tc counted them. */
  checkTbf?: (r: AroundResult, b: StageBridge, tc: { sent: number; dropped: number }) => void;
}

const N = 6;

/** Every case on the full-cases kernel (everyCaseOn), the TCP case on the others. The stage
 * engine's per-protocol keys, ct() and tbf logic do not change between kernels; what does (hooks,
 * CO-RE reads, 5.10's external BTF) the TCP case exercises on every kernel: socket, IP, OVS and
 * NIC stages, both directions, exact counts. Every case on every kernel costs CI ~7 TCG minutes
 * per plugin, past its time budget with a dozen stage plugins.
 * Which cases run on this kernel: all of them, or the TCP one only (a plugin's own cases too). */
export function casesOn(k: KernelContext): 'all' | 'tcp' {
  return everyCaseOn(k.spec) ? 'all' : 'tcp';
}

/** The bridge first, in a case of its own: on a loaded 2-vCPU TCG guest starting Open vSwitch took
 * most of the first traffic case's 300 s (5.10 timed out once); every later case shares it. */
export function bridgeStartCase(k: KernelContext) {
  const bridge = bridgeOnce(k);
  k.verify(
    'Open vSwitch starts with the host on an internal port and a peer behind the NIC',
    async () => {
      const b = await bridge();
      const r = await k.vm().exec(`ovs-vsctl list-ports slb; cat /sys/class/net/${b.int}/queues/rx-0/rps_cpus`);
      expect(r.stdout.split('\n'), r.stderr).toEqual(expect.arrayContaining([b.phys]));
      expect(r.stdout, 'RPS configurable on the internal port').toMatch(/^0+$/m);
    },
    { timeoutMs: 600_000, everyKernel: true },
  );
}

export function stageKernelCases(k: KernelContext, c: StageCases) {
  const bridge = bridgeOnce(k);
  const dirs = c.directions ?? ['tx', 'rx'];
  const pick = (w: { tx: number; rx: number }) => Object.fromEntries(dirs.map((d) => [d, w[d]])) as Partial<Record<Dir, number>>;
  const run = async (b: StageBridge, proto: Proto, extra: string[], traffic: string[], flow = flowArgs(b, c.kind, proto)) => {
    const devices = c.devices?.(b) ?? deviceArgs(b, c.kind, proto);
    const r = await k.run({ args: [...devices, ...flow, ...(c.args ?? []), ...extra, '-i', '0'], traffic });
    expect(r.exitCode, r.stderr).toBe(0);
    return r;
  };
  const check = (r: AroundResult, e: Parameters<typeof expectSummary>[2]) =>
    c.mode === 'summary' ? expectSummary(c.profile, r.final as unknown as SummaryFinal, e) : expectRecords(c.profile, r.records, e);

  const all = casesOn(k) === 'all';
  for (const proto of (all ? (c.protocols ?? ['icmp', 'udp', 'tcp']) : ['tcp']) as Proto[]) {
    k.verify(
      `${proto}: each packet of the flow that crossed the path is one session per direction; the upcalls are OVS's misses`,
      async () => {
        const b = await bridge();
        const r = await run(b, proto, [], stageFlows(b, c.kind, proto, N));
        const wire = wireCounts(r.trafficOutput);
        const why = `${r.trafficOutput}\n${r.stderr}`;
        if (proto === 'icmp')
          expect(wire.target, why).toEqual(
            c.kind === 'vm' ? { tx: N, rx: N } : c.kind === 'rx' ? { tx: 0, rx: 2 * N } : { tx: 2 * N, rx: 2 * N },
          );
        if (proto === 'udp') expect(wire.target, why).toEqual(c.kind === 'rx' ? { tx: 0, rx: N } : { tx: N, rx: N });
        for (const d of dirs) expect(wire.target[d], `${d} packets`).toBeGreaterThanOrEqual(N);
        expect(wire.decoy.tx + wire.decoy.rx, 'decoy packets').toBeGreaterThan(0);
        check(r, { wire: pick(wire.target), ...(c.kind !== 'rx' ? { upcalls: wire.upcalls } : {}) });
        c.check?.(r, b, wire.target, proto);
      },
      // The TCP case is the one the other kernels run (it may follow bridgeStartCase).
      { everyKernel: !all },
    );
  }

  if (c.ct && all)
    k.verify('ct(): with --enable-ct every packet passes the ct() action and its conntrack lookup', async () => {
      const b = await bridge();
      const r = await run(b, 'icmp', ['--enable-ct'], stageFlows(b, c.kind, 'icmp', N, ['tk-ovs-bridge ct slb >/dev/null']));
      const wire = wireCounts(r.trafficOutput);
      // An upcall may come before or after the ct() action (a miss after recirculation).
      check(r, { wire: pick(wire.target), ordered: false, through: ['ovs-ct', 'conntrack'] });
      if (c.mode === 'details')
        for (const rec of r.records.filter((x) => x.type === 'event') as unknown as StageRec[]) {
          const names = rec.stages.map((s) => s.stage);
          expect(names.indexOf('conntrack')).toBeGreaterThan(names.indexOf('ovs-ct'));
          if ('ct_ns' in rec) expect(rec.ct_ns).toBeGreaterThan(0);
        }
    });

  if (c.tbf && all)
    k.verify('tbf on the NIC: the qdisc stages appear, waits as long as the rate demands, drops stay incomplete', async () => {
      const b = await bridge();
      // 12 pings of 1000 data bytes (1042-byte frames) 10 ms apart into tbf 100kbit, burst 1600
      // (one frame), limit 3000: a frame needs 83 ms of tokens, so most wait and some are dropped.
      const size = 1000;
      const from = c.kind === 'vm' ? `ip netns exec ${b.vmtNs} ` : '';
      const traffic = [
        'tk-ovs-bridge reset slb >/dev/null',
        'tk-ovs-bridge tbf slb 100kbit 1600 3000 >/dev/null',
        `echo "mark_before=$(cat /sys/class/net/${b.phys}/statistics/tx_packets) 0"`,
        `${from}ping -q -n -c 12 -i 0.01 -s ${size} -W 3 ${b.peer} >/dev/null || true`,
        'sleep 3',
        `echo "mark_after=$(cat /sys/class/net/${b.phys}/statistics/tx_packets) 0"`,
        'echo "mark_decoy=$(echo 0 0)"',
        'tk-ovs-bridge stats slb | grep "^qdisc="',
      ];
      // The VM's pings come from the veth VM port (the vhost-net "VM" only answers).
      const vm = c.kind === 'vm';
      const r = await run(b, vm ? 'tcp' : 'icmp', ['--direction', 'tx'], traffic, [
        '-p',
        'icmp',
        '-s',
        vm ? b.vmtAddr : b.host,
        '-d',
        b.peer,
      ]);
      const sent = wireCounts(r.trafficOutput).target.tx;
      const line = r.trafficOutput.split('\n').find((l) => l.startsWith('qdisc=tbf')) as string;
      const dropped = Number(/dropped=(\d+)/.exec(line)?.[1]);
      const tcSent = Number(/sent_packets=(\d+)/.exec(line)?.[1]);
      expect(line, r.trafficOutput).toBeDefined();
      expect(tcSent).toBe(sent);
      expect(dropped).toBeGreaterThan(0);
      expect(sent).toBeGreaterThan(1);
      c.checkTbf?.(r, b, { sent, dropped });
      const frameNs = ((size + 42) * 8 * 1e9) / 100_000;
      if (c.mode === 'summary') {
        const f = r.final as unknown as SummaryFinal & { sessions: { started: number; completed: number }[] };
        expect(f.sessions[0]).toMatchObject({ started: sent + dropped, completed: sent });
        const wait = f.pairs.find((x) => x.from === 'phy-queue' && x.to === 'qdisc-dequeue');
        expect(wait?.count).toBe(sent);
        // The second frame in waits at least a frame's worth of tokens less the 10 ms gap.
        expect(wait?.max_ns).toBeGreaterThan(frameNs - 15e6);
      } else {
        const recs = (r.records.filter((x) => x.type === 'event') as unknown as StageRec[]).sort((a, b2) => a.first_ns - b2.first_ns);
        expect(recs).toHaveLength(sent);
        const deq = recs.map((x) => x.stages.find((s) => s.stage === 'qdisc-dequeue')?.ts_ns as number);
        expect(deq.every((t) => t > 0)).toBe(true);
        // tbf releases a frame only when it has the tokens. One gap may be short (a dequeue its
        // watchdog timer fired late for leaves tokens for the next, on a loaded TCG host), but from
        // the second dequeue on the frames cannot leave faster than the rate plus the bucket
        // (1600 bytes) allows.
        const burstNs = (1600 * 8 * 1e9) / 100_000;
        const span = (deq.at(-1) as number) - (deq[1] as number);
        expect(span, `dequeues at ${deq.join(' ')}`).toBeGreaterThan((deq.length - 2) * frameNs - burstNs);
        for (const x of recs) if ('qdisc_sojourn_ns' in x) expect(x.qdisc_sojourn_ns).toBeGreaterThanOrEqual(0);
      }
    });
}
