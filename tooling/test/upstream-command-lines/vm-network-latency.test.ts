// Catalog Appendix A, vm_network_latency_summary, vm_network_latency_details and
// vm_network_performance_metrics: every shape runs unchanged as `nettrace run <id> …` (`<IF>` =
// the "VM" tap's stand-in vnet0, then the bridge's "physical" veth; `<IP>` = the VM's then the
// peer's address; `--netns` and `-o json` added: the test's host is a namespace). `--direction`
// keeps the BCC meaning: tx leaves the VM. Each run first sees the VM's other protocols with the
// peer and the host's own flow of the measured protocol to the peer, so the protocol and address
// filters must keep exactly the measured flow's packets: sessions = packets vphy sent (tx) or
// received (rx) in its window. `--interval 1` shapes send two bursts 2 s apart: each interval
// report holds only its own interval's packets and together they add up to the final report (the
// whole run). `--latency-us` shapes: the packets at or above it are streamed, the others counted,
// together the flow's packets; metrics records name each stage's device (on this kernel every
// stage is a device tracepoint).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWith } from '../../test-support/run.js';
import { deviceCounts, type LiveBridge, listeners, liveBridge, traffic } from '../../test-support/stage-live.js';
import { flagValue, shapeArgv } from '../../test-support/upstream-shapes.js';

const DIRS = ['tx', 'rx'] as const;
const PROTOS = ['tcp', 'udp', 'icmp'] as const;
type Dir = (typeof DIRS)[number];
type Proto = (typeof PROTOS)[number];

const base = (d: Dir, p: Proto) => `--vm-interface <IF> --phy-interface <IF> --direction ${d} --src-ip <IP> --dst-ip <IP> --protocol ${p}`;

const SHAPES: Record<string, { tool: string; lines: string[] }> = {
  'vm-network-latency': {
    tool: 'vm_network_latency_summary.py',
    lines: DIRS.flatMap((d) => PROTOS.flatMap((p) => [base(d, p), `${base(d, p)} --interval 1`])),
  },
  'vm-network-latency-details': {
    tool: 'vm_network_latency_details.py',
    lines: DIRS.flatMap((d) => PROTOS.flatMap((p) => [100, 200].map((us) => `${base(d, p)} --latency-us ${us}`))),
  },
  'vm-network-performance-metrics': {
    tool: 'vm_network_performance_metrics.py',
    lines: DIRS.flatMap((d) => PROTOS.flatMap((p) => [100, 200].map((us) => `${base(d, p)} --latency-us ${us}`))),
  },
};

const PORT = 7401;
const N = 5;
let net: LiveBridge;
let stop: (() => void)[] = [];

beforeAll(() => {
  net = liveBridge(60 + (process.pid % 40));
  stop = [net.vm, net.peer].map((ns) => listeners(ns, [PORT]));
});
afterAll(() => {
  for (const s of stop) s();
  net?.cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One burst of `proto` between the VM and the peer, started by the VM (tx) or the peer (rx). */
function burst(proto: Proto, d: Dir, n = N) {
  const [from, to] = d === 'tx' ? [net.vm, net.ip.peer] : [net.peer, net.ip.vm];
  if (proto === 'icmp') from.exec('ping', ['-c', String(n), '-i', '0.05', '-W', '2', '-q', to]);
  else traffic(from, [proto === 'udp' ? 'udp-send' : 'tcp-client', to, PORT, n]);
}

/** The decoys (the VM's other protocols with the peer, the host's own flow of `proto`), then the
 * measured flow; its packets on vphy in the shape's direction. */
function flows(proto: Proto, d: Dir): number {
  for (const other of PROTOS.filter((p) => p !== proto)) burst(other, d, 2);
  if (proto === 'icmp') net.host.exec('ping', ['-c', '2', '-i', '0.05', '-W', '2', '-q', net.ip.peer]);
  else traffic(net.host, [proto === 'udp' ? 'udp-send' : 'tcp-client', net.ip.peer, PORT, 2]);
  const before = deviceCounts(net.host, 'vphy');
  burst(proto, d);
  const after = deviceCounts(net.host, 'vphy');
  return d === 'tx' ? after.tx - before.tx : after.rx - before.rx;
}

interface Session {
  direction: string;
  started?: number;
  completed: number;
  not_found?: number;
  below_threshold?: number;
}
const sessionsOf = (r: Record<string, unknown>) => r.sessions as Session[];

describe('upstream command lines of the vm-network-latency tools run unchanged with the same meaning', () => {
  for (const [id, { tool, lines }] of Object.entries(SHAPES))
    for (const line of lines)
      it(`${tool} ${line}`, async () => {
        const argv = [
          '--netns',
          net.host.name,
          ...shapeArgv(line, { if: ['vnet0', 'vphy'], ip: [net.ip.vm, net.ip.peer] }),
          '-o',
          'json',
        ];
        const proto = flagValue(argv, '--protocol') as Proto;
        const d = flagValue(argv, '--direction') as Dir;
        const intervals = argv.includes('--interval');
        let sent = 0;
        const { json } = await runWith(id, argv, async () => {
          sent = flows(proto, d);
          if (!intervals) return;
          // A second burst two reports later: no interval may hold both.
          await sleep(2200);
          const before = deviceCounts(net.host, 'vphy');
          burst(proto, d);
          const after = deviceCounts(net.host, 'vphy');
          sent += d === 'tx' ? after.tx - before.tx : after.rx - before.rx;
          await sleep(1200);
        });
        expect(sent).toBeGreaterThanOrEqual(intervals ? 2 * N : N);
        const final = json.find((r) => r.type === 'final') as Record<string, unknown>;
        expect(sessionsOf(final)).toEqual([expect.objectContaining({ direction: d, completed: sent })]);
        const session = sessionsOf(final)[0] as Session;
        if (id === 'vm-network-latency') expect(session).toMatchObject({ started: sent, not_found: 0 });
        else {
          // --latency-us: packets at or above it are streamed, the rest only counted.
          const events = json.filter((r) => r.type === 'event');
          const threshold = Number(flagValue(argv, '--latency-us')) * 1000;
          for (const e of events) expect(e).toMatchObject({ direction: d, protocol: proto, total_ns: expect.any(Number) });
          for (const e of events) expect(e.total_ns as number).toBeGreaterThanOrEqual(threshold);
          expect(events.length + (session.below_threshold ?? -1)).toBe(sent);
          if (id === 'vm-network-performance-metrics')
            for (const e of events)
              for (const s of e.stages as { interface: string; len: number }[]) {
                expect(['vnet0', 'vphy']).toContain(s.interface);
                expect(s.len).toBeGreaterThan(0);
              }
        }
        if (intervals) {
          const each = json.filter((r) => r.type === 'interval').map((r) => sessionsOf(r)[0]?.completed ?? 0);
          expect(each.length).toBeGreaterThanOrEqual(3);
          expect(each.reduce((a, x) => a + x, 0), `interval reports ${each.join(',')} add up to the run`).toBe(sent);
          expect(Math.max(...each), `no interval report holds both bursts: ${each.join(',')}`).toBeLessThan(sent);
          expect(each.filter((x) => x > 0).length, `the bursts in separate intervals: ${each.join(',')}`).toBeGreaterThanOrEqual(2);
        }
      });
});
