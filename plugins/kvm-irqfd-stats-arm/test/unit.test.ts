// Unit: the upstream command shapes (kvm-irqfd-stats's options), the hooks declared for arm64 (kvm
// built in, no kvm:kvm_msi_set_irq there), and the vGIC tables of the report, interval and final.
import { createRunContext, parseOptions, runnerOptions } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import { fakeObject } from '../../../tooling/test-support/tap-plugin.js';
import plugin from '../src/index.js';
import { VgicLrKeyOffsets, VgicLrKeySize } from '../src/kvm_irqfd_stats_arm.gen.js';

describe('kvm-irqfd-stats-arm', () => {
  it('takes the upstream shapes', () => {
    const v = parseOptions({ ...runnerOptions, ...plugin.options }, ['688571', '--interval', '1', '--category', 'control'], 'run');
    expect(v).toMatchObject({ qemuPid: 688571, interval: 1, category: 'control' });
  });

  it('declares arm64 hooks: kvm functions without a module, the vGIC ones, no kvm_msi_set_irq tracepoint', () => {
    const hooks = Object.fromEntries(plugin.hooks.map((h) => [h.name, h]));
    expect(hooks.irqfd_wakeup?.alternatives.map((a) => [a.kind, a.module])).toEqual([
      ['fentry', undefined],
      ['kprobe', undefined],
    ]);
    expect(hooks['vgic queue']?.optional).toBeFalsy();
    expect(hooks['vgic v2 list register']?.optional).toBe(true);
    expect(hooks['vgic v3 list register']?.optional).toBe(true);
    expect(hooks['vhost signal']?.alternatives[0]?.module).toBe('vhost');
  });

  it('reports the vGIC counts per INTID (and GIC version), interval and final', () => {
    const u32 = (n: number) => new Uint8Array(new Uint32Array([n]).buffer);
    const u64 = (n: number) => new Uint8Array(new BigUint64Array([BigInt(n)]).buffer);
    const lrKey = (intid: number, version: number) => {
      const b = new Uint8Array(VgicLrKeySize);
      new DataView(b.buffer).setUint32(VgicLrKeyOffsets.intid, intid, true);
      new DataView(b.buffer).setUint32(VgicLrKeyOffsets.version, version, true);
      return b;
    };
    const object = fakeObject({
      vgic_queued: [[u32(37), u64(4)]],
      vgic_lr: [
        [lrKey(37, 3), u64(3)],
        [lrKey(33, 3), u64(1)],
      ],
    });
    const ctx = (final: boolean) =>
      createRunContext(plugin, object, { qemuPid: 1 }, { final, periodSeconds: 1, btf: undefined as never }) as never;
    if (plugin.output.kind !== 'report') throw new Error('a report plugin');
    const collect = plugin.output.collect;
    const rows = (final: boolean) => {
      const sections = collect(ctx(final)).sections as { key?: string; rows?: unknown[] }[];
      return [sections.find((s) => s.key === 'vgic_queued')?.rows, sections.find((s) => s.key === 'vgic_lr')?.rows];
    };
    const whole = [
      [{ intid: 37, count: 4 }],
      [
        { intid: 33, version: 3, count: 1 },
        { intid: 37, version: 3, count: 3 },
      ],
    ];
    expect(rows(false)).toEqual(whole);
    expect(rows(false)).toEqual([[], []]); // nothing new since the last interval
    expect(rows(true)).toEqual(whole);
  });
});
