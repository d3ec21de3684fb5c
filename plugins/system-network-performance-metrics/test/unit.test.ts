// Unit: the object and hooks (the interface counters' programs next to the stage engine's on the
// same tracepoints, found by name), configure() (the profile's tables, the mode, the interfaces
// counted), the required devices, and the interface section's interval arithmetic.
import { hostOvsProfile, recordConfig } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import { parseFor, stagePluginChecks } from '../../../tooling/test-support/stage-unit.js';
import plugin from '../src/index.js';
import { interfacesSection } from '../src/interfaces.js';

const devices = ['--phy-interface', 'lo', '--internal-interface', 'lo'];
const u32s = (v: unknown) => Array.from(new Uint32Array((v as Uint8Array).slice().buffer));

describe('system-network-performance-metrics', () => {
  stagePluginChecks(plugin, hostOvsProfile, devices, { details: true, aggregate: false, meta: true });

  it('the interface counters have their own programs on the stage tracepoints, chosen by name', () => {
    const byName = Object.fromEntries(plugin.hooks.map((h) => [h.name, h.alternatives.map((a) => a.program)]));
    expect(byName['interface transmit']).toEqual(['nt_ifc_tx_b', 'nt_ifc_tx_t']);
    expect(byName['interface receive']).toEqual(['nt_ifc_rx_b', 'nt_ifc_rx_t']);
    expect(byName['interface drops']).toEqual(['nt_ifc_drop_b', 'nt_ifc_drop_t']);
    expect(byName['net:net_dev_start_xmit']).toEqual(['nt_s_xmit_b', 'nt_s_xmit_t']);
    expect(byName['net:netif_receive_skb']).toEqual(['nt_s_rcv_b', 'nt_s_rcv_t']);
  });

  it('counts the physical and internal ports, or only --interface; -H aggregates in the kernel too', () => {
    const vars = (argv: string[]) => Object.fromEntries(recordConfig(plugin, parseFor(plugin)(argv)).variables) as Record<string, unknown>;
    expect(u32s(vars(devices).cfg_ifc_ifindex)).toEqual([1, 1, 0, 0]);
    expect(vars(devices).cfg_stage_aggregate).toBe(0);
    const h = vars([...devices, '-H', '--interface', 'lo']);
    expect(u32s(h.cfg_ifc_ifindex)).toEqual([1, 0, 0, 0]);
    expect(h.cfg_stage_aggregate).toBe(1);
  });

  it('refuses a run without either of its devices', () => {
    const configure = (argv: string[]) =>
      plugin.configure?.({ set() {}, maxEntries() {} }, parseFor(plugin)(argv) as never, { attached: () => true });
    expect(() => configure(['--phy-interface', 'lo'])).toThrow(/needs --internal-interface/);
    expect(() => configure(['--internal-interface', 'lo'])).toThrow(/needs --phy-interface/);
  });

  it("an interval report holds the interval's counts, the final one the whole run; quiet interfaces show zeros", () => {
    let value = { tx_packets: 3, tx_bytes: 300, rx_packets: 2, rx_bytes: 200, drops: 1 };
    const entries = () => [{ key: { ifindex: 7 }, value, keyBytes: new Uint8Array([7, 0, 0, 0]) }];
    const object = {};
    const ctx = (final: boolean) => ({ object, final, entries }) as never;
    const ifaces = [
      { name: 'eth0', ifindex: 7 },
      { name: 'br0', ifindex: 9 },
    ];
    const rows = (final: boolean) => interfacesSection(ctx(final), ifaces).rows;
    expect(rows(false)[0]).toMatchObject({ interface: 'eth0', tx_packets: 3, drops: 1 });
    value = { tx_packets: 5, tx_bytes: 500, rx_packets: 2, rx_bytes: 200, drops: 1 };
    expect(rows(false)).toEqual([
      { interface: 'eth0', ifindex: 7, tx_packets: 2, tx_bytes: 200, rx_packets: 0, rx_bytes: 0, drops: 0 },
      { interface: 'br0', ifindex: 9, tx_packets: 0, tx_bytes: 0, rx_packets: 0, rx_bytes: 0, drops: 0 },
    ]);
    expect(rows(true)[0]).toMatchObject({ tx_packets: 5, tx_bytes: 500, rx_packets: 2, drops: 1 });
  });
});
