// Flood, quick variant (npm run stress has the long one): a streaming plugin whose consumer cannot
// keep up (the smallest ring, drained once a second, under a burst of drops) runs on, and accounts
// for every event exactly: events delivered + events lost = drops produced, against the kernel's
// own count of datagrams to a closed port in the receiving namespace (Udp NoPorts there). Interval
// reports keep coming while it floods, and its memory stays bounded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flood } from '../stress/scenarios.js';
import { type VethPair, vethPair } from '@nettrace/plugin-testing';

let net: VethPair;
beforeAll(() => {
  net = vethPair();
});
afterAll(() => net.cleanup());

describe('flood', () => {
  it('eth-drop with a 4 KiB ring drained once a second: delivered + lost = the drops the kernel counted', async () => {
    const f = await flood(net, 20_000);
    expect(f.code).toBe(0);
    expect(f.produced).toBe(20_000);
    expect(f.lost).toBeGreaterThan(0); // the consumer really could not keep up
    expect(f.delivered + f.lost).toBe(f.produced);
    expect(f.intervals).toBeGreaterThanOrEqual(2);
    expect(f.peakRssMiB).toBeLessThan(256); // the bound RELIABILITY.md states
  }, 120_000);
});
