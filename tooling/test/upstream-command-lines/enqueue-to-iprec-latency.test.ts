// enqueue_to_iprec_latency_summary.py and enqueue_to_iprec_latency_threshold.py have no upstream
// test (catalog §6.24: none, so Appendix A has no shape for them); these are the command lines of
// the two BCC scripts' own examples, run unchanged as `nettrace run enqueue-to-iprec-latency …`
// (`<IF>` = the bridge's "physical" veth, which receives through netif_rx and a CPU backlog as an
// OVS internal port does; `<IP>` = the peer (source) then the host (destination), as in the
// examples; `<PORT>` = the host's server port; `--netns` and `-o json` added). On this kernel
// (tracepoints only) the path is enqueue -> netif-receive. Each run first sees the host's UDP and
// ICMP with the peer (and, for the shapes with a port, the peer's TCP to another port of the host),
// so the filters must keep exactly the measured flow's packets: sessions = packets vphy received
// in its window. `--interval 1` shapes send two bursts 2 s apart: each interval report holds only
// its own packets and together they add up to the final report. `--threshold-us` shapes: the
// packets at or above it are streamed, the others counted, together the flow's packets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWith } from '../../test-support/run.js';
import { deviceCounts, type LiveBridge, listeners, liveBridge, traffic } from '../../test-support/stage-live.js';
import { flagValue, shapeArgv } from '../../test-support/upstream-shapes.js';

const PORT = 7501;
const DECOY_PORT = 7502;
const N = 5;

const SHAPES: { tool: string; line: string }[] = [
  ...[
    '--interface <IF> --src-ip <IP> --dst-ip <IP> --dst-port <PORT> --protocol tcp --interval 1',
    '--interface <IF> --dst-ip <IP> --protocol tcp --interval 1',
    '--interface <IF> --src-ip <IP> --dst-ip <IP> --dst-port <PORT> --protocol tcp --debug',
  ].map((line) => ({ tool: 'enqueue_to_iprec_latency_summary.py', line })),
  ...[
    '--interface <IF> --src-ip <IP> --dst-ip <IP> --dst-port <PORT> --protocol tcp --threshold-us 1000',
    '--interface <IF> --dst-ip <IP> --protocol tcp --threshold-us 5000',
  ].map((line) => ({ tool: 'enqueue_to_iprec_latency_threshold.py', line })),
];

let net: LiveBridge;
let stop: (() => void)[] = [];

beforeAll(() => {
  net = liveBridge(20 + (process.pid % 40));
  stop = [listeners(net.host, [PORT, DECOY_PORT]), listeners(net.peer, [PORT])];
});
afterAll(() => {
  for (const s of stop) s();
  net?.cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The peer's TCP connection to the host's server: the packets vphy received meanwhile. */
function burst(): number {
  const before = deviceCounts(net.host, 'vphy');
  traffic(net.peer, ['tcp-client', net.ip.host, PORT, N]);
  return deviceCounts(net.host, 'vphy').rx - before.rx;
}

/** The decoys (other protocols between the same addresses; TCP to another port where the shape
 * filters by port), then the flow. */
function flows(byPort: boolean): number {
  net.host.exec('ping', ['-c', '2', '-i', '0.05', '-W', '2', '-q', net.ip.peer]);
  traffic(net.host, ['udp-send', net.ip.peer, PORT, 2]);
  if (byPort) traffic(net.peer, ['tcp-client', net.ip.host, DECOY_PORT, 2]);
  return burst();
}

interface Session {
  direction: string;
  started: number;
  completed: number;
  not_found: number;
  below_threshold: number;
}
const sessionsOf = (r: Record<string, unknown>) => r.sessions as Session[];

describe('the BCC enqueue_to_iprec_latency scripts’ example command lines run unchanged with the same meaning', () => {
  for (const { tool, line } of SHAPES)
    it(`${tool} ${line}`, async () => {
      const filled = line.replace('<PORT>', String(PORT));
      const ip = filled.includes('--src-ip') ? [net.ip.peer, net.ip.host] : [net.ip.host];
      const argv = ['--netns', net.host.name, ...shapeArgv(filled, { if: ['vphy'], ip }), '-o', 'json'];
      const intervals = argv.includes('--interval');
      let sent = 0;
      const { json } = await runWith('enqueue-to-iprec-latency', argv, async () => {
        sent = flows(line.includes('--dst-port'));
        if (!intervals) return;
        // A second burst two reports later: no interval may hold both.
        await sleep(2200);
        sent += burst();
        await sleep(1200);
      });
      expect(sent).toBeGreaterThanOrEqual(intervals ? 2 * N : N);
      const final = json.find((r) => r.type === 'final') as Record<string, unknown>;
      const session = sessionsOf(final)[0] as Session;
      expect(sessionsOf(final)).toHaveLength(1);
      expect(session).toMatchObject({ direction: 'rx', started: sent, completed: sent, not_found: 0 });
      const events = json.filter((r) => r.type === 'event');
      const threshold = flagValue(argv, '--threshold-us');
      if (threshold === undefined) expect(events).toHaveLength(0);
      else {
        for (const e of events) expect(e).toMatchObject({ direction: 'rx', protocol: 'tcp', dst_ip: net.ip.host, dst_port: PORT });
        for (const e of events) expect(e.total_ns as number).toBeGreaterThanOrEqual(Number(threshold) * 1000);
        expect(events.length + session.below_threshold).toBe(sent);
      }
      const pairs = final.pairs as { from: string; to: string; count: number }[];
      expect(pairs.map((p) => [p.from, p.to, p.count])).toEqual([['enqueue', 'netif-receive', sent]]);
      if (intervals) {
        const each = json.filter((r) => r.type === 'interval').map((r) => sessionsOf(r)[0]?.completed ?? 0);
        expect(each.length).toBeGreaterThanOrEqual(3);
        expect(
          each.reduce((a, x) => a + x, 0),
          `interval reports ${each.join(',')} add up to the run`,
        ).toBe(sent);
        expect(Math.max(...each), `no interval report holds both bursts: ${each.join(',')}`).toBeLessThan(sent);
        expect(each.filter((x) => x > 0).length, `the bursts in separate intervals: ${each.join(',')}`).toBeGreaterThanOrEqual(2);
      }
    });
});
