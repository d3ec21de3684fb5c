// vhost-queue-correlation inside the test kernels: vhost-net driven from user space by
// tk-vhost-traffic. One event per signal call of the tap's virtqueues: the used index moves by
// each call's count from 0 to the packets delivered, and the interrupts the events report are
// exactly the signals the driver received on its call eventfds, when the guest wants interrupts,
// when it suppresses them (VRING_AVAIL_F_NO_INTERRUPT), and with EVENT_IDX (where vhost_notify
// records the used index it signalled about). A decoy device is filtered out by --device.
import { expect } from 'vitest';
import { kernelSuite } from '../../../test-kernel/src/plugin-suite.js';
import { verifyTapRefusals } from '../../../test-kernel/src/tap-cases.js';
import { tapCommand, tapDeleteCommand, vhostTrafficCommand, vhostTrafficResults } from '../../../test-kernel/src/traffic.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';

interface VqState {
  last_avail_idx: number;
  avail_idx: number;
  last_used_idx: number;
  signalled_used: number;
  signalled_used_valid: boolean;
  event_idx: boolean;
  num: number;
}
interface EventRow {
  device: string;
  queue: number;
  role: string;
  count: number;
  verdict: string;
  eventfd: string | null;
  before: VqState;
  after: VqState;
}

const validate = schemaValidator('vhost-queue-correlation');
const eventsOf = (records: Record<string, unknown>[], role: string) =>
  (records.filter((r) => r.type === 'event') as unknown as EventRow[]).filter((e) => e.role === role);

/** The used index runs from 0 through every call's buffers, with no gap and no call missing. */
function expectUsedChain(events: EventRow[], total: number) {
  let used = 0;
  for (const e of events) {
    expect(e.before.last_used_idx).toBe(used);
    used += e.count;
    expect(e.after.last_used_idx).toBe(used);
  }
  expect(used).toBe(total);
}

kernelSuite('vhost-queue-correlation', (k) => {
  k.verify("--device X: one event per signal call, used index chained to the packets, interrupts = the driver's signals", async () => {
    const pings = 5;
    const r = await k.run({
      args: ['--device', 'tkvc0'],
      before: [tapCommand('tkvc0')],
      traffic: [vhostTrafficCommand('tkvc0', '10.245.0', pings), vhostTrafficCommand('tkvc1', '10.245.1', 3), tapDeleteCommand('tkvc0')],
    });
    expect(r.exitCode, r.stderr).toBe(0);
    for (const rec of r.records) expect(validate(rec), JSON.stringify(rec)).toBeUndefined();
    const [d] = vhostTrafficResults(r.trafficOutput);
    const rx = eventsOf(r.records, 'rx');
    const tx = eventsOf(r.records, 'tx');
    expect(r.records.filter((x) => x.type === 'event').every((e) => e.device === 'tkvc0')).toBe(true);
    expectUsedChain(rx, d?.rxUsed ?? -1);
    expect(rx.every((e) => e.verdict === 'interrupt' && !e.before.event_idx && e.before.num === 64 && e.eventfd)).toBe(true);
    expect(rx).toHaveLength(d?.rxSignals ?? -1);
    expect(tx.map((e) => [e.count, e.verdict])).toEqual([[1, 'interrupt']]);
    expect(r.final?.lost_events).toBe(0);
  });

  k.verify('--device X --queue 0: a guest that suppresses interrupts: every decision says so, the driver got none', async () => {
    const r = await k.run({
      args: ['--device', 'tkvc2', '--queue', '0'],
      before: [tapCommand('tkvc2')],
      traffic: [vhostTrafficCommand('tkvc2', '10.245.2', 4, { noInterrupt: true }), tapDeleteCommand('tkvc2')],
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const [d] = vhostTrafficResults(r.trafficOutput);
    expect(d).toMatchObject({ rxUsed: 4, rxSignals: 0 });
    const rx = eventsOf(r.records, 'rx');
    expectUsedChain(rx, 4);
    expect(new Set(rx.map((e) => e.verdict))).toEqual(new Set(['suppressed_flag']));
  });

  k.verify(
    'EVENT_IDX: vhost_notify records each used index, interrupts only when it passes used_event (0): as the driver saw',
    async () => {
      const r = await k.run({
        args: ['--device', 'tkvc3'],
        before: [tapCommand('tkvc3')],
        traffic: [vhostTrafficCommand('tkvc3', '10.245.3', 5, { eventIdx: true }), tapDeleteCommand('tkvc3')],
      });
      expect(r.exitCode, r.stderr).toBe(0);
      const [d] = vhostTrafficResults(r.trafficOutput);
      const rx = eventsOf(r.records, 'rx');
      expectUsedChain(rx, d?.rxUsed ?? -1);
      for (const e of rx) {
        expect(e.before.event_idx).toBe(true);
        expect([e.after.signalled_used_valid, e.after.signalled_used]).toEqual([true, e.after.last_used_idx]);
      }
      // The first decision has no previous signalled index: vhost always interrupts then.
      expect(rx[0]).toMatchObject({ verdict: 'interrupt', before: { signalled_used_valid: false } });
      expect(rx.filter((e) => e.verdict === 'interrupt')).toHaveLength(d?.rxSignals ?? -1);
      expect(rx.slice(1).every((e) => e.verdict === 'suppressed_event_idx' || e.verdict === 'interrupt')).toBe(true);
    },
  );

  verifyTapRefusals(k, 'tkvcq');
});
