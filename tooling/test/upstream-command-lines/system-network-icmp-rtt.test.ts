// Catalog Appendix A, system_network_icmp_rtt: every shape runs unchanged as `nettrace run
// system-network-icmp-rtt …` (`<IP>` = the host's then the peer's address, as BCC's --src-ip is the
// local IP in both directions; `<IF>` = the bridge's "physical" veth; `--netns` and `-o json`
// added: the test's host is a namespace). tx: the host pings the peer; rx: the peer pings the host.
// Each run also sees the other side pinging with the same echo id and UDP between the same two
// addresses, so exactly the measured echoes count: every one completes, and the threshold splits
// them into streamed records (at or above it) and counted ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWith } from '../../test-support/run.js';
import { type LiveBridge, listeners, liveBridge, traffic } from '../../test-support/stage-live.js';
import { flagValue, shapeArgv } from '../../test-support/upstream-shapes.js';

const SHAPES = {
  tool: 'system_network_icmp_rtt.py',
  lines: ['rx', 'tx'].flatMap((d) => [
    `--src-ip <IP> --dst-ip <IP> --direction ${d} --phy-iface1 <IF> --latency-us 100`,
    `--src-ip <IP> --dst-ip <IP> --direction ${d} --phy-iface1 <IF> --latency-us 200`,
    `--src-ip <IP> --dst-ip <IP> --direction ${d} --phy-interface <IF> --latency-ms 1`,
  ]),
};

const PORT = 7501;
const N = 4;
const ECHO_ID = 4244;
let net: LiveBridge;
let stop: () => void = () => {};

beforeAll(() => {
  net = liveBridge(190 + (process.pid % 40));
  stop = listeners(net.peer, [PORT]);
});
afterAll(() => {
  stop();
  net?.cleanup();
});

const ping = (count: number, to: string) => ['-n', '-q', '-e', String(ECHO_ID), '-c', String(count), '-i', '0.1', '-W', '1', to];

describe('upstream command lines of system_network_icmp_rtt run unchanged with the same meaning', () => {
  for (const line of SHAPES.lines)
    it(`${SHAPES.tool} ${line}`, async () => {
      const argv = ['--netns', net.host.name, ...shapeArgv(line, { if: ['vphy'], ip: [net.ip.host, net.ip.peer] }), '-o', 'json'];
      const dir = flagValue(argv, '--direction') as 'tx' | 'rx';
      const [pinger, target] = dir === 'tx' ? [net.host, net.ip.peer] : [net.peer, net.ip.host];
      const [other, otherTarget] = dir === 'tx' ? [net.peer, net.ip.host] : [net.host, net.ip.peer];
      const { json } = await runWith('system-network-icmp-rtt', argv, () => {
        traffic(net.host, ['udp-send', net.ip.peer, PORT, 3]);
        other.exec('ping', ping(2, otherTarget)); // same echo id, the other way: not this direction's
        pinger.exec('ping', ping(N, target));
      });
      const us = flagValue(argv, '--latency-us');
      const threshold = us !== undefined ? Number(us) * 1e3 : Number(flagValue(argv, '--latency-ms')) * 1e6;
      const events = json.filter((r) => r.type === 'event');
      for (const e of events) expect(e).toMatchObject({ direction: dir, icmp_id: ECHO_ID, total_ns: expect.any(Number) });
      for (const e of events) expect(e.total_ns as number).toBeGreaterThanOrEqual(threshold);
      const final = json.find((r) => r.type === 'final') as { sessions: { direction: string; completed: number; below_threshold: number }[] };
      expect(final.sessions).toEqual([expect.objectContaining({ direction: dir, completed: N })]);
      expect(events.length + (final.sessions[0]?.below_threshold ?? -1)).toBe(N);
    });
});
