// Live kernel (tracepoints only): one record per packet of the target flow that crossed the
// "physical" veth of a bridge standing in for OVS (none for the decoy), with the boundary stages
// this kernel has, in path order, deltas summing to the total; the upstream command line
// (--latency-us) runs unchanged and its threshold is applied in the kernel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWith } from '../../../tooling/test-support/run.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';
import { deviceCounts, type LiveBridge, listeners, liveBridge, traffic } from '../../../tooling/test-support/stage-live.js';

const PORT = 7201;
const DECOY_PORT = 7202;
const N = 5;
let net: LiveBridge;
let stop: (() => void)[] = [];

beforeAll(() => {
  net = liveBridge(160 + (process.pid % 50));
  stop = [listeners(net.peer, [PORT, DECOY_PORT]), listeners(net.host, [PORT, DECOY_PORT])];
});
afterAll(() => {
  for (const s of stop) s();
  net?.cleanup();
});

interface Rec {
  type: string;
  direction: 'tx' | 'rx';
  protocol: string;
  src_port: number;
  dst_port: number;
  total_ns: number;
  stages: { stage: string; ts_ns: number; delta_ns: number }[];
}

const base = () => ['--netns', net.host.name, '--phy-interface', 'vphy', '--internal-interface', 'br0'];

/** The decoy flow, then N UDP datagrams each way; the target's packets on vphy. */
function udpFlows() {
  traffic(net.host, ['udp-send', net.ip.peer, DECOY_PORT, N]);
  const before = deviceCounts(net.host, 'vphy');
  traffic(net.host, ['udp-send', net.ip.peer, PORT, N]);
  traffic(net.peer, ['udp-send', net.ip.host, PORT, N]);
  const after = deviceCounts(net.host, 'vphy');
  return { tx: after.tx - before.tx, rx: after.rx - before.rx };
}

describe('system-network-latency-details on the live kernel (degraded to tracepoints)', () => {
  it('one record per packet of the flow, boundary stages in path order, deltas summing to the total', async () => {
    let wire = { tx: 0, rx: 0 };
    const run = await runWith('system-network-latency-details', [...base(), '-p', 'udp', '-D', String(PORT), '-o', 'json'], () => {
      wire = udpFlows();
    });
    const validate = schemaValidator('system-network-latency-details');
    for (const rec of run.json) expect(validate(rec)).toBeUndefined();
    expect(wire).toEqual({ tx: N, rx: N });
    const recs = run.json.filter((r) => r.type === 'event') as unknown as Rec[];
    const path = { tx: ['internal-xmit', 'phy-queue', 'phy-xmit'], rx: ['phy-rx', 'backlog-rx'] };
    for (const d of ['tx', 'rx'] as const) {
      const mine = recs.filter((r) => r.direction === d);
      expect(mine).toHaveLength(N);
      for (const r of mine) {
        expect(r.protocol).toBe('udp');
        expect(r.dst_port).toBe(PORT); // both flows go to a listener on PORT
        expect(r.stages.map((s) => s.stage)).toEqual(path[d]);
        const ts = r.stages.map((s) => s.ts_ns);
        for (let i = 1; i < ts.length; i++) expect(ts[i]).toBeGreaterThanOrEqual(ts[i - 1] as number);
        expect(r.stages.reduce((a, s) => a + s.delta_ns, 0)).toBe(r.total_ns);
        expect(r.total_ns).toBe((ts.at(-1) as number) - (ts[0] as number));
      }
    }
    const final = run.json.find((r) => r.type === 'final') as { sessions: { completed: number }[]; lost_events: number };
    expect(final.sessions.map((s) => s.completed)).toEqual([N, N]);
    expect(final.lost_events).toBe(0);
  });

  it('runs the upstream command line; --latency-us above every total streams nothing and counts them', async () => {
    let wire = { tx: 0, rx: 0 };
    const run = await runWith(
      'system-network-latency-details',
      [...base(), '--src-ip', net.ip.host, '--dst-ip', net.ip.peer, '--direction', 'tx', '--protocol', 'udp', '--latency-us', '5000000'],
      () => {
        wire = udpFlows();
      },
    );
    expect(run.log.join('\n')).toMatch(/^DEGRADED: /m);
    expect(run.lines.join('\n')).toMatch(new RegExp(`tx\\s+${2 * N}\\s+${2 * N}\\s+0`));
    const json = await runWith(
      'system-network-latency-details',
      [...base(), '-s', net.ip.host, '-d', net.ip.peer, '-r', 'tx', '-p', 'udp', '--latency-us', '5000000', '-o', 'json'],
      () => {
        wire = udpFlows();
      },
    );
    expect(json.json.filter((r) => r.type === 'event')).toEqual([]);
    const final = json.json.find((r) => r.type === 'final') as {
      sessions: { direction: string; completed: number; below_threshold: number }[];
    };
    // Decoy and target: -s/-d name the two hosts, not the port; tx only.
    expect(final.sessions).toEqual([expect.objectContaining({ direction: 'tx', completed: 2 * N, below_threshold: 2 * N })]);
    expect(wire.tx).toBe(N);
  });
});
