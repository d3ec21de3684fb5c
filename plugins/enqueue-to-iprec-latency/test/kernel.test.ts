// enqueue-to-iprec-latency inside the test kernels, through a real Open vSwitch: what the host
// receives on its OVS internal port (OVS -> internal_dev_recv -> netif_rx -> a CPU's backlog ->
// ip_rcv) from a peer behind the physical NIC, TCP, UDP and ICMP with a decoy flow, gives exactly
// as many completed sessions as packets of the flow the internal port received, each through
// enqueue -> netif-receive -> ip-rcv, the pairs adding up to the end-to-end sum. Threshold events:
// with --threshold 0 one record per packet, whose totals add up to the summary's end-to-end sum;
// with a threshold above any packet none, every packet counted below it. Cross-CPU: with RPS
// steering the internal port's backlog to CPU 1 and the NIC's interrupts on CPU 0, every packet
// is processed on CPU 1 and the CPU hand-offs counted equal those the packets' records show.
import { enqueueToIprecProfile as profile } from '@nettrace/core';
import { expect } from 'vitest';
import { kernelSuite } from '../../../test-kernel/src/plugin-suite.js';
import { expectSummary, type StageRec, type SummaryFinal } from '../../../tooling/test-support/stage-assert.js';
import { bridgeStartCase, stageKernelCases } from '../../../tooling/test-support/stage-kernel.js';
import { bridgeOnce, flowArgs, STAGE_MODULES, type StageBridge, stageFlows, wireCounts } from '../../../tooling/test-support/stage-ovs.js';

const N = 6;
const devices = (b: StageBridge) => ['--interface', b.int];

interface Final extends SummaryFinal {
  sessions: (SummaryFinal['sessions'][number] & { cross_cpu: number })[];
  pairs: (SummaryFinal['pairs'][number] & { cross_cpu: number })[];
  cross_cpu: { from: string; to: string; count: number; cross_cpu: number; cross_cpu_pct: number; boundary: boolean }[];
}

kernelSuite(
  'enqueue-to-iprec-latency',
  (k) => {
    const bridge = bridgeOnce(k);
    bridgeStartCase(k);
    // UDP: the cases below, each exact against the wire; ICMP on the receive path: the
    // system-network-rx-internal-latency suite, on the same engine (CI time).
    stageKernelCases(k, { profile, kind: 'rx', mode: 'summary', directions: ['rx'], devices, protocols: ['tcp'] });

    /** UDP from the peer to the host with these options; the target flow's packets on the internal port. */
    const udp = async (extra: string[], before: string[] = [], after: string[] = []) => {
      const b = await bridge();
      const r = await k.run({
        args: [...devices(b), ...flowArgs(b, 'rx', 'udp'), ...extra, '-i', '0'],
        traffic: [...stageFlows(b, 'rx', 'udp', N, before), ...after],
      });
      expect(r.exitCode, r.stderr).toBe(0);
      const wire = wireCounts(r.trafficOutput).target.rx;
      expect(wire, r.trafficOutput).toBe(N);
      const final = r.final as unknown as Final;
      expectSummary(profile, final, { wire: { rx: wire } });
      return { r, final, wire, events: r.records.filter((x) => x.type === 'event') as unknown as StageRec[] };
    };
    const hops = (final: Final) => final.pairs.map((p) => [p.from, p.to, p.count]);
    const handOffs = (recs: StageRec[]) => recs.filter((e) => e.stages[0]?.cpu !== e.stages[1]?.cpu).length;

    // On the full-cases kernel only (kernelSuite's default): option handling over the same hooks,
    // and the RPS hand-off (the TCP case exercises every hook on each kernel).
    k.verify('--threshold 0: one record per packet, through the three stages, adding up to the summary', async () => {
      const { final, wire, events } = await udp(['--threshold', '0']);
      expect(events).toHaveLength(wire);
      for (const e of events) {
        expect(e).toMatchObject({ direction: 'rx', protocol: 'udp', dst_port: 7001 });
        expect(e.stages.map((s) => s.stage)).toEqual(['enqueue', 'netif-receive', 'ip-rcv']);
      }
      expect(hops(final)).toEqual([
        ['enqueue', 'netif-receive', wire],
        ['netif-receive', 'ip-rcv', wire],
      ]);
      const totals = final.totals[0] as SummaryFinal['totals'][number];
      expect(events.reduce((a, e) => a + e.total_ns, 0)).toBe(totals.sum_ns);
      expect(Math.max(...events.map((e) => e.total_ns))).toBe(totals.max_ns);
      expect(final.sessions[0]?.below_threshold).toBe(0);
    });

    k.verify('--latency-us above any packet: no record, every packet counted below the threshold', async () => {
      const { final, wire, events } = await udp(['--latency-us', '10000000']);
      expect(events).toHaveLength(0);
      expect(final.sessions[0]).toMatchObject({ completed: wire, below_threshold: wire });
    });

    k.verify('RPS to CPU 1, interrupts on CPU 0: the backlog runs on CPU 1, the hand-offs counted are the records', async () => {
      const b = await bridge();
      const rps = `/sys/class/net/${b.int}/queues/rx-0/rps_cpus`;
      const pin = `for i in $(grep -E 'virtio[0-9]+-input' /proc/interrupts | cut -d: -f1); do echo 0 > /proc/irq/$i/smp_affinity_list; done`;
      const { final, wire, events } = await udp(['--threshold', '0'], [`echo 2 > ${rps}`, pin], [`echo 0 > ${rps}`]);
      expect(events).toHaveLength(wire);
      for (const e of events) {
        expect(e.stages[1]?.cpu, 'netif-receive on the RPS CPU').toBe(1);
        expect(e.stages[2]?.cpu, 'ip-rcv on the RPS CPU').toBe(1);
      }
      const crossed = handOffs(events);
      expect(crossed, `enqueue CPUs ${events.map((e) => e.stages[0]?.cpu).join(',')}`).toBeGreaterThan(0);
      expect(final.pairs.find((p) => p.from === 'enqueue')?.cross_cpu).toBe(crossed);
      expect(final.pairs.find((p) => p.from === 'netif-receive')?.cross_cpu).toBe(0);
      expect(final.sessions[0]?.cross_cpu).toBe(crossed);
      expect(final.cross_cpu[0]).toMatchObject({
        from: 'enqueue',
        to: 'netif-receive',
        count: wire,
        cross_cpu: crossed,
        cross_cpu_pct: Math.round((10000 * crossed) / wire) / 100,
        boundary: true,
      });
    });
  },
  { modules: STAGE_MODULES, cpus: 2 },
);
