// system-network-latency-details inside the test kernels, through a real Open vSwitch kernel
// datapath: one record per packet of the target flow that crossed the "physical" port (the
// device's own count), none for the decoy flow, each with the fast path's stages in path order,
// timestamps that never go back, and a total equal to the sum of its adjacent deltas. A threshold
// above every packet's total streams nothing and counts them all as below it.
import { expect } from 'vitest';
import { kernelSuite } from '../../../test-kernel/src/plugin-suite.js';
import {
  HOST_FAST_PATH,
  HOST_OVS,
  hostFilter,
  hostTopologyOnce,
  hostTraffic,
  type Proto,
  wireCounts,
} from '../../../tooling/test-support/stage-vm.js';

interface Rec {
  type: string;
  direction: 'tx' | 'rx';
  protocol: string;
  src_ip: string;
  dst_ip: string;
  dst_port: number;
  src_port: number;
  total_ns: number;
  first_ns: number;
  stages: { stage: string; ts_ns: number; delta_ns: number; cpu: number }[];
}

kernelSuite('system-network-latency-details', (k) => {
  const topology = hostTopologyOnce(() => k.vm());
  const args = (proto: Proto, extra: string[] = []) => [
    '--phy-interface',
    HOST_OVS.phy,
    '--internal-interface',
    HOST_OVS.dp,
    ...hostFilter(proto),
    ...extra,
  ];

  for (const proto of ['icmp', 'udp', 'tcp'] as Proto[]) {
    k.verify(`${proto}: one record per packet of the flow, its stages in path order`, async () => {
      await topology();
      const r = await k.run({ args: args(proto), traffic: hostTraffic(proto, 5) });
      expect(r.exitCode, r.stderr).toBe(0);
      const wire = wireCounts(r.trafficOutput);
      const recs = r.records.filter((x) => x.type === 'event') as unknown as Rec[];
      for (const d of ['tx', 'rx'] as const) {
        const mine = recs.filter((x) => x.direction === d);
        expect(mine.length, `${d} records`).toBe(wire.target[d]);
        for (const rec of mine) {
          expect(rec.protocol).toBe(proto);
          expect([rec.src_ip, rec.dst_ip].sort()).toEqual([HOST_OVS.host, HOST_OVS.peer].sort());
          if (proto !== 'icmp') expect([rec.src_port, rec.dst_port]).toContain(HOST_OVS.port);
          expect(rec.stages.map((s) => s.stage)).toEqual(HOST_FAST_PATH[d]);
          const ts = rec.stages.map((s) => s.ts_ns);
          for (let i = 1; i < ts.length; i++) expect(ts[i]).toBeGreaterThanOrEqual(ts[i - 1] as number);
          expect(rec.first_ns).toBe(ts[0]);
          const deltas = ts.slice(1).map((t, i) => t - (ts[i] as number));
          expect(rec.stages.slice(1).map((s) => s.delta_ns)).toEqual(deltas);
          expect(deltas.reduce((a, b) => a + b, 0)).toBe(rec.total_ns);
        }
      }
      const final = r.final as unknown as { sessions: { direction: string; completed: number; below_threshold: number }[] };
      expect(final.sessions.map((s) => [s.direction, s.completed, s.below_threshold])).toEqual([
        ['tx', wire.target.tx, 0],
        ['rx', wire.target.rx, 0],
      ]);
      expect((r.final as { lost_events: number }).lost_events).toBe(0);
    });
  }

  k.verify('--latency-us above every total streams nothing and counts the packets below it', async () => {
    await topology();
    const r = await k.run({ args: args('udp', ['--latency-us', '10000000', '--direction', 'tx']), traffic: hostTraffic('udp', 4) });
    expect(r.exitCode, r.stderr).toBe(0);
    const wire = wireCounts(r.trafficOutput);
    expect(r.records.filter((x) => x.type === 'event')).toEqual([]);
    const final = r.final as unknown as { sessions: { direction: string; completed: number; below_threshold: number }[] };
    expect(final.sessions).toEqual([
      expect.objectContaining({ direction: 'tx', completed: wire.target.tx, below_threshold: wire.target.tx }),
    ]);
  });
});
