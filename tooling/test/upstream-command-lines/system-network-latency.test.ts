// Catalog Appendix A, system_network_latency_summary and system_network_latency_details: every
// shape runs unchanged as `nettrace run system-network-latency[-details] …` (`<IF>` = the bridge's
// "physical" veth, `<IP>` = the host's then the peer's address; `--netns` and `-o json` added: the
// test's host is a namespace). Each run sees ICMP and the other L4 protocol between the same two
// addresses before the measured flow, so the protocol and address filters must keep exactly the
// measured flow's packets: tx sessions = packets vphy sent in that window. On this kernel
// (tracepoints only) the rx path of these shapes has one observable stage (the internal port's
// stage needs --internal-interface, which the upstream lines do not give): refused, naming why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWith } from '../../test-support/run.js';
import { deviceCounts, type LiveBridge, listeners, liveBridge, traffic } from '../../test-support/stage-live.js';
import { flagValue, shapeArgv } from '../../test-support/upstream-shapes.js';

const SHAPES: Record<string, { tool: string; lines: string[] }> = {
  'system-network-latency': {
    tool: 'system_network_latency_summary.py',
    lines: ['rx', 'tx'].flatMap((d) =>
      ['tcp', 'udp'].flatMap((p) => [
        `--phy-interface <IF> --src-ip <IP> --dst-ip <IP> --direction ${d} --protocol ${p} --interval 1`,
        `--phy-interface <IF> --src-ip <IP> --dst-ip <IP> --direction ${d} --protocol ${p}`,
      ]),
    ),
  },
  'system-network-latency-details': {
    tool: 'system_network_latency_details.py',
    lines: ['rx', 'tx'].flatMap((d) =>
      ['tcp', 'udp'].flatMap((p) =>
        [100, 200].map((us) => `--phy-interface <IF> --src-ip <IP> --dst-ip <IP> --direction ${d} --protocol ${p} --latency-us ${us}`),
      ),
    ),
  },
};

const PORT = 7301;
const N = 5;
let net: LiveBridge;
let stop: (() => void)[] = [];

beforeAll(() => {
  net = liveBridge(110 + (process.pid % 40));
  stop = [listeners(net.peer, [PORT]), listeners(net.host, [PORT])];
});
afterAll(() => {
  for (const s of stop) s();
  net?.cleanup();
});

type Proto = 'tcp' | 'udp';

/** ICMP and the other protocol first (same addresses), then the measured flow; its vphy tx packets. */
function flows(proto: Proto): number {
  net.host.exec('ping', ['-c', '2', '-i', '0.05', '-W', '2', '-q', net.ip.peer]);
  const send = (p: Proto) => traffic(net.host, [p === 'udp' ? 'udp-send' : 'tcp-client', net.ip.peer, PORT, N]);
  send(proto === 'tcp' ? 'udp' : 'tcp');
  const before = deviceCounts(net.host, 'vphy');
  send(proto);
  return deviceCounts(net.host, 'vphy').tx - before.tx;
}

interface Session {
  direction: string;
  started?: number;
  completed: number;
  not_found?: number;
  below_threshold?: number;
}

describe('upstream command lines of the system-network-latency tools run unchanged with the same meaning', () => {
  for (const [id, { tool, lines }] of Object.entries(SHAPES))
    for (const line of lines)
      it(`${tool} ${line}`, async () => {
        const argv = ['--netns', net.host.name, ...shapeArgv(line, { if: ['vphy'], ip: [net.ip.host, net.ip.peer] }), '-o', 'json'];
        const proto = flagValue(argv, '--protocol') as Proto;
        let sent = 0;
        const run = runWith(id, argv, async () => {
          sent = flows(proto);
          if (argv.includes('--interval')) await new Promise((r) => setTimeout(r, 1200));
        });
        if (flagValue(argv, '--direction') === 'rx') {
          await expect(run).rejects.toThrow(/rx path needs at least two stages, .*needs the internal interface option/);
          return;
        }
        const { json } = await run;
        expect(sent).toBeGreaterThanOrEqual(N);
        const final = json.find((r) => r.type === 'final') as { sessions: Session[] };
        expect(final.sessions).toEqual([expect.objectContaining({ direction: 'tx', completed: sent })]);
        const session = final.sessions[0] as Session;
        if (id === 'system-network-latency') {
          expect(session).toMatchObject({ started: sent, not_found: 0 });
          if (argv.includes('--interval')) expect(json.filter((r) => r.type === 'interval').length).toBeGreaterThanOrEqual(1);
        } else {
          // --latency-us: packets at or above it are streamed, the rest only counted.
          const events = json.filter((r) => r.type === 'event');
          const threshold = Number(flagValue(argv, '--latency-us')) * 1000;
          for (const e of events) expect(e).toMatchObject({ direction: 'tx', protocol: proto, total_ns: expect.any(Number) });
          for (const e of events) expect(e.total_ns as number).toBeGreaterThanOrEqual(threshold);
          expect(events.length + (session.below_threshold ?? -1)).toBe(sent);
        }
      });
});
