// Unit: configure() (round-trip mode, ICMP only, direction, threshold, stacks) and the split of a
// session into request path, inter-path and reply path by the profile's legs.
import { icmpRttProfile, type NtStageSession, recordConfig, roundTripSplit } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import { parseFor } from '../../../tooling/test-support/stage-unit.js';
import plugin from '../src/index.js';

const parse = parseFor(plugin);
const vars = (argv: string[]) =>
  Object.fromEntries(recordConfig(plugin, parse(['-s', '10.0.0.1', '-d', '10.0.0.2', ...argv])).variables) as Record<string, unknown>;

/** A session of direction `dir` with the given stage positions stamped at these times. */
function session(dir: number, stamps: Record<number, number>): NtStageSession {
  const marks = Array.from({ length: 16 }, (_, pos) => ({ ts_ns: stamps[pos] ?? 0, stack_id: -1, cpu: 0 }));
  return { dir, marks } as unknown as NtStageSession;
}

describe('kernel-icmp-rtt', () => {
  it('configures round-trip mode on ICMP, tx by default, one direction only', () => {
    const v = vars([]);
    expect(v.cfg_stage_round_trip).toBe(1);
    expect(v.cfg_protocol).toBe(1);
    expect(v.cfg_stage_details).toBe(1);
    expect(v.cfg_stage_stacks).toBe(0);
    expect([...(v.cfg_stage_first as Uint8Array)]).toEqual([1, 0]);
    expect([...(v.cfg_stage_last as Uint8Array)]).toEqual([6, 0]);
    const rx = vars(['-r', 'rx', '--latency-ms', '2', '--kernel-stacks']);
    expect([...(rx.cfg_stage_first as Uint8Array)]).toEqual([0, 1]);
    expect(rx.cfg_stage_threshold_ns).toBe(2_000_000n);
    expect(rx.cfg_stage_stacks).toBe(1);
  });

  it('splits a round trip by leg: request path, inter-path, reply path', () => {
    // tx: ip-out 0, dev-queue 1, dev-xmit 2 (request); dev-rx 3, ip-rcv 4, icmp-rcv 5 (reply).
    expect(roundTripSplit(icmpRttProfile, session(0, { 0: 100, 1: 130, 2: 150, 3: 1150, 4: 1160, 5: 1190 }))).toEqual({
      request_path_ns: 50,
      inter_path_ns: 1000,
      reply_path_ns: 40,
      reached: ['ip-out', 'dev-queue', 'dev-xmit', 'dev-rx', 'ip-rcv', 'icmp-rcv'],
    });
    // A request whose reply never came: no inter-path, no reply path.
    expect(roundTripSplit(icmpRttProfile, session(0, { 1: 130, 2: 150 }))).toEqual({
      request_path_ns: 20,
      inter_path_ns: null,
      reply_path_ns: null,
      reached: ['dev-queue', 'dev-xmit'],
    });
    // rx: the request comes in first (dev-rx 0 .. icmp-rcv 2), the reply goes out (ip-out 3 ..).
    expect(roundTripSplit(icmpRttProfile, session(1, { 0: 10, 2: 30, 3: 35, 5: 60 }))).toMatchObject({
      request_path_ns: 20,
      inter_path_ns: 5,
      reply_path_ns: 25,
    });
  });
});
