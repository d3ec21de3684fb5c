// Unit: the object and hooks (the profile's and the interface counters'), configure() (details
// with skb metadata), the options (both devices required), and a record's metrics row.
import {
  decodeNtStageSession,
  hostOvsProfile,
  NtStageMarkOffsets,
  NtStageMarkSize,
  NtStageSessionOffsets,
  NtStageSessionSize,
} from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import { parseFor, stagePluginChecks } from '../../../tooling/test-support/stage-unit.js';
import plugin from '../src/index.js';

const parse = parseFor(plugin);

describe('system-network-performance-metrics', () => {
  stagePluginChecks(plugin, hostOvsProfile, ['--phy-interface', 'lo', '--internal-interface', 'lo'], {
    details: true,
    aggregate: false,
    meta: true,
  });

  it("takes the BCC original's options and needs both devices", () => {
    const argv = [
      '--internal-interface',
      'lo',
      '--phy-interface',
      'lo',
      '--direction',
      'both',
      '--protocol',
      'tcp',
      '--latency-us',
      '100',
      '--enable-ct',
    ];
    expect(parse(argv)).toMatchObject({ direction: 'both', protocol: 6, threshold: 100, enableCt: true });
    expect(() =>
      plugin.configure?.({ set() {}, maxEntries() {} }, parse(['--phy-interface', 'lo']) as never, { attached: () => true }),
    ).toThrow(/needs --internal-interface/);
  });

  it('turns a record into stages with their devices, the qdisc sojourn and the ct() time', () => {
    const names = hostOvsProfile.tx?.map((s) => s.name) ?? [];
    const b = new Uint8Array(NtStageSessionSize);
    const v = new DataView(b.buffer);
    const path: [string, number, number][] = [
      ['ip-out', 1000, 0],
      ['ovs-process', 2000, 0],
      ['ovs-ct', 2500, 0],
      ['conntrack', 2600, 0],
      ['vport-send', 4000, 0],
      ['phy-queue', 5000, 7],
      ['qdisc-dequeue', 9000, 7],
      ['phy-xmit', 9500, 7],
    ];
    b[NtStageSessionOffsets.stamps] = path.length;
    v.setBigUint64(NtStageSessionOffsets.first_ns, 1000n, true);
    v.setBigUint64(NtStageSessionOffsets.last_ns, 9500n, true);
    path.forEach(([name, ts, ifindex], i) => {
      const pos = names.indexOf(name);
      b[NtStageSessionOffsets.order + i] = pos;
      const m = NtStageSessionOffsets.marks + pos * NtStageMarkSize;
      v.setBigUint64(m + NtStageMarkOffsets.ts_ns, BigInt(ts), true);
      v.setUint32(m + NtStageMarkOffsets.ifindex, ifindex, true);
      v.setUint32(m + NtStageMarkOffsets.len, 98, true);
    });
    const values = parse(['--phy-interface', 'lo', '--internal-interface', 'lo']);
    (values.phyInterface as { ifindex: number; name: string }).ifindex = 7;
    (values.phyInterface as { name: string }).name = 'eth9';
    const row = plugin.output.kind === 'stream' ? plugin.output.row(decodeNtStageSession(v, 0), { options: values } as never) : undefined;
    expect(row).toMatchObject({ total_ns: 8500, qdisc_sojourn_ns: 4000, ct_ns: 100 });
    expect((row?.stages as { stage: string; interface: string; len: number }[]).at(-1)).toMatchObject({
      stage: 'phy-xmit',
      interface: 'eth9',
      len: 98,
    });
  });
});
