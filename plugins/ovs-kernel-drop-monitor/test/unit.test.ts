// Unit: options → rodata, the cause labels, openvswitch's drop reasons named through the merged
// enum, and the generated decoder over golden bytes.
import { dropReasonLabel, dropReasons, KernelEnum, parseOptions, recordConfig, runnerOptions } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import { dropCause } from '../src/cause.js';
import plugin from '../src/index.js';
import { DropKeyOffsets, DropKeySize, DropKind, decodeDropKey } from '../src/ovs_kernel_drop_monitor.gen.js';

describe('ovs-kernel-drop-monitor configure', () => {
  it("writes BCC's filters (--src/--dst, --protocol) and --trace into rodata", () => {
    const values = parseOptions(
      { ...runnerOptions, ...plugin.options },
      ['--src', '10.1.2.3', '--dst', '10.1.2.4', '--protocol', 'icmp', '--trace'],
      't',
    );
    const vars = Object.fromEntries(recordConfig(plugin, values).variables);
    expect([...(vars.cfg_src_ip as Uint8Array)]).toEqual([10, 1, 2, 3]);
    expect([...(vars.cfg_dst_ip as Uint8Array)]).toEqual([10, 1, 2, 4]);
    expect(vars.cfg_protocol).toBe(1);
    expect(vars.cfg_trace).toBe(true);
    expect(vars.cfg_either_direction ?? 0).toBe(0); // directional, as upstream
  });
});

describe('causes', () => {
  it('names consumed drops by what the datapath did, and kfree_skb drops by the kernel reason', () => {
    expect(dropCause(DropKind.KIND_METER, '-')).toBe('meter drop (consumed)');
    expect(dropCause(DropKind.KIND_NO_OUTPUT, '-')).toBe('no output action (consumed)');
    expect(dropCause(DropKind.KIND_KFREE, 'NOT_SPECIFIED')).toBe('NOT_SPECIFIED');
    expect(dropCause(DropKind.KIND_KFREE, '-')).toBe('kfree_skb (no reason before 5.17)');
    expect(dropCause(DropKind.KIND_OVS_REASON, 'OVS_DROP_METER')).toBe('OVS_DROP_METER');
  });

  it("names openvswitch's reasons from the module's enum, merged into the kernel's", () => {
    const enums: Record<string, [string, number][]> = {
      skb_drop_reason: [
        ['SKB_DROP_REASON_NOT_SPECIFIED', 2],
        ['SKB_DROP_REASON_PKT_TOO_BIG', 40],
      ],
      skb_drop_reason_subsys: [
        ['SKB_DROP_REASON_SUBSYS_CORE', 0],
        ['SKB_DROP_REASON_SUBSYS_OPENVSWITCH', 3],
      ],
      'openvswitch/ovs_drop_reason': [
        ['OVS_DROP_LAST_ACTION', 0x30000],
        ['OVS_DROP_METER', 0x30005],
      ],
    };
    const lookup = (name: string, _f?: unknown, module?: string) => {
      const pairs = enums[module ? `${module}/${name}` : name];
      return pairs && new KernelEnum(name, new Map(pairs.map(([n, v]) => [v, n])), 'test');
    };
    const reasons = dropReasons(lookup);
    expect(dropReasonLabel(reasons, 40)).toBe('PKT_TOO_BIG');
    expect(dropReasonLabel(reasons, 0x30005)).toBe('OVS_DROP_METER');
    expect(dropReasonLabel(reasons, 0x30009)).toBe('SUBSYS3:9'); // a reason this BTF does not name
    // Without the module's BTF: the subsystem's number and code.
    const bare = dropReasons((name: string, _f?: unknown, module?: string) => (module ? undefined : lookup(name)));
    expect(dropReasonLabel(bare, 0x30000)).toBe('SUBSYS3:0');
  });
});

describe('drop_key decoder', () => {
  it('decodes golden bytes laid out as the BTF says', () => {
    const bytes = new Uint8Array(DropKeySize);
    const v = new DataView(bytes.buffer);
    v.setUint32(DropKeyOffsets.reason, 0x30005, true);
    v.setUint32(DropKeyOffsets.kind, DropKind.KIND_KFREE, true);
    v.setInt32(DropKeyOffsets.stack_id, -14, true);
    v.setUint32(DropKeyOffsets.in_ifindex, 7, true);
    bytes[DropKeyOffsets.flow] = 2; // family
    bytes[DropKeyOffsets.flow + 1] = 1; // ICMP
    const k = decodeDropKey(v, 0);
    expect(k).toMatchObject({ reason: 0x30005, kind: 0, stack_id: -14, in_ifindex: 7 });
    expect(k.flow).toMatchObject({ family: 2, protocol: 1 });
  });
});
