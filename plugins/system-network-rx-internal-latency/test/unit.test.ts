// Unit: the object and hooks, configure() (the profile's tables and the mode), the required device.
import { rxInternalProfile } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import { parseFor, stagePluginChecks } from '../../../tooling/test-support/stage-unit.js';
import plugin from '../src/index.js';

describe('system-network-rx-internal-latency', () => {
  stagePluginChecks(plugin, rxInternalProfile, ['--internal-interface', 'lo'], { details: false, aggregate: true });

  it('refuses a run without its device', () => {
    expect(() => plugin.configure?.({ set() {}, maxEntries() {} }, parseFor(plugin)([]) as never, { attached: () => true })).toThrow(
      /needs --internal-interface/,
    );
  });
});
