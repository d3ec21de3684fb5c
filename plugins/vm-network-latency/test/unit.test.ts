// Unit: the object and hooks, configure() (the profile's tables and the mode), the required device.
import { vmOvsProfile } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import { parseFor, stagePluginChecks } from '../../../tooling/test-support/stage-unit.js';
import plugin from '../src/index.js';

describe('vm-network-latency', () => {
  stagePluginChecks(plugin, vmOvsProfile, ['--vm-interface', 'lo', '--phy-interface', 'lo'], { details: false, aggregate: true });

  it('refuses a run without its device', () => {
    expect(() =>
      plugin.configure?.({ set() {}, maxEntries() {} }, parseFor(plugin)(['--phy-interface', 'lo']) as never, { attached: () => true }),
    ).toThrow(/needs --vm-interface/);
  });
});
