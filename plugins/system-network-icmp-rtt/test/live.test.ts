// Live kernel (tracepoints only, no openvswitch): the stage-live stand-in for an OVS host (a "host"
// namespace whose bridge br0 holds its address as an internal port would, a "physical" veth vphy
// to the peer). The run is degraded to the device stages (internal-xmit, phy-queue, phy-rx) and
// says which it lost. N echoes each way are exactly N records and sessions while the other side
// pings back with the same echo id; interval reports hold their own echoes (the RTT histogram
// restarts each interval) and the final report the whole run.
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRoundTrip, roundTrips } from '../../../tooling/test-support/round-trip.js';
import { runWith } from '../../../tooling/test-support/run.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';
import { type LiveBridge, liveBridge } from '../../../tooling/test-support/stage-live.js';

const N = 4;
const ECHO_ID = 4243;
let net: LiveBridge;

beforeAll(() => {
  net = liveBridge(150 + (process.pid % 40));
});
afterAll(() => net?.cleanup());

interface Report {
  type: string;
  sessions: { direction: string; started: number; completed: number; replaced: number; not_found: number }[];
  totals: { direction: string; count: number; sum_ns: number }[];
  total_tx?: { total: number };
  path?: { direction: string; stage: string; observed: boolean; note: string }[];
  unfinished?: unknown[];
}

const pingArgs = (to: string, count: number) => [
  'ping',
  '-n',
  '-q',
  '-e',
  String(ECHO_ID),
  '-c',
  String(count),
  '-i',
  '0.2',
  '-W',
  '1',
  to,
];

/** The other side's pinger, same echo id, until it has sent its echoes. */
function concurrent(ns: string, to: string): Promise<void> {
  const child: ChildProcess = spawn('ip', ['netns', 'exec', ns, ...pingArgs(to, N)], { stdio: 'ignore' });
  return new Promise((done) => child.on('exit', () => done()));
}

function checkRecords(json: Record<string, unknown>[], direction: 'tx' | 'rx', stages: string[]) {
  const validate = schemaValidator('system-network-icmp-rtt');
  for (const rec of json) expect(validate(rec), JSON.stringify(rec)).toBeUndefined();
  const recs = roundTrips(json);
  expect(recs.map((r) => r.icmp_seq)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
  const [src, dst] = direction === 'tx' ? [net.ip.host, net.ip.peer] : [net.ip.peer, net.ip.host];
  for (const r of recs) {
    expect(r).toMatchObject({ direction, src_ip: src, dst_ip: dst, icmp_id: ECHO_ID });
    expect(r.stages.map((s) => s.stage)).toEqual(stages);
    expectRoundTrip(r, stages);
  }
  const final = json.find((r) => r.type === 'final') as unknown as Report;
  expect(final.sessions).toEqual([expect.objectContaining({ direction, started: N, completed: N, replaced: 0, not_found: 0 })]);
  expect(final.totals).toEqual([expect.objectContaining({ direction, count: N, sum_ns: recs.reduce((a, r) => a + r.total_ns, 0) })]);
  expect(final.unfinished).toEqual([]);
  return { recs, final };
}

/** The host namespace's run; `phy` is the spelling of the NIC option (BCC's older `--phy-iface1` too). */
const args = (direction: string, extra: string[] = [], phy = '--phy-interface') => [
  '--netns',
  net.host.name,
  phy,
  'vphy',
  '--src-ip',
  net.ip.host,
  '--dst-ip',
  net.ip.peer,
  '--direction',
  direction,
  ...extra,
  '-o',
  'json',
];

describe('system-network-icmp-rtt on the live kernel (degraded to the device tracepoints)', () => {
  it('tx: one record per echo with its kernel stacks, the peer pinging back with the same echo id not mixed in', async () => {
    const run = await runWith('system-network-icmp-rtt', args('tx', ['--internal-interface', 'br0']), async () => {
      const theirs = concurrent(net.peer.name, net.ip.host);
      net.host.exec(pingArgs(net.ip.peer, N)[0] as string, pingArgs(net.ip.peer, N).slice(1));
      await theirs;
    });
    const { recs, final } = checkRecords(run.json, 'tx', ['internal-xmit', 'phy-queue', 'phy-rx']);
    expect(final.path?.filter((p) => p.observed).map((p) => p.stage)).toEqual(['internal-xmit', 'phy-queue', 'phy-rx']);
    expect(final.path?.find((p) => p.stage === 'ovs-process-out')?.note).toMatch(/no hook on this kernel \(ovs_dp_process_packet\)/);
    for (const r of recs) expect(r.stages.find((s) => s.stage === 'phy-queue')?.stack?.join(' ')).toMatch(/dev_queue_xmit/);
  });

  it('rx, BCC spelling (--phy-iface1, --latency-us, --disable-kernel-stacks), without the internal port: two stages', async () => {
    const run = await runWith(
      'system-network-icmp-rtt',
      args('rx', ['--latency-us', '0', '--disable-kernel-stacks'], '--phy-iface1'),
      async () => {
        const theirs = concurrent(net.host.name, net.ip.peer);
        net.peer.exec(pingArgs(net.ip.host, N)[0] as string, pingArgs(net.ip.host, N).slice(1));
        await theirs;
      },
    );
    const { recs, final } = checkRecords(run.json, 'rx', ['phy-rx', 'phy-queue']);
    expect(final.path?.find((p) => p.stage === 'internal-xmit')?.note).toBe('needs the internal interface option');
    for (const r of recs) expect(r.stages.filter((s) => s.stack)).toEqual([]);
  });

  it('interval reports hold their own echoes (the RTT histogram restarts), the final one the whole run', async () => {
    const run = await runWith('system-network-icmp-rtt', args('tx', ['-i', '1', '--latency-ms', '5000']), async () => {
      net.host.exec('ping', ['-n', '-q', '-c', '3', '-i', '0.2', net.ip.peer]);
      await new Promise((r) => setTimeout(r, 1500));
      net.host.exec('ping', ['-n', '-q', '-c', '2', '-i', '0.2', net.ip.peer]);
      await new Promise((r) => setTimeout(r, 1200));
    });
    expect(run.json.filter((r) => r.type === 'event')).toEqual([]); // all below --latency-ms
    const counts = (run.json.filter((r) => r.type === 'interval') as unknown as Report[]).map((r) => r.totals[0]?.count ?? 0);
    const final = run.json.find((r) => r.type === 'final') as unknown as Report;
    expect(counts.filter((c) => c > 0).length, `interval counts ${counts}`).toBeGreaterThanOrEqual(2);
    expect(Math.max(...counts)).toBeLessThanOrEqual(3);
    expect(final.totals[0]?.count).toBe(5);
    expect(final.total_tx?.total).toBe(5);
    expect(final.sessions[0]).toMatchObject({ completed: 5, below_threshold: 5 });
  });

  it('refuses bad input with a clear error', async () => {
    await expect(runWith('system-network-icmp-rtt', args('tx', ['--latency-ms', '1', '--latency-us', '5']), () => {})).rejects.toThrow(
      /--latency-ms and --latency-us exclude each other/,
    );
  });
});
