// Unit: /proc/interrupts parsing and IRQ selection (golden text, a fake /sys), options → the IRQ
// bitmap, golden-byte decoding, and the interval arithmetic of the report.
import { createRunContext, parseOptions, type RunContext, recordConfig, runnerOptions, UsageError } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import { parseInterrupts, type SystemView, selectIrqs } from '../src/irqs.js';
import { decodeIrqVal, IrqGapSize, IrqValOffsets, IrqValSize } from '../src/virtnet_irq_monitor.gen.js';

const PROC = `           CPU0       CPU1
 24:          1          0  IO-APIC   5-edge      ACPI:Ged
  5:         10         20  IO-APIC   5-edge      virtio0, virtio1
 37:          0          0 PCI-MSIX-0000:00:03.0   0-edge      virtio2-config
 38:          0      13134 PCI-MSIX-0000:00:03.0   1-edge      virtio2-input.0
 39:      10842          0 PCI-MSIX-0000:00:03.0   2-edge      virtio2-output.0
 41:       2058          0 PCI-MSIX-0000:00:04.0   1-edge      virtio3-rx
NMI:          0          0   Non-maskable interrupts
LOC:      89813      96932   Local timer interrupts
ERR:          0
`;

const sys = (net: Record<string, string>): SystemView => ({
  interrupts: () => parseInterrupts(PROC),
  virtioNet: () => new Map(Object.entries(net)),
});

describe('IRQ selection', () => {
  it('parses /proc/interrupts: numbers, per-CPU counts, action names (shared lines split)', () => {
    const t = parseInterrupts(PROC);
    expect([...t.keys()]).toEqual([24, 5, 37, 38, 39, 41]);
    expect(t.get(38)).toEqual({ irq: 38, names: ['virtio2-input.0'], perCpu: [0, 13134] });
    expect(t.get(5)?.names).toEqual(['virtio0', 'virtio1']);
  });
  it('default: every IRQ of every virtio-net device (MSI-X queues and virtio-mmio lines)', () => {
    expect(selectIrqs(undefined, undefined, sys({ eth0: 'virtio2' })).irqs).toEqual([37, 38, 39]);
    expect(selectIrqs(undefined, undefined, sys({ eth0: 'virtio2', eth1: 'virtio1' })).irqs).toEqual([5, 37, 38, 39]);
  });
  it('--interface picks one device; --irqs takes numbers and names; all', () => {
    expect(selectIrqs(undefined, 'eth1', sys({ eth0: 'virtio2', eth1: 'virtio0' })).irqs).toEqual([5]);
    expect(selectIrqs('41, virtio2-output.0,7', undefined, sys({})).irqs).toEqual([7, 39, 41]);
    expect(selectIrqs('all', undefined, sys({}))).toMatchObject({ all: true, irqs: [] });
  });
  it('refuses what it cannot resolve', () => {
    expect(() => selectIrqs('virtio9-input.0', undefined, sys({}))).toThrow(UsageError);
    expect(() => selectIrqs('1,,2', undefined, sys({}))).toThrow(UsageError);
    expect(() => selectIrqs(undefined, undefined, sys({}))).toThrow(/no virtio-net interface/);
    expect(() => selectIrqs(undefined, 'lo', sys({ eth0: 'virtio2' }))).toThrow(/not a virtio-net interface/);
    expect(() => selectIrqs(undefined, 'eth0', sys({ eth0: 'virtio7' }))).toThrow(/no IRQs found/);
    expect(() => selectIrqs('5', 'eth0', sys({ eth0: 'virtio2' }))).toThrow(/exclude each other/);
  });
});

describe('configure', () => {
  const config = (argv: string[]) =>
    Object.fromEntries(recordConfig(plugin, parseOptions({ ...runnerOptions, ...plugin.options }, argv, 't')).variables);
  it('numbers become a bitmap; all sets the catch-all', () => {
    const mask = config(['--irqs', '0,9,8191']).cfg_irq_mask as Uint8Array;
    expect(mask.length).toBe(1024);
    expect([mask[0], mask[1], mask[1023]]).toEqual([1, 2, 0x80]);
    expect(mask.reduce((n, b) => n + b, 0)).toBe(1 + 2 + 0x80);
    expect(config(['--irqs', 'all'])).toEqual({ cfg_all_irqs: 1 });
    expect(() => config(['--irqs', '8192'])).toThrow(UsageError);
  });
});

describe('report', () => {
  const key = (irq: number, cpu: number) => new Uint8Array(new Uint32Array([irq, cpu]).buffer);
  const val = (v: Partial<Record<keyof typeof IrqValOffsets, number>>) => {
    const d = new DataView(new ArrayBuffer(IrqValSize));
    for (const [k, n] of Object.entries(v)) d.setBigUint64(IrqValOffsets[k as keyof typeof IrqValOffsets], BigInt(n), true);
    return new Uint8Array(d.buffer);
  };
  const gap = (sum: number, n: number) => {
    const d = new DataView(new ArrayBuffer(IrqGapSize));
    d.setBigUint64(8, BigInt(sum), true);
    d.setBigUint64(16, BigInt(n), true);
    return new Uint8Array(d.buffer);
  };
  it('decodes irq_val from golden bytes', () => {
    expect(decodeIrqVal(new DataView(val({ calls: 3, ret_handled: 2, ret_none: 1, dur_max_ns: 9000 }).buffer), 0)).toMatchObject({
      calls: 3,
      ret_handled: 2,
      ret_none: 1,
      dur_max_ns: 9000,
    });
  });
  it('sums CPUs per IRQ, shows interval differences, and the whole run at the end', () => {
    let stats: [Uint8Array, Uint8Array][] = [];
    let gaps: [Uint8Array, Uint8Array][] = [];
    const object = {
      map: (name: string) =>
        name === 'stats'
          ? { entries: () => stats }
          : name === 'gaps'
            ? { entries: () => gaps }
            : { lookup: () => new Uint8Array(8), valueBytes: 8, sumU64: () => 0 },
    } as unknown as RunContext<never>['object'];
    const collect = (final: boolean) =>
      (
        plugin.output as {
          collect(c: RunContext<never>): { sections: { rows?: Record<string, unknown>[]; values?: Record<string, number> }[] };
        }
      ).collect(createRunContext(plugin, object, { irqs: '6000,6001', traceCpu: true }, { final, periodSeconds: 1 }));
    stats = [
      [key(6000, 0), val({ calls: 4, ret_handled: 4, dur_sum_ns: 40_000, paired: 4, dur_max_ns: 20_000 })],
      [key(6000, 1), val({ calls: 6, ret_handled: 5, ret_none: 1, dur_sum_ns: 60_000, paired: 6, dur_max_ns: 15_000 })],
    ];
    gaps = [[new Uint8Array(new Uint32Array([6000]).buffer), gap(9_000_000, 9)]];
    const first = collect(false).sections[0].rows!;
    expect(first).toMatchObject([
      { irq: 6000, calls: 10, cpus: { 0: 4, 1: 6 }, handled: 9, none: 1, handled_pct: 90, avg_us: 10, max_us: 20, avg_interval_us: 1000 },
      { irq: 6001, calls: 0, cpus: {}, handled: 0, avg_us: 0, avg_interval_us: 0 },
    ]);
    stats = [
      [key(6000, 0), val({ calls: 5, ret_handled: 5, dur_sum_ns: 70_000, paired: 5, dur_max_ns: 30_000 })],
      [key(6000, 1), val({ calls: 6, ret_handled: 5, ret_none: 1, dur_sum_ns: 60_000, paired: 6, dur_max_ns: 15_000 })],
    ];
    gaps = [[new Uint8Array(new Uint32Array([6000]).buffer), gap(11_000_000, 10)]];
    const second = collect(false).sections;
    expect(second[0].rows?.[0]).toMatchObject({
      calls: 1,
      cpus: { 0: 1, 1: 0 },
      handled: 1,
      none: 0,
      avg_us: 30,
      max_us: 30,
      avg_interval_us: 2000,
    });
    expect(second[1].values).toMatchObject({ irqs: 2, calls: 1 });
    expect(collect(true).sections[0].rows?.[0]).toMatchObject({ calls: 11, handled: 10, none: 1 });
  });
});
