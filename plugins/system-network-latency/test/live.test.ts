// Live kernel (tracepoints only): the run is degraded to the boundary stages it can see, names the
// missing ones, and still counts exactly: a bridge (br0) holds the host's address as an OVS
// internal port would, a veth (vphy) is its "physical" port to a peer namespace. Every packet of the
// target flow that crossed vphy is one completed session per direction, the decoy flow none; the
// upstream command line runs unchanged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWith } from '../../../tooling/test-support/run.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';
import { deviceCounts, type LiveBridge, listeners, liveBridge, traffic } from '../../../tooling/test-support/stage-live.js';

const PORT = 7101;
const DECOY_PORT = 7102;
const N = 5;
let net: LiveBridge;
let stop: (() => void)[] = [];

beforeAll(() => {
  net = liveBridge();
  stop = [listeners(net.peer, [PORT, DECOY_PORT]), listeners(net.host, [PORT, DECOY_PORT])];
});
afterAll(() => {
  for (const s of stop) s();
  net?.cleanup();
});

type Proto = 'icmp' | 'udp' | 'tcp';
interface Final {
  sessions: { direction: string; started: number; completed: number; not_found: number; parse_failed: number }[];
  pairs: { direction: string; from: string; to: string; count: number; sum_ns: number }[];
  totals: { direction: string; count: number; sum_ns: number }[];
  path: { direction: string; stage: string; observed: boolean; note: string }[];
  degraded: string[];
}

/** The decoy flow, then the target flow; returns the target's packets on vphy per direction. */
function flows(proto: Proto): { tx: number; rx: number } {
  const ping = (ns: typeof net.host, to: string) => ns.exec('ping', ['-c', String(N), '-i', '0.05', '-W', '2', '-q', to]);
  if (proto === 'icmp') ping(net.host, net.ip.decoy);
  if (proto === 'udp') traffic(net.host, ['udp-send', net.ip.peer, DECOY_PORT, N]);
  if (proto === 'tcp') traffic(net.host, ['tcp-client', net.ip.peer, DECOY_PORT, N]);
  const before = deviceCounts(net.host, 'vphy');
  if (proto === 'icmp') {
    ping(net.host, net.ip.peer);
    ping(net.peer, net.ip.host);
  }
  if (proto === 'udp') {
    traffic(net.host, ['udp-send', net.ip.peer, PORT, N]);
    traffic(net.peer, ['udp-send', net.ip.host, PORT, N]);
  }
  if (proto === 'tcp') traffic(net.host, ['tcp-client', net.ip.peer, PORT, N]);
  const after = deviceCounts(net.host, 'vphy');
  return { tx: after.tx - before.tx, rx: after.rx - before.rx };
}

const base = () => ['--netns', net.host.name, '--phy-interface', 'vphy', '--internal-interface', 'br0'];
const filter = (p: Proto) => ['-p', p, '-s', net.ip.host, '-d', net.ip.peer, ...(p === 'icmp' ? [] : ['-D', String(PORT)])];

describe('system-network-latency on the live kernel (degraded to tracepoints)', () => {
  for (const proto of ['icmp', 'udp', 'tcp'] as Proto[]) {
    it(`${proto}: exactly the target flow's packets, per direction, through the stages this kernel has`, async () => {
      let wire = { tx: 0, rx: 0 };
      const run = await runWith('system-network-latency', [...base(), ...filter(proto), '-i', '0', '-o', 'json'], () => {
        wire = flows(proto);
      });
      const validate = schemaValidator('system-network-latency');
      for (const rec of run.json) expect(validate(rec)).toBeUndefined();
      if (proto === 'icmp') expect(wire).toEqual({ tx: 2 * N, rx: 2 * N });
      if (proto === 'udp') expect(wire).toEqual({ tx: N, rx: N });
      if (proto === 'tcp') expect(Math.min(wire.tx, wire.rx)).toBeGreaterThanOrEqual(N);
      const final = run.json.find((r) => r.type === 'final') as unknown as Final;
      for (const d of ['tx', 'rx'] as const) {
        expect(final.sessions.find((s) => s.direction === d)).toMatchObject({
          started: wire[d],
          completed: wire[d],
          not_found: 0,
          parse_failed: 0,
        });
        const pairs = final.pairs.filter((p) => p.direction === d).map((p) => [p.from, p.to, p.count]);
        expect(pairs).toEqual(
          d === 'tx'
            ? [
                ['internal-xmit', 'phy-queue', wire.tx],
                ['phy-queue', 'phy-xmit', wire.tx],
              ]
            : [['phy-rx', 'backlog-rx', wire.rx]],
        );
        const total = final.totals.find((t) => t.direction === d);
        expect(total?.count).toBe(wire[d]);
        expect(final.pairs.filter((p) => p.direction === d).reduce((a, p) => a + p.sum_ns, 0)).toBe(total?.sum_ns);
      }
      // The stages it cannot see are named, with the reason.
      expect(final.degraded.join('\n')).toMatch(/ovs_dp_process_packet missing: stage tx:ovs-process, rx:ovs-process/);
      expect(final.path.find((p) => p.direction === 'tx' && p.stage === 'ip-out')).toMatchObject({
        observed: false,
        note: 'no hook on this kernel (ip_output)',
      });
    });
  }

  it("runs the upstream tests' command line unchanged, prints the degraded stages and the tables", async () => {
    const run = await runWith(
      'system-network-latency',
      [...base(), '--src-ip', net.ip.host, '--dst-ip', net.ip.peer, '--direction', 'rx', '--l4-protocol', 'udp', '--interval', '1'],
      () => void traffic(net.peer, ['udp-send', net.ip.host, PORT, N]),
    );
    expect(run.log.join('\n')).toMatch(/^DEGRADED: .*ovs_vport_send missing: stage tx:vport-send, rx:vport-send/m);
    const text = run.lines.join('\n');
    expect(text).toMatch(new RegExp(`rx\\s+${N}\\s+${N}\\s+0\\s+0\\b`));
    expect(text).toMatch(/rx\s+phy-rx\s+backlog-rx\s+5\s/);
    expect(text).not.toMatch(/^tx\s/m);
  });

  it('refuses what cannot work, in one line', async () => {
    await expect(runWith('system-network-latency', ['--netns', net.host.name], () => {})).rejects.toThrow(/needs --phy-interface/);
    await expect(runWith('system-network-latency', [...base(), '--direction', 'up'], () => {})).rejects.toThrow(/--direction: 'up'/);
    // Without the internal port, rx has one stage on this kernel: not a path.
    await expect(
      runWith('system-network-latency', ['--netns', net.host.name, '--phy-interface', 'vphy', '-r', 'rx'], () => {}),
    ).rejects.toThrow(/rx path needs at least two stages, this run can observe phy-rx .*backlog-rx: needs the internal interface option/);
  });
});
