// Flood, quick variant: a streaming plugin whose consumer cannot keep up (the smallest ring, drained
// once a second, under a burst of drops) runs on, and accounts for every event exactly: events
// delivered + events lost = drops produced, against the kernel's own count of datagrams to a
// closed port in the receiving namespace (Udp NoPorts of /proc/net/snmp there). Interval reports
// keep coming while it floods.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendUdp, type VethPair, vethPair } from '../test-support/netns.js';
import { runCli } from '../test-support/run.js';

let net: VethPair;
beforeAll(() => {
  net = vethPair();
});
afterAll(() => net.cleanup());

/** Udp NoPorts of the namespace: datagrams that found no socket. */
function noPorts(): number {
  const snmp = net.b.exec('cat', ['/proc/net/snmp']).split('\n');
  const header = snmp.find((l) => l.startsWith('Udp: InDatagrams'))?.split(/\s+/) ?? [];
  const values = snmp.find((l) => l.startsWith('Udp: ') && !l.includes('InDatagrams'))?.split(/\s+/) ?? [];
  return Number(values[header.indexOf('NoPorts')]);
}

describe('flood', () => {
  it('eth-drop with a 4 KiB ring drained once a second: delivered + lost = the drops the kernel counted', async () => {
    const FLOOD = 20_000;
    const before = noPorts();
    const run = await runCli(
      'eth-drop',
      ['--src-ip', net.ipA, '--dst-ip', net.ipB, '--l4-protocol', 'udp', '--ring-bytes', '4096', '--wakeup', 'hybrid', '--drain-ms', '1000', '-i', '1'],
      () => sendUdp(net.a, { to: net.ipB, port: 9, count: FLOOD, size: 16 }),
      2500,
    );
    const produced = noPorts() - before;
    expect(produced).toBe(FLOOD);
    expect(run.code, run.stderr).toBe(0);
    const events = run.json.filter((r) => r.type === 'event');
    const final = run.json.find((r) => r.type === 'final') as { events: number; lost_events: number };
    expect(final.events).toBe(events.length);
    expect(final.lost_events).toBeGreaterThan(0); // the consumer really could not keep up
    expect(final.events + final.lost_events).toBe(produced);
    expect(run.json.filter((r) => r.type === 'interval').length).toBeGreaterThanOrEqual(2);
  }, 120_000);
});
