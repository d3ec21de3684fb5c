// system-network-latency inside the test kernels, through a real Open vSwitch kernel datapath: the
// host's TCP, UDP and ICMP traffic to a peer behind the "physical" port, both ways, must give
// exactly as many completed sessions per direction as packets crossed that port for the target
// flow (a decoy flow just before must not count), every adjacent pair of the fast path must have
// them all, and per direction the pairs' sums must add up to the end-to-end sum exactly.
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

interface Session {
  direction: string;
  started: number;
  completed: number;
  replaced: number;
  not_found: number;
  parse_failed: number;
}
interface Pair {
  direction: string;
  from: string;
  to: string;
  count: number;
  sum_ns: number;
}
interface Hist {
  total: number;
}

kernelSuite('system-network-latency', (k) => {
  const topology = hostTopologyOnce(() => k.vm());

  for (const proto of ['icmp', 'udp', 'tcp'] as Proto[]) {
    k.verify(`${proto}: every packet of the flow through the datapath is one completed session per direction`, async () => {
      await topology();
      const n = 6;
      const r = await k.run({
        args: ['--phy-interface', HOST_OVS.phy, '--internal-interface', HOST_OVS.dp, ...hostFilter(proto), '-i', '0'],
        traffic: hostTraffic(proto, n),
      });
      expect(r.exitCode, r.stderr).toBe(0);
      const wire = wireCounts(r.trafficOutput);
      // ICMP: our echo requests and the peer's, with their replies; UDP: n datagrams each way.
      if (proto !== 'tcp') expect(wire.target).toEqual(proto === 'icmp' ? { tx: 2 * n, rx: 2 * n } : { tx: n, rx: n });
      else expect(Math.min(wire.target.tx, wire.target.rx)).toBeGreaterThanOrEqual(n);
      expect(wire.decoy.tx).toBeGreaterThan(0);
      const final = r.final as unknown as { sessions: Session[]; pairs: Pair[]; totals: Pair[]; total_tx: Hist; total_rx: Hist };
      for (const d of ['tx', 'rx'] as const) {
        const s = final.sessions.find((x) => x.direction === d) as Session;
        expect(s, d).toMatchObject({ started: wire.target[d], completed: wire.target[d], replaced: 0, not_found: 0, parse_failed: 0 });
        const pairs = final.pairs.filter((p) => p.direction === d);
        // The fast path (flows installed: no upcall), every pair with every packet.
        expect(pairs.map((p) => [p.from, p.to, p.count])).toEqual(
          HOST_FAST_PATH[d].slice(1).map((to, i) => [HOST_FAST_PATH[d][i], to, wire.target[d]]),
        );
        expect(final[`total_${d}`].total).toBe(wire.target[d]);
        const total = final.totals.find((x) => x.direction === d) as Pair;
        expect(total).toMatchObject({ from: HOST_FAST_PATH[d][0], to: HOST_FAST_PATH[d].at(-1), count: wire.target[d] });
        // Each packet's total is the sum of its adjacent deltas, so the sums agree to the nanosecond.
        expect(pairs.reduce((a, p) => a + p.sum_ns, 0)).toBe(total.sum_ns);
      }
    });
  }
});
