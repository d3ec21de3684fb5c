// Kernel-test cases shared by the tun / vhost-net plugins (plugins/<id>/test/kernel.test.ts): the
// refusals of bad device options, and what a ring that fills looks like.
import { expect } from 'vitest';
import type { AroundResult } from './fixture-run.js';
import type { KernelContext } from './plugin-suite.js';
import { tapCommand, tapDeleteCommand, tunTrafficCommand, tunTrafficResults } from './traffic.js';

/** A log2 histogram as reports print it in JSON (histogramJson). */
export interface HistJson {
  total: number;
  buckets: { low: number; high: number; count: number }[];
}

/**
 * The usage errors of a plugin taking tapQueueOptions(): an unknown device, a device that is not a
 * tap and a queue the tap does not have must each exit 2 with one line. `tap` names the one-queue
 * tap the case creates; `args` are added to every command line (e.g. --verbose).
 */
export function verifyTapRefusals(k: KernelContext, tap: string, args: string[] = []): void {
  k.verify('bad input: an unknown device, a device that is not a tap, a queue the tap does not have (exit 2, one line)', async () => {
    // A tap with one queue and no reader: it exists while nettrace checks its options.
    expect((await k.vm().exec(tapCommand(tap))).code).toBe(0);
    for (const [given, message] of [
      [['--device', `${tap}-none`], `--interface: no network interface named '${tap}-none'`],
      [['--device', 'lo'], '--interface: lo is not a tun/tap device'],
      [['--device', tap, '--queue', '1'], `--queue: ${tap} has 1 queue (0-0), not 1`],
    ]) {
      const r = await k.run({ args: [...(given as string[]), ...args], traffic: [] });
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining(message as string)]);
    }
  });
}

/** The depths (packets already waiting) PINGS transmits find in a ring of RING nobody reads: 0 to
 * RING-1, then RING for each of the others, which are dropped; as log2 buckets. */
export function unreadRingDepths(pings: number, ring: 4): HistJson['buckets'] {
  return [
    { low: 0, high: 0, count: 1 },
    { low: 1, high: 1, count: 1 },
    { low: 2, high: 3, count: 2 },
    { low: 4, high: 7, count: pings - ring },
  ];
}

/**
 * Runs the plugin with `--device TAP` (and `args`) around PINGS pings into TAP held by a reader
 * that reads only after the last one, its ring holding RING: the reader must get RING packets and
 * the device count the others as dropped. Returns the run.
 */
export async function runUnreadRing(
  k: KernelContext,
  tap: string,
  subnet: string,
  o: { pings: number; ring: number; args?: string[]; napi?: boolean },
): Promise<AroundResult> {
  const r = await k.run({
    args: ['--device', tap, ...(o.args ?? [])],
    before: [tapCommand(tap)],
    traffic: [tunTrafficCommand(tap, subnet, o.pings, { tap: true, ring: o.ring, napi: o.napi }), tapDeleteCommand(tap)],
  });
  expect(r.exitCode, r.stderr).toBe(0);
  expect(tunTrafficResults(r.trafficOutput)).toEqual([{ packets: o.ring, bytes: o.ring * 98, txDropped: o.pings - o.ring }]);
  return r;
}
