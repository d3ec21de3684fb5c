// Unit: options → rodata (both devices, resolved in the current namespace here), required
// options, and the event decoder over golden bytes.
import { parseOptions, recordConfig, runnerOptions } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import plugin, { eventRow } from '../src/index.js';
import { decodeEvent, EventOffsets, EventSize } from '../src/vm_pair_latency.gen.js';

const parse = (argv: string[]) => parseOptions({ ...runnerOptions, ...plugin.options }, argv, 't');

describe('vm-pair-latency configure', () => {
  it('requires two different devices', () => {
    expect(() => parse(['--src-interface', 'lo'])).toThrow(/--dst-interface is required/);
    expect(() => parse(['--dst-interface', 'lo'])).toThrow(/--src-interface is required/);
    expect(() => recordConfig(plugin, parse(['--src-interface', 'lo', '--dst-interface', 'lo']))).toThrow(/same device/);
  });
  it('records rodata when both are given', () => {
    const values = parse(['--src-interface', 'lo', '--dst-interface', 'lo', '-D', '5201']);
    (values.dstIface as { ifindex: number }).ifindex = 99; // a second device without creating one
    const vars = Object.fromEntries(recordConfig(plugin, values).variables);
    expect(vars.cfg_src_ifindex).toBe(1);
    expect(vars.cfg_dst_ifindex).toBe(99);
    expect(vars.cfg_netns_ino).toBeGreaterThan(0);
    expect(vars.cfg_dst_port).toBe(5201);
  });
});

describe('event decoder', () => {
  it('decodes golden bytes into a row with the ICMP echo fields', () => {
    const bytes = new Uint8Array(EventSize);
    const v = new DataView(bytes.buffer);
    v.setBigUint64(EventOffsets.ts_ns, 5_000_000n, true);
    v.setBigUint64(EventOffsets.latency_ns, 12_345n, true);
    v.setUint32(EventOffsets.len, 98, true);
    v.setUint16(EventOffsets.ip_id, 4242, true);
    bytes.set(new TextEncoder().encode('vnet1\0'), EventOffsets.src_ifname);
    bytes.set(new TextEncoder().encode('vnet2\0'), EventOffsets.dst_ifname);
    const f = EventOffsets.flow;
    bytes[f] = 2;
    bytes[f + 1] = 1; // icmp
    bytes.set([10, 0, 0, 1], f + 8);
    bytes.set([10, 0, 0, 2], f + 24);
    bytes[f + 40] = 8; // icmp_type
    v.setUint16(f + 42, 77, true); // icmp_id
    v.setUint16(f + 44, 3, true); // icmp_seq
    expect(eventRow(decodeEvent(v, 0))).toMatchObject({
      src_interface: 'vnet1',
      dst_interface: 'vnet2',
      protocol: 'icmp',
      src_ip: '10.0.0.1',
      dst_ip: '10.0.0.2',
      icmp_type: 8,
      icmp_id: 77,
      icmp_seq: 3,
      ip_id: 4242,
      len: 98,
      ts_ns: 5_000_000,
      latency_ns: 12_345,
    });
  });
});
