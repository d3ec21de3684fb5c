// tun-vhost-queue-stats-simple inside the test kernels. vhost-net driven from user space by
// tk-vhost-traffic: per queue, the transmits are the pings, the receive used buffers and signal
// calls are what the driver counted, the used index ends at the packets delivered. A reader held
// back until the last ping (tk-tun-traffic -q): the ring depths at transmit are exactly 0..RING-1,
// then RING for every drop, which the device counts. A decoy device is filtered out by --device.
import { expect } from 'vitest';
import { kernelSuite } from '../../../test-kernel/src/plugin-suite.js';
import { type HistJson, runUnreadRing, unreadRingDepths, verifyTapRefusals } from '../../../test-kernel/src/tap-cases.js';
import { tapCommand, tapDeleteCommand, vhostTrafficCommand, vhostTrafficResults } from '../../../test-kernel/src/traffic.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';

interface QueueRow {
  device: string;
  queue: number;
  xmits: number;
  ring_full: number;
  depth_avg: number;
  depth_max: number;
  rx_signals: number;
  rx_used: number;
  last_used_idx: number;
  tx_signals: number;
  tx_used: number;
  napi_enabled: boolean;
  napi_frags_enabled: boolean;
}

const validate = schemaValidator('tun-vhost-queue-stats-simple');
const queues = (rec: Record<string, unknown> | undefined) => (rec?.queues ?? []) as QueueRow[];
const sum = (recs: Record<string, unknown>[], f: keyof QueueRow) =>
  recs.flatMap((r) => queues(r)).reduce((n, q) => n + (q[f] as number), 0);

kernelSuite('tun-vhost-queue-stats-simple', (k) => {
  k.verify("--device X --interval 1: transmits, used buffers, signal calls and the used index are the driver's", async () => {
    const pings = 6;
    const r = await k.run({
      args: ['--device', 'tkqs0', '--interval', '1'],
      before: [tapCommand('tkqs0')],
      traffic: [vhostTrafficCommand('tkqs0', '10.242.0', pings), vhostTrafficCommand('tkqs1', '10.242.1', 3), tapDeleteCommand('tkqs0')],
    });
    expect(r.exitCode, r.stderr).toBe(0);
    for (const rec of r.records) expect(validate(rec), JSON.stringify(rec)).toBeUndefined();
    const [d, decoy] = vhostTrafficResults(r.trafficOutput);
    expect(d).toMatchObject({ rxUsed: pings, txUsed: 1, txSignals: 1 });
    expect(decoy).toMatchObject({ rxUsed: 3 });
    // No EVENT_IDX and interrupts wanted: each signal call is one eventfd signal the driver read.
    expect(queues(r.final)).toEqual([
      expect.objectContaining({
        device: 'tkqs0',
        queue: 0,
        xmits: pings,
        ring_full: 0,
        rx_used: pings,
        rx_signals: d?.rxSignals,
        last_used_idx: pings,
        tx_signals: 1,
        tx_used: 1,
        napi_enabled: false,
      }),
    ]);
    expect((r.final?.['depth@tkqs0:q0'] as HistJson | undefined)?.total).toBe(pings);
    const lastUsed = r.final?.['last_used@tkqs0:q0'] as HistJson;
    expect(lastUsed.total).toBe(d?.rxSignals);
    expect(lastUsed.buckets.at(-1)).toMatchObject({ low: 4, high: 7 }); // the last call ends at 6
    // The interval reports add up to the run.
    const intervals = r.records.filter((x) => x.type === 'interval');
    expect([sum(intervals, 'xmits'), sum(intervals, 'rx_used'), sum(intervals, 'rx_signals'), sum(intervals, 'tx_used')]).toEqual([
      pings,
      pings,
      d?.rxSignals,
      1,
    ]);
  });

  k.verify('--device X --queue 0: a ring of 4 not read has depths 0,1,2,3 then 4 at each drop; NAPI flags read', async () => {
    const pings = 10;
    const ring = 4;
    const r = await runUnreadRing(k, 'tkqs2', '10.242.2', { pings, ring, args: ['--queue', '0'], napi: true });
    expect(queues(r.final)).toEqual([
      expect.objectContaining({
        device: 'tkqs2',
        xmits: pings,
        ring_full: pings - ring,
        depth_max: ring,
        depth_avg: (0 + 1 + 2 + 3 + ring * (pings - ring)) / pings,
        rx_signals: 0,
        napi_enabled: true,
        napi_frags_enabled: false,
      }),
    ]);
    expect((r.final?.['depth@tkqs2:q0'] as HistJson | undefined)?.buckets).toEqual(unreadRingDepths(pings, ring));
  });

  verifyTapRefusals(k, 'tkqsq');
});
