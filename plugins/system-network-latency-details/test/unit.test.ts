// Unit: the object and hooks, configure() (details mode, threshold in the kernel), and one
// session record decoded from golden bytes into its row: stages in the order reached, deltas.
import {
  decodeNtStageSession,
  hostOvsProfile,
  NtFlowOffsets,
  NtPktKeyOffsets,
  NtStageMarkOffsets,
  NtStageMarkSize,
  NtStageSessionOffsets,
  NtStageSessionSize,
  recordConfig,
} from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import { parseFor, stagePluginChecks } from '../../../tooling/test-support/stage-unit.js';
import plugin from '../src/index.js';

const parse = parseFor(plugin);

describe('system-network-latency-details', () => {
  stagePluginChecks(plugin, hostOvsProfile, ['--phy-interface', 'lo'], { details: true, aggregate: false });

  it('writes --latency-us (BCC) / --threshold as nanoseconds', () => {
    const vars = Object.fromEntries(recordConfig(plugin, parse(['--phy-interface', 'lo', '--latency-us', '250'])).variables);
    expect(vars.cfg_stage_threshold_ns).toBe(250_000n);
  });

  it('decodes a session record: stages in the order reached, each with the time since the previous', () => {
    const b = new Uint8Array(NtStageSessionSize);
    const v = new DataView(b.buffer);
    const k = NtStageSessionOffsets.key;
    const f = k + NtPktKeyOffsets.flow;
    b.set([2, 17], f); // IPv4, UDP
    v.setUint16(f + NtFlowOffsets.sport, 40000, true);
    v.setUint16(f + NtFlowOffsets.dport, 7001, true);
    b.set([10, 90, 0, 1], f + NtFlowOffsets.saddr);
    b.set([10, 90, 0, 2], f + NtFlowOffsets.daddr);
    v.setUint16(k + NtPktKeyOffsets.ip_id, 4242, true);
    v.setUint32(k + NtPktKeyOffsets.length, 40, true);
    v.setBigUint64(NtStageSessionOffsets.first_ns, 1000n, true);
    v.setBigUint64(NtStageSessionOffsets.last_ns, 4500n, true);
    b[NtStageSessionOffsets.dir] = 0;
    b[NtStageSessionOffsets.stamps] = 3;
    b.set([0, 3, 11], NtStageSessionOffsets.order); // ip-out, ovs-process, phy-xmit (profile positions)
    for (const [pos, ts, cpu] of [
      [0, 1000, 0],
      [3, 1700, 1],
      [11, 4500, 1],
    ]) {
      const m = NtStageSessionOffsets.marks + (pos as number) * NtStageMarkSize;
      v.setBigUint64(m + NtStageMarkOffsets.ts_ns, BigInt(ts as number), true);
      v.setUint16(m + NtStageMarkOffsets.cpu, cpu as number, true);
    }
    const row = plugin.output.kind === 'stream' ? plugin.output.row(decodeNtStageSession(v, 0), {} as never) : undefined;
    expect(row).toMatchObject({
      direction: 'tx',
      protocol: 'udp',
      src_ip: '10.90.0.1',
      dst_ip: '10.90.0.2',
      src_port: 40000,
      dst_port: 7001,
      ip_id: 4242,
      length: 40,
      total_ns: 3500,
      stages: [
        { stage: 'ip-out', ts_ns: 1000, delta_ns: 0, cpu: 0 },
        { stage: 'ovs-process', ts_ns: 1700, delta_ns: 700, cpu: 1 },
        { stage: 'phy-xmit', ts_ns: 4500, delta_ns: 2800, cpu: 1 },
      ],
    });
  });
});
