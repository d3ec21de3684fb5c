// system_network_rx_internal_port_latency_details.py has no upstream test (catalog §6.33: none, so
// Appendix A has no shape for it); these are the BCC script's own example command lines, run
// unchanged as `nettrace run system-network-rx-internal-latency …` (`<IF>` = the bridge's
// "physical" veth, then the bridge br0 that holds the host's address as an OVS internal port does;
// `<IP>` = the peer for --src-ip, the host for --dst-ip, as in the examples; `<PORT>` = the host's
// server port; `--netns` and `-o json` added, `--interval 5` kept). On this kernel (tracepoints
// only) the path is phy-rx (netif_receive_skb on the NIC) -> backlog-rx (netif_receive_skb on the
// bridge). Each run first sees the host's ICMP and UDP with the peer (and, for the shape with a
// port, the peer's TCP to another port of the host), so the filters must keep exactly the measured
// flow's packets: sessions = packets vphy received from the peer's connection, each through both
// stages, and every one taken out on the CPU that received it (same-CPU hand-offs only, no backlog).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWith } from '../../test-support/run.js';
import { deviceCounts, type LiveBridge, listeners, liveBridge, traffic } from '../../test-support/stage-live.js';
import { shapeArgv } from '../../test-support/upstream-shapes.js';

const PORT = 7511;
const DECOY_PORT = 7512;
const N = 5;
const TOOL = 'system_network_rx_internal_port_latency_details.py';

const SHAPES = [
  '--phy-interface <IF> --internal-interface <IF> --src-ip <IP> --protocol tcp --interval 5',
  '--phy-interface <IF> --internal-interface <IF> --dst-ip <IP> --dst-port <PORT> --protocol tcp',
];

let net: LiveBridge;
let stop: (() => void)[] = [];

beforeAll(() => {
  net = liveBridge(30 + (process.pid % 40));
  stop = [listeners(net.host, [PORT, DECOY_PORT]), listeners(net.peer, [PORT])];
});
afterAll(() => {
  for (const s of stop) s();
  net?.cleanup();
});

interface Session {
  direction: string;
  started: number;
  completed: number;
  not_found: number;
}

describe('the BCC system_network_rx_internal_port_latency_details script’s example command lines run unchanged with the same meaning', () => {
  for (const line of SHAPES)
    it(`${TOOL} ${line}`, async () => {
      const filled = line.replace('<PORT>', String(PORT));
      const ip = filled.includes('--src-ip') ? [net.ip.peer] : [net.ip.host];
      const argv = ['--netns', net.host.name, ...shapeArgv(filled, { if: ['vphy', 'br0'], ip }), '-o', 'json'];
      let sent = 0;
      const { json } = await runWith('system-network-rx-internal-latency', argv, () => {
        net.host.exec('ping', ['-c', '2', '-i', '0.05', '-W', '2', '-q', net.ip.peer]);
        traffic(net.host, ['udp-send', net.ip.peer, PORT, 2]);
        if (filled.includes('--dst-port')) traffic(net.peer, ['tcp-client', net.ip.host, DECOY_PORT, 2]);
        const before = deviceCounts(net.host, 'vphy');
        traffic(net.peer, ['tcp-client', net.ip.host, PORT, N]);
        sent = deviceCounts(net.host, 'vphy').rx - before.rx;
      });
      expect(sent).toBeGreaterThanOrEqual(N);
      const final = json.find((r) => r.type === 'final') as Record<string, unknown>;
      expect(final.sessions as Session[]).toMatchObject([{ direction: 'rx', started: sent, completed: sent, not_found: 0 }]);
      const pairs = final.pairs as { from: string; to: string; count: number }[];
      expect(pairs.map((p) => [p.from, p.to, p.count])).toEqual([['phy-rx', 'backlog-rx', sent]]);
      const cross = final.cross_cpu as { count: number; same_cpu: number; cross_cpu: number; boundary: boolean }[];
      expect(cross).toMatchObject([{ count: sent, same_cpu: sent, cross_cpu: 0, boundary: true }]);
      const cpuPairs = final.cpu_pairs as { count: number; cross: boolean }[];
      expect(cpuPairs.reduce((a, r) => a + r.count, 0)).toBe(sent);
      expect(cpuPairs.every((r) => !r.cross)).toBe(true);
    });
});
