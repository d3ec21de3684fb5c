// Unit: the OVS round-trip profile (seven stages per packet, legs, devices), configure() (round-trip
// mode on ICMP, details and the in-kernel histogram, stacks by default, thresholds in ms or us) and
// the split of a session into request path, inter-path and reply path.
import { type NtStageSession, ovsIcmpRttProfile, parseOptions, recordConfig, roundTripSplit } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import { parseFor, stagePluginChecks } from '../../../tooling/test-support/stage-unit.js';
import plugin from '../src/index.js';

const parse = parseFor(plugin);
const vars = (argv: string[]) =>
  Object.fromEntries(
    recordConfig(plugin, parse(['-s', '10.0.0.1', '-d', '10.0.0.2', '--phy-interface', 'lo', ...argv])).variables,
  ) as Record<string, unknown>;

function session(dir: number, stamps: Record<number, number>): NtStageSession {
  const marks = Array.from({ length: 16 }, (_, pos) => ({ ts_ns: stamps[pos] ?? 0, stack_id: -1, cpu: 0 }));
  return { dir, marks } as unknown as NtStageSession;
}

describe('system-network-icmp-rtt', () => {
  stagePluginChecks(plugin, ovsIcmpRttProfile, ['-s', '10.0.0.1', '-d', '10.0.0.2', '--phy-interface', 'lo'], {
    details: true,
    aggregate: true,
    directions: ['tx'],
  });

  it('follows seven stages per packet, BCC order, each leg of the round trip', () => {
    const names = (d: 'tx' | 'rx') => ovsIcmpRttProfile[d]?.map((s) => `${s.leg}:${s.name}`);
    const out = ['ip-out', 'internal-xmit', 'ovs-process-out', 'ovs-upcall-out', 'ovs-execute-out', 'vport-send-out', 'phy-queue'];
    const inn = ['phy-rx', 'frame-hook', 'ovs-process-in', 'ovs-upcall-in', 'ovs-execute-in', 'vport-send-in', 'icmp-rcv'];
    expect(names('tx')).toEqual([...out.map((n) => `request:${n}`), ...inn.map((n) => `reply:${n}`)]);
    expect(names('rx')).toEqual([...inn.map((n) => `request:${n}`), ...out.map((n) => `reply:${n}`)]);
  });

  it('configures round-trip mode on ICMP with events, the histogram and stacks; tx by default', () => {
    const v = vars([]);
    expect(v.cfg_stage_round_trip).toBe(1);
    expect(v.cfg_protocol).toBe(1);
    expect(v.cfg_stage_details).toBe(1);
    expect(v.cfg_stage_aggregate).toBe(1);
    expect(v.cfg_stage_stacks).toBe(1);
    expect(v.cfg_stage_threshold_ns).toBe(0n);
    // Every hook attached: ip-out (1) to icmp-rcv (14) for tx only.
    expect([...(v.cfg_stage_first as Uint8Array)]).toEqual([1, 0]);
    expect([...(v.cfg_stage_last as Uint8Array)]).toEqual([14, 0]);
    const rx = vars(['--direction', 'rx', '--latency-ms', '2', '--disable-kernel-stacks']);
    expect([...(rx.cfg_stage_first as Uint8Array)]).toEqual([0, 1]);
    expect(rx.cfg_stage_threshold_ns).toBe(2_000_000n);
    expect(rx.cfg_stage_stacks).toBe(0);
    expect(vars(['--latency-us', '150']).cfg_stage_threshold_ns).toBe(150_000n);
    expect(() => vars(['--latency-us', '150', '--latency-ms', '1'])).toThrow(/exclude each other/);
  });

  it('takes a bond as a comma list of two members, no more', () => {
    const p = parseOptions(plugin.options, ['-s', '10.0.0.1', '-d', '10.0.0.2', '--phy-interface', 'lo,lo'], 'x') as {
      phyInterface: { ifindexes: number[] };
    };
    expect(p.phyInterface.ifindexes).toEqual([1, 1]);
    expect(() => parseOptions(plugin.options, ['-s', '10.0.0.1', '-d', '10.0.0.2', '--phy-interface', 'lo,lo,lo'], 'x')).toThrow(
      /at most 2 interfaces/,
    );
  });

  it('splits a round trip by leg', () => {
    // tx: 0..6 the request out, 7..13 the reply in; a fast-path echo skips the upcall pair.
    const s = session(0, { 0: 100, 1: 110, 2: 120, 5: 130, 6: 150, 7: 1150, 8: 1155, 9: 1160, 12: 1170, 13: 1190 });
    expect(roundTripSplit(ovsIcmpRttProfile, s)).toMatchObject({ request_path_ns: 50, inter_path_ns: 1000, reply_path_ns: 40 });
  });
});
