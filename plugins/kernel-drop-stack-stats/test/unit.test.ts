// Unit: option → rodata mapping and the generated decoder over golden bytes.
import { parseOptions, recordConfig, runnerOptions } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import { DropKeySize, decodeDropKey } from '../src/kernel_drop_stack_stats.gen.js';

describe('kernel-drop-stack-stats configure', () => {
  it('writes the shared filters and the grouping into rodata', () => {
    const values = parseOptions({ ...runnerOptions, ...plugin.options }, ['-s', '10.1.2.3', '-D', '53', '-p', 'udp', '-g', 'flow'], 't');
    const rec = recordConfig(plugin, values);
    const vars = Object.fromEntries(rec.variables);
    expect(vars.cfg_src_ip_set).toBe(1);
    expect(vars.cfg_src_ip_family).toBe(2);
    expect([...(vars.cfg_src_ip as Uint8Array)]).toEqual([10, 1, 2, 3]);
    expect(vars.cfg_dst_port).toBe(53);
    expect(vars.cfg_protocol).toBe(17);
    expect(vars.cfg_group_stack).toBe(false);
    expect(vars.cfg_group_flow).toBe(true);
    expect(rec.maxEntries).toEqual([['drops', 10240]]);
  });
});

describe('drop_key decoder', () => {
  it('decodes golden bytes laid out as the BTF says', () => {
    const bytes = new Uint8Array(DropKeySize);
    const v = new DataView(bytes.buffer);
    v.setUint32(0, 3, true); // reason
    v.setInt32(4, -17, true); // stack_id (an error code)
    v.setUint32(8, 42, true); // ifindex
    bytes[16] = 2; // flow.family
    bytes[17] = 17; // flow.protocol
    v.setUint16(18, 5353, true);
    v.setUint16(20, 9, true);
    bytes.set([192, 0, 2, 1], 24);
    bytes.set([192, 0, 2, 2], 40);
    const k = decodeDropKey(v, 0);
    expect(k).toMatchObject({ reason: 3, stack_id: -17, ifindex: 42 });
    expect(k.flow).toMatchObject({ family: 2, protocol: 17, sport: 5353, dport: 9 });
    expect([...k.flow.saddr.slice(0, 4)]).toEqual([192, 0, 2, 1]);
    expect([...k.flow.daddr.slice(0, 4)]).toEqual([192, 0, 2, 2]);
  });
});
