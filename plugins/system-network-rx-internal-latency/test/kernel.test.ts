// system-network-rx-internal-latency inside the test kernels, through a real Open vSwitch: what the
// host receives on its OVS internal port from a peer behind the physical NIC (TCP, UDP and ICMP
// with a decoy flow) gives exactly as many completed sessions as packets of the flow the internal
// port received, each through all ten stages (every transition's count is that number, the hops
// adding up to the end-to-end sum), and at the backlog same-CPU plus cross-CPU hand-offs make that
// number too. With RPS steering the internal port's backlog to CPU 1, the NIC's interrupts on CPU
// 0 and --phy-interface naming the NIC: the path starts at the NIC, every packet is taken out of
// the backlog on CPU 1, and the hand-offs per (enqueue CPU, process CPU) add up to the pair's.
import { rxInternalProfile as profile } from '@nettrace/core';
import { expect } from 'vitest';
import type { AroundResult } from '../../../test-kernel/src/fixture-run.js';
import { kernelSuite } from '../../../test-kernel/src/plugin-suite.js';
import { expectSummary, type SummaryFinal } from '../../../tooling/test-support/stage-assert.js';
import { bridgeStartCase, casesOn, stageKernelCases } from '../../../tooling/test-support/stage-kernel.js';
import { bridgeOnce, flowArgs, STAGE_MODULES, type StageBridge, stageFlows, wireCounts } from '../../../tooling/test-support/stage-ovs.js';

const N = 6;
const devices = (b: StageBridge) => ['--internal-interface', b.int]; // BCC's spelling of -I/--interface
const stages = (profile.rx ?? []).map((s) => s.name);

interface Final extends SummaryFinal {
  pairs: (SummaryFinal['pairs'][number] & { cross_cpu: number })[];
  sessions: (SummaryFinal['sessions'][number] & { cross_cpu: number })[];
  cross_cpu: { from: string; to: string; count: number; same_cpu: number; cross_cpu: number; boundary: boolean }[];
  cpu_pairs: { from: string; to: string; from_cpu: number; to_cpu: number; count: number; cross: boolean }[];
}

/** Every transition of the path, in order, counted `n` times; the backlog's hand-offs add up to n. */
function expectFullPath(final: Final, from: string, n: number) {
  const path = stages.slice(stages.indexOf(from));
  expect(final.pairs.map((p) => [p.from, p.to, p.count])).toEqual(path.slice(1).map((to, i) => [path[i], to, n]));
  const boundary = final.cross_cpu.filter((r) => r.boundary);
  expect(boundary).toMatchObject([{ from: 'enqueue-backlog', to: 'backlog-rx', count: n }]);
  const b = boundary[0] as Final['cross_cpu'][number];
  expect(b.same_cpu + b.cross_cpu).toBe(n);
  expect(final.cpu_pairs.every((r) => r.from === 'enqueue-backlog' && r.to === 'backlog-rx')).toBe(true);
  expect(
    final.cpu_pairs.reduce((a, r) => a + r.count, 0),
    'per CPU pair',
  ).toBe(n);
  expect(
    final.cpu_pairs.filter((r) => r.cross).reduce((a, r) => a + r.count, 0),
    'cross-CPU pairs',
  ).toBe(b.cross_cpu);
  for (const r of final.cpu_pairs) expect(r.cross).toBe(r.from_cpu !== r.to_cpu);
  return b;
}

kernelSuite(
  'system-network-rx-internal-latency',
  (k) => {
    const bridge = bridgeOnce(k);
    bridgeStartCase(k);
    stageKernelCases(k, {
      profile,
      kind: 'rx',
      mode: 'summary',
      directions: ['rx'],
      devices,
      // UDP's end stage (udp_rcv) is the RPS case's below, on the same kernel (CI time).
      protocols: ['icmp', 'tcp'],
      check: (r: AroundResult, _b, wire) => {
        expectFullPath(r.final as unknown as Final, 'vport-send', wire.rx);
      },
    });

    // Every case on 6.1, the TCP one on the other kernels (CI time).
    if (casesOn(k) === 'all')
      k.verify(
        '--phy-interface, RPS to CPU 1, interrupts on CPU 0: from the NIC, the backlog on CPU 1, hand-offs per CPU pair',
        async () => {
          const b = await bridge();
          const rps = `/sys/class/net/${b.int}/queues/rx-0/rps_cpus`;
          const pin = `for i in $(grep -E 'virtio[0-9]+-input' /proc/interrupts | cut -d: -f1); do echo 0 > /proc/irq/$i/smp_affinity_list; done`;
          const r = await k.run({
            args: [...devices(b), '--phy-interface', b.phys, ...flowArgs(b, 'rx', 'udp'), '-i', '0'],
            traffic: [...stageFlows(b, 'rx', 'udp', N, [`echo 2 > ${rps}`, pin]), `echo 0 > ${rps}`],
          });
          expect(r.exitCode, r.stderr).toBe(0);
          const counted = wireCounts(r.trafficOutput);
          const wire = counted.target.rx;
          expect(wire, r.trafficOutput).toBe(N);
          const final = r.final as unknown as Final;
          expectSummary(profile, final, { wire: { rx: wire } });
          const hop = expectFullPath(final, 'phy-rx', wire);
          expect(
            final.cpu_pairs.every((x) => x.to_cpu === 1),
            JSON.stringify(final.cpu_pairs),
          ).toBe(true);
          expect(hop.cross_cpu).toBeGreaterThan(0);
          // Before the backlog a packet stays in the NIC's softirq (CPU 0), after it in CPU 1's: only a
          // packet sent up to ovs-vswitchd (the flow's first) reaches vport-send from the daemon's CPU.
          for (const p of final.pairs)
            if (p.to !== 'backlog-rx' && p.to !== 'vport-send') expect(p.cross_cpu, `${p.from} -> ${p.to}`).toBe(0);
          const upcalled = final.pairs.find((p) => p.to === 'vport-send')?.cross_cpu ?? 0;
          expect(upcalled, 'cross-CPU only through an upcall').toBeLessThanOrEqual(counted.upcalls);
          expect(final.sessions[0]?.cross_cpu).toBeGreaterThanOrEqual(hop.cross_cpu);
          expect(final.sessions[0]?.cross_cpu).toBeLessThanOrEqual(hop.cross_cpu + upcalled);
        },
      );
  },
  { modules: STAGE_MODULES, cpus: 2 },
);
