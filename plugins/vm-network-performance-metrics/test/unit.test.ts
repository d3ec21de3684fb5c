// Unit: the object and hooks, configure() (the profile's tables and the mode), the required device,
// the table's path with each stage's skb metadata where it changes.
import { METRICS_ROW_COLUMNS, vmOvsProfile } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import { parseFor, stagePluginChecks } from '../../../tooling/test-support/stage-unit.js';
import plugin from '../src/index.js';

describe('vm-network-performance-metrics', () => {
  stagePluginChecks(plugin, vmOvsProfile, ['--vm-interface', 'lo', '--phy-interface', 'lo'], {
    details: true,
    aggregate: false,
    meta: true,
  });

  it("the table's path shows the device, length, queue and CPU where they change along it", () => {
    const path = METRICS_ROW_COLUMNS.find((c) => c.key === 'stages')?.value;
    const at = (stage: string, delta_ns: number, dev: string, len: number, queue: number, cpu: number) => ({
      stage,
      delta_ns,
      interface: dev,
      len,
      data_len: len > 1000 ? 1000 : 0,
      queue,
      cpu,
    });
    const stages = [
      at('vm-rx', 0, 'vnet0', 98, 0, 0),
      at('frame-hook', 1500, 'vnet0', 98, 0, 0),
      at('phy-queue', 2049, 'eth0', 1514, 1, 1),
    ];
    expect(path?.({ stages })).toBe('vm-rx [@vnet0 len=98 q0 cpu0] > frame-hook +1.5 > phy-queue +2.0 [@eth0 len=1514/1000 q1 cpu1]');
  });

  it('refuses a run without its device', () => {
    expect(() =>
      plugin.configure?.({ set() {}, maxEntries() {} }, parseFor(plugin)(['--phy-interface', 'lo']) as never, { attached: () => true }),
    ).toThrow(/needs --vm-interface/);
  });
});
