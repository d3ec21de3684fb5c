// Unit: options → rodata (direction, VNI, extra port, inner filters) and the event decoder over
// golden bytes (outer IPv6 + inner IPv4, MACs).
import { parseOptions, recordConfig, runnerOptions } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import plugin, { eventRow } from '../src/index.js';
import { decodeEvent, EventOffsets, EventSize } from '../src/vxlan_tracer.gen.js';

const parse = (argv: string[]) => parseOptions({ ...runnerOptions, ...plugin.options }, argv, 't');

describe('vxlan-tracer configure', () => {
  it('writes direction, VNI, the extra port and the inner filters', () => {
    const vars = Object.fromEntries(
      recordConfig(plugin, parse(['-r', 'rx', '--vni', '0', '--vxlan-port', '4790', '-s', '192.168.1.1', '-p', 'tcp'])).variables,
    );
    expect(vars).toMatchObject({ cfg_direction: 1, cfg_vni_set: 1, cfg_vni: 0, cfg_vxlan_port: 4790, cfg_src_ip_set: 1, cfg_protocol: 6 });
    const none = Object.fromEntries(recordConfig(plugin, parse([])).variables);
    expect(none.cfg_direction).toBeUndefined();
    expect(none.cfg_vni_set).toBeUndefined();
  });
  it('rejects a VNI above 24 bits and a bad direction', () => {
    expect(() => parse(['--vni', '16777216'])).toThrow(/at most 16777215/);
    expect(() => parse(['-r', 'up'])).toThrow(/not one of tx, rx/);
  });
});

describe('event decoder', () => {
  it('decodes golden bytes into a row', () => {
    const bytes = new Uint8Array(EventSize);
    const v = new DataView(bytes.buffer);
    v.setBigUint64(EventOffsets.ts_ns, 1_000n, true);
    v.setUint32(EventOffsets.pid, 4321, true);
    v.setUint32(EventOffsets.len, 212, true);
    v.setUint32(EventOffsets.vni, 0xabcdef, true);
    bytes[EventOffsets.direction] = 1;
    bytes[EventOffsets.vxlan_flags] = 0x08;
    bytes.set([2, 0, 0, 0, 0, 2], EventOffsets.inner_dmac);
    bytes.set([2, 0, 0, 0, 0, 1], EventOffsets.inner_smac);
    bytes.set(new TextEncoder().encode('node\0'), EventOffsets.comm);
    bytes.set(new TextEncoder().encode('eth0\0'), EventOffsets.ifname);
    const o = EventOffsets.outer;
    bytes[o] = 10; // AF_INET6
    bytes[o + 1] = 17;
    v.setUint16(o + 2, 50000, true);
    v.setUint16(o + 4, 4789, true);
    bytes.set([0xfd, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], o + 8);
    bytes.set([0xfd, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2], o + 24);
    const i = EventOffsets.inner;
    bytes[i] = 2;
    bytes[i + 1] = 6;
    v.setUint16(i + 2, 33000, true);
    v.setUint16(i + 4, 443, true);
    bytes.set([192, 168, 0, 1], i + 8);
    bytes.set([192, 168, 0, 2], i + 24);
    expect(eventRow(decodeEvent(v, 0))).toMatchObject({
      direction: 'tx',
      interface: 'eth0',
      pid: 4321,
      comm: 'node',
      len: 212,
      vni: 0xabcdef,
      vxlan_flags: 8,
      outer_src_ip: 'fd00:10::1',
      outer_dst_ip: 'fd00:10::2',
      outer_src_port: 50000,
      outer_dst_port: 4789,
      inner_src_mac: '02:00:00:00:00:01',
      inner_dst_mac: '02:00:00:00:00:02',
      inner_protocol: 'tcp',
      inner_src_ip: '192.168.0.1',
      inner_dst_ip: '192.168.0.2',
      inner_src_port: 33000,
      inner_dst_port: 443,
    });
  });
});
