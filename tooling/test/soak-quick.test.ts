// Soak, quick variant (npm run stress runs it for 30 minutes): a report plugin whose flow map is
// smaller than the flows it sees and a streaming plugin, side by side under steady drops from ever
// new source ports. Every drop is accounted for exactly against the kernel's counter, no fd is
// leaked, no map grows past its size, memory stays within the stated bound.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { soak } from '../stress/scenarios.js';
import { type VethPair, vethPair } from '@nettrace/plugin-testing';

let net: VethPair;
beforeAll(() => {
  net = vethPair();
});
afterAll(() => net.cleanup());

describe('soak (quick)', () => {
  it('kernel-drop-stack-stats and eth-drop for 25 s of steady drops: exact totals, flat fds, maps within their sizes', async () => {
    const r = await soak(net, 25, { perSecond: 400, sampleEveryMs: 1000, mapEveryMs: 5000 });
    expect(r.produced).toBeGreaterThan(5000);
    expect(r.reportedDrops).toBe(r.produced);
    expect(r.delivered + r.lost).toBe(r.produced);
    for (const f of r.figures) {
      expect(f.code, f.plugin).toBe(0);
      // A leak grows with every report (one a second here); one more fd in a single sample is a
      // file being read at that moment (a netns name, a symbol table).
      expect(f.fdsMax - f.fdsMin, `${f.plugin}: fds ${f.fdsMin}-${f.fdsMax}`).toBeLessThanOrEqual(1);
      expect(f.peakRssMiB, f.plugin).toBeLessThan(256);
      for (const [name, m] of Object.entries(f.maps)) expect(m.maxSeen, `${f.plugin} map ${name}`).toBeLessThanOrEqual(m.maxEntries);
    }
    // The flow table really overflowed (a new source port every 5 datagrams, more flows than its
    // 1024 groups): evicted groups' drops are still in the total, as untracked.
    expect(r.untrackedDrops).toBeGreaterThan(0);
  }, 120_000);
});
