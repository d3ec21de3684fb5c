// Catalog Appendix A, system_network_perfomance_metrics (BCC): every shape runs unchanged as
// `nettrace run system-network-performance-metrics …` (`<IF>` = the bridge standing in for the OVS
// internal port, then its "physical" veth; `<IP>` = the host's then the peer's address; `--netns`
// and `-o json` added: the test's host is a namespace). Each run sees ICMP and the other L4
// protocol between the same two addresses before the measured flow (UDP: a datagram each way per
// message; TCP: one connection), so the protocol and address filters must keep exactly the
// measured flow's packets: in the shape's direction, records at or above --latency-us plus those
// counted below it = the packets vphy passed that way; the interface section counts the flow both
// ways.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWith } from '../../test-support/run.js';
import { deviceCounts, type LiveBridge, listeners, liveBridge, traffic } from '../../test-support/stage-live.js';
import { flagValue, shapeArgv } from '../../test-support/upstream-shapes.js';

const TOOL = 'system_network_perfomance_metrics.py';
const LINES = ['rx', 'tx'].flatMap((d) =>
  ['tcp', 'udp'].flatMap((p) =>
    [100, 200].map(
      (us) => `--internal-interface <IF> --phy-interface <IF> --src-ip <IP> --dst-ip <IP> --direction ${d} --protocol ${p} --latency-us ${us}`,
    ),
  ),
);

const PORT = 7311;
const N = 5;
let net: LiveBridge;
let stop: (() => void)[] = [];

beforeAll(() => {
  net = liveBridge(150 + (process.pid % 40));
  stop = [listeners(net.peer, [PORT]), listeners(net.host, [PORT])];
});
afterAll(() => {
  for (const s of stop) s();
  net?.cleanup();
});

type Proto = 'tcp' | 'udp';

/** ICMP and the other protocol first, then the measured flow; its packets on vphy each way. */
function flows(proto: Proto): { tx: number; rx: number } {
  net.host.exec('ping', ['-c', '2', '-i', '0.05', '-W', '2', '-q', net.ip.peer]);
  const send = (p: Proto) => {
    if (p === 'tcp') return traffic(net.host, ['tcp-client', net.ip.peer, PORT, N]);
    traffic(net.host, ['udp-send', net.ip.peer, PORT, N]);
    return traffic(net.peer, ['udp-send', net.ip.host, PORT, N]);
  };
  send(proto === 'tcp' ? 'udp' : 'tcp');
  const before = deviceCounts(net.host, 'vphy');
  send(proto);
  const after = deviceCounts(net.host, 'vphy');
  return { tx: after.tx - before.tx, rx: after.rx - before.rx };
}

describe('upstream command lines of system_network_perfomance_metrics run unchanged with the same meaning', () => {
  for (const line of LINES)
    it(`${TOOL} ${line}`, async () => {
      const argv = ['--netns', net.host.name, ...shapeArgv(line, { if: ['br0', 'vphy'], ip: [net.ip.host, net.ip.peer] }), '-o', 'json'];
      const proto = flagValue(argv, '--protocol') as Proto;
      const dir = flagValue(argv, '--direction') as 'tx' | 'rx';
      let sent = { tx: 0, rx: 0 };
      const { json } = await runWith('system-network-performance-metrics', argv, () => {
        sent = flows(proto);
      });
      expect(sent[dir]).toBeGreaterThanOrEqual(N);
      const final = json.find((r) => r.type === 'final') as {
        sessions: { direction: string; below_threshold: number }[];
        interfaces: { interface: string; tx_packets: number; rx_packets: number }[];
      };
      expect(final.sessions.map((s) => s.direction)).toEqual([dir]);
      // --latency-us: packets at or above it are streamed, the rest only counted.
      const events = json.filter((r) => r.type === 'event');
      const threshold = Number(flagValue(argv, '--latency-us')) * 1000;
      for (const e of events) expect(e).toMatchObject({ direction: dir, protocol: proto, total_ns: expect.any(Number) });
      for (const e of events) expect(e.total_ns as number).toBeGreaterThanOrEqual(threshold);
      expect(events.length + (final.sessions[0]?.below_threshold ?? -1)).toBe(sent[dir]);
      expect(final.interfaces.find((r) => r.interface === 'vphy')).toMatchObject({ tx_packets: sent.tx, rx_packets: sent.rx });
    });
});
