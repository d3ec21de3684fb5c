// Unit: the object and hooks, configure() (tables for the host profile, summary mode), the
// options (BCC spellings as aliases) and the refusals.
import { hostOvsProfile } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import { parseFor, stagePluginChecks } from '../../../tooling/test-support/stage-unit.js';
import plugin from '../src/index.js';

const parse = parseFor(plugin);

describe('system-network-latency', () => {
  stagePluginChecks(plugin, hostOvsProfile, ['--phy-interface', 'lo', '--internal-interface', 'lo'], { details: false, aggregate: true });

  it('accepts the upstream spellings', () => {
    const v = parse(['--phy-iface1', 'lo', '--l4-protocol', 'udp', '--direction', 'rx', '--src-ip', '10.0.0.1']);
    expect(v).toMatchObject({ phyInterface: { name: 'lo' }, protocol: 17, direction: 'rx' });
  });

  it('needs the physical NIC and a known direction', () => {
    expect(() => plugin.configure?.({ set() {}, maxEntries() {} }, parse([]) as never, { attached: () => true })).toThrow(
      /needs --phy-interface/,
    );
    expect(() => parse(['--direction', 'sideways'])).toThrow(/--direction: 'sideways' is not one of tx, rx, both/);
  });
});
