// Live kernel (tracepoints only): pings between two namespaces joined by a veth pair. The pinging
// side's --direction tx and the pinged side's rx give exactly one record per echo, with every
// stage this kernel has in path order and time never going back; a concurrent pinger from another
// address is not counted; an echo whose reply the peer no longer sends is listed as unfinished.
import { type ChildProcess, spawn } from 'node:child_process';
import { type Netns, type VethPair, vethPair } from '@nettrace/plugin-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoundTripRec as Rec } from '../../../tooling/test-support/round-trip.js';
import { runWith } from '../../../tooling/test-support/run.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';

const N = 4;
let net: VethPair;
let decoyIp: string;

beforeAll(() => {
  net = vethPair();
  decoyIp = net.ipA.replace(/\.1$/, '.3');
  net.a.ip('addr', 'add', `${decoyIp}/24`, 'dev', net.devA);
});
afterAll(() => net?.cleanup());

const ping = (ns: Netns, to: string, count: number) => ns.exec('ping', ['-n', '-q', '-c', String(count), '-i', '0.2', '-W', '1', to]);

/** A pinger from the decoy address, running until stopped. */
function decoy(): () => void {
  const child: ChildProcess = spawn('ip', ['netns', 'exec', net.a.name, 'ping', '-n', '-q', '-i', '0.2', '-I', decoyIp, net.ipB], {
    stdio: 'ignore',
  });
  return () => child.kill();
}

function checkRecords(json: Record<string, unknown>[], direction: string, stages: string[], pinger: string, target: string) {
  const validate = schemaValidator('kernel-icmp-rtt');
  for (const rec of json) expect(validate(rec)).toBeUndefined();
  const recs = json.filter((r) => r.type === 'event') as unknown as Rec[];
  expect(recs).toHaveLength(N);
  expect(recs.map((r) => r.icmp_seq)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
  expect(new Set(recs.map((r) => r.icmp_id)).size).toBe(1);
  for (const r of recs) {
    expect(r.direction).toBe(direction);
    expect([r.src_ip, r.dst_ip]).toEqual([pinger, target]);
    expect(r.stages.map((s) => s.stage)).toEqual(stages);
    const ts = r.stages.map((s) => s.ts_ns);
    for (let i = 1; i < ts.length; i++) expect(ts[i]).toBeGreaterThanOrEqual(ts[i - 1] as number);
    expect(r.total_ns).toBe((ts.at(-1) as number) - (ts[0] as number));
    expect((r.request_path_ns as number) + (r.inter_path_ns as number) + (r.reply_path_ns as number)).toBe(r.total_ns);
    expect(r.inter_path_ns).toBeGreaterThan(0);
  }
  return json.find((r) => r.type === 'final') as {
    sessions: { direction: string; started: number; completed: number; incomplete: number }[];
    unfinished: { icmp_seq: number; reached: string[] }[];
    lost_events: number;
  };
}

describe('kernel-icmp-rtt on the live kernel (degraded to the device tracepoints)', () => {
  it('tx on the pinging side: one record per echo, the decoy pinger not counted; a dropped reply is unfinished', async () => {
    const run = await runWith(
      'kernel-icmp-rtt',
      ['--netns', net.a.name, '--interface', net.devA, '-s', net.ipA, '-d', net.ipB, '-r', 'tx', '--kernel-stacks', '-o', 'json'],
      async () => {
        const stop = decoy();
        try {
          ping(net.a, net.ipB, N);
          net.b.exec('sysctl', ['-qw', 'net.ipv4.icmp_echo_ignore_all=1']);
          try {
            ping(net.a, net.ipB, 2);
          } catch {
            // no reply: ping exits 1
          } finally {
            net.b.exec('sysctl', ['-qw', 'net.ipv4.icmp_echo_ignore_all=0']);
          }
        } finally {
          stop();
        }
      },
    );
    const path = (run.json.find((r) => r.type === 'final') as { path: { stage: string; observed: boolean; note: string }[] }).path;
    expect(path.filter((p) => !p.observed).map((p) => [p.stage, p.note])).toEqual([
      ['ip-out', 'no hook on this kernel (ip_output)'],
      ['ip-rcv', 'no hook on this kernel (ip_rcv)'],
      ['icmp-rcv', 'no hook on this kernel (icmp_rcv)'],
    ]);
    const final = checkRecords(run.json, 'tx', ['dev-queue', 'dev-xmit', 'dev-rx'], net.ipA, net.ipB);
    expect(final.sessions).toEqual([expect.objectContaining({ direction: 'tx', started: N + 2, completed: N, incomplete: 2 })]);
    // --kernel-stacks: each stage's own kernel stack (the queue stage inside dev_queue_xmit).
    for (const r of run.json.filter((x) => x.type === 'event') as unknown as { stages: { stage: string; stack: string[] }[] }[]) {
      const stack = (name: string) => r.stages.find((x) => x.stage === name)?.stack.join(' ') ?? '';
      expect(stack('dev-queue')).toMatch(/dev_queue_xmit/);
      expect(stack('dev-rx')).toMatch(/netif_receive_skb|process_backlog/);
    }
    // The second ping (its own echo id) got no reply: both its requests left, nothing came back.
    expect(final.unfinished.map((u) => [u.icmp_seq, u.reached])).toEqual([
      [1, ['dev-queue', 'dev-xmit']],
      [2, ['dev-queue', 'dev-xmit']],
    ]);
    expect(final.lost_events).toBe(0);
  });

  it('rx on the pinged side, BCC spelling (--src-ip is the pinger), and without --interface', async () => {
    for (const iface of [['--interface', net.devB], []]) {
      const run = await runWith(
        'kernel-icmp-rtt',
        ['--netns', net.b.name, ...iface, '--src-ip', net.ipA, '--dst-ip', net.ipB, '--direction', 'rx', '--latency-ms', '0', '-o', 'json'],
        async () => {
          const stop = decoy();
          try {
            ping(net.a, net.ipB, N);
          } finally {
            stop();
          }
        },
      );
      const final = checkRecords(run.json, 'rx', ['dev-rx', 'dev-queue', 'dev-xmit'], net.ipA, net.ipB);
      expect(final.sessions).toEqual([expect.objectContaining({ direction: 'rx', started: N, completed: N, incomplete: 0 })]);
      expect(final.unfinished).toEqual([]);
    }
  });

  it('--latency-ms above every round trip streams nothing and counts them', async () => {
    const run = await runWith(
      'kernel-icmp-rtt',
      ['--netns', net.a.name, '-s', net.ipA, '-d', net.ipB, '--latency-ms', '5000', '-o', 'json'],
      () => {
        ping(net.a, net.ipB, N);
      },
    );
    expect(run.json.filter((r) => r.type === 'event')).toEqual([]);
    const final = run.json.find((r) => r.type === 'final') as { sessions: { completed: number; below_threshold: number }[] };
    expect(final.sessions).toEqual([expect.objectContaining({ completed: N, below_threshold: N })]);
  });
});
