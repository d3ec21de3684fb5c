// tun-vhost-queue-stats-full inside the test kernels. vhost-net driven from user space by
// tk-vhost-traffic: per queue, transmits and vhost's reads are the pings, the receive used
// buffers and signal calls what the driver counted; each histogram holds one sample per event of
// its stage, and the guest-side backlog is what the driver set up (64 buffers, one per ping
// taken). A plain reader (tk-tun-traffic -q) reads with read(), never tun_recvmsg: no vhost
// stage moves, and the ring depths are exact. A decoy device is filtered out by --device.
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
  depth_xmit_max: number;
  handle_rx: number;
  recvmsg: number;
  signals: number;
  used: number;
}

const validate = schemaValidator('tun-vhost-queue-stats-full');
const queues = (rec: Record<string, unknown> | undefined) => (rec?.queues ?? []) as QueueRow[];
const hist = (rec: Record<string, unknown> | undefined, name: string) => rec?.[name] as HistJson | undefined;

kernelSuite('tun-vhost-queue-stats-full', (k) => {
  k.verify("--device X: transmits, vhost reads, signal calls and used buffers are the driver's; one sample per stage event", async () => {
    const pings = 6;
    const r = await k.run({
      args: ['--device', 'tkqf0'],
      before: [tapCommand('tkqf0')],
      traffic: [vhostTrafficCommand('tkqf0', '10.243.0', pings), vhostTrafficCommand('tkqf1', '10.243.1', 3), tapDeleteCommand('tkqf0')],
    });
    expect(r.exitCode, r.stderr).toBe(0);
    for (const rec of r.records) expect(validate(rec), JSON.stringify(rec)).toBeUndefined();
    const [d, decoy] = vhostTrafficResults(r.trafficOutput);
    expect(d).toMatchObject({ rxUsed: pings });
    expect(decoy).toMatchObject({ rxUsed: 3 });
    const [q] = queues(r.final);
    expect(queues(r.final)).toHaveLength(1);
    expect(q).toMatchObject({ device: 'tkqf0', queue: 0, xmits: pings, ring_full: 0, recvmsg: pings, used: pings, signals: d?.rxSignals });
    expect(q?.handle_rx).toBeGreaterThanOrEqual(1);
    const at = (name: string) => hist(r.final, `${name}@tkqf0:q0`);
    expect([at('depth_xmit')?.total, at('depth_recv')?.total]).toEqual([pings, pings]);
    expect([at('consumption_rx')?.total, at('delay_rx')?.total]).toEqual([q?.handle_rx, q?.handle_rx]);
    expect([at('consumption_signal')?.total, at('delay_signal')?.total]).toEqual([q?.signals, q?.signals]);
    // The driver made 64 buffers available once; at each signal at most `pings` were taken.
    expect(at('consumption_signal')?.buckets).toEqual([{ low: 32, high: 63, count: q?.signals }]);
    // At a signal the call's buffers are taken and not yet returned: never 0.
    expect(at('delay_signal')?.buckets.every((b) => b.low >= 1 && b.high <= 7)).toBe(true);
  });

  k.verify("--device X --queue 0: a plain reader's ring of 4 fills at depths 0..3 then 4; vhost stages stay at 0", async () => {
    const pings = 10;
    const ring = 4;
    const r = await runUnreadRing(k, 'tkqf2', '10.243.2', { pings, ring, args: ['--queue', '0'] });
    expect(queues(r.final)).toEqual([
      expect.objectContaining({
        xmits: pings,
        ring_full: pings - ring,
        depth_xmit_max: ring,
        handle_rx: 0,
        recvmsg: 0,
        signals: 0,
        used: 0,
      }),
    ]);
    expect(hist(r.final, 'depth_xmit@tkqf2:q0')?.buckets).toEqual(unreadRingDepths(pings, ring));
  });

  verifyTapRefusals(k, 'tkqfq');
});
