// Unit: options → rodata, the CPU-list syntax, golden-byte decoding, and the interval arithmetic
// (interval reports are differences of the kernel's cumulative counts; the final one is the run).
import { createRunContext, parseOptions, type RunContext, recordConfig, runnerOptions, UsageError } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import plugin, { parseCpuList } from '../src/index.js';
import { decodeKsdEvent, KsdEventSize, KsdValOffsets, KsdValSize } from '../src/ksoftirqd_sched_latency.gen.js';

const parse = (argv: string[]) => parseOptions({ ...runnerOptions, ...plugin.options }, argv, 't');

describe('ksoftirqd-sched-latency configure', () => {
  it('writes the CPU bitmap, threshold in ns and the event switch', () => {
    const vars = Object.fromEntries(recordConfig(plugin, parse(['--cpu', '0,3-4,9', '-t', '250', '-v'])).variables);
    expect(vars.cfg_cpu_filter).toBe(1);
    const mask = vars.cfg_cpus as Uint8Array;
    expect(mask.length).toBe(128);
    expect([...mask.slice(0, 2)]).toEqual([0b11001, 0b10]);
    expect(vars.cfg_threshold_ns).toBe(250_000);
    expect(vars.cfg_events).toBe(true);
  });
  it('defaults: all CPUs, 100 us threshold, no events', () => {
    const vars = Object.fromEntries(recordConfig(plugin, parse([])).variables);
    expect(vars.cfg_cpu_filter).toBeUndefined();
    expect(vars.cfg_threshold_ns).toBe(100_000);
    expect(vars.cfg_events).toBe(false);
  });
  it('parses CPU lists and rejects bad ones as usage errors', () => {
    expect(parseCpuList('2, 0-1 ,1')).toEqual([0, 1, 2]);
    for (const bad of ['', 'a', '3-1', '1024', '1,,2', '-1']) expect(() => parseCpuList(bad)).toThrow(UsageError);
    expect(() => recordConfig(plugin, parse(['--cpu', 'x']))).toThrow(/--cpu/);
  });
});

describe('decoders', () => {
  it('ksd_event from golden bytes', () => {
    const v = new DataView(new ArrayBuffer(KsdEventSize));
    v.setBigUint64(0, 1_000_000_123n, true);
    v.setBigUint64(8, 1_000_050_123n, true);
    v.setBigUint64(16, 50_000n, true);
    v.setUint32(24, 1, true);
    v.setUint32(28, 22, true);
    v.setUint32(32, 0, true);
    new Uint8Array(v.buffer).set(new TextEncoder().encode('ksoftirqd/1'), 40);
    expect(decodeKsdEvent(v, 0)).toEqual({
      wakeup_ns: 1_000_000_123,
      run_ns: 1_000_050_123,
      latency_ns: 50_000,
      cpu: 1,
      pid: 22,
      wake_cpu: 0,
      comm: 'ksoftirqd/1',
    });
  });
});

/** A stats map with one (cpu 1, pid 22) entry, as the kernel lays it out. */
function statsValue(
  slots: Record<number, number>,
  c: { wakeups: number; runs: number; pairs: number; high: number; sum_ns: number; max_ns: number },
) {
  const v = new DataView(new ArrayBuffer(KsdValSize));
  for (const [slot, n] of Object.entries(slots)) v.setBigUint64(Number(slot) * 8, BigInt(n), true);
  for (const [k, n] of Object.entries(c)) v.setBigUint64(KsdValOffsets[k as keyof typeof c], BigInt(n), true);
  new Uint8Array(v.buffer).set(new TextEncoder().encode('ksoftirqd/1'), KsdValOffsets.comm);
  return new Uint8Array(v.buffer);
}

function fakeObject(value: () => Uint8Array) {
  const key = new Uint8Array(new Uint32Array([1, 22]).buffer);
  const map = (name: string) => ({
    perCpu: false,
    valueBytes: 8,
    perCpuViews: () => [],
    entries: () => (name === 'stats' ? [[key, value()]] : []),
    lookup: () => new Uint8Array(8),
    sumU64: () => 0,
  });
  return { map } as unknown as RunContext<never>['object'];
}

describe('reports', () => {
  it('interval reports are differences, the final report is the whole run', () => {
    let value = statsValue({ 3: 2 }, { wakeups: 3, runs: 4, pairs: 2, high: 0, sum_ns: 10_000, max_ns: 6_000 });
    const object = fakeObject(() => value);
    const ctx = (final: boolean) => createRunContext(plugin, object, { threshold: 100 }, { final, periodSeconds: 1 });
    const out = plugin.output as {
      collect(ctx: RunContext<never>): { sections: { key: string; rows?: unknown[]; hist?: { counts: number[] } }[] };
    };
    const first = out.collect(ctx(false));
    expect(first.sections[0].rows).toEqual([
      { cpu: 1, pid: 22, comm: 'ksoftirqd/1', wakeups: 3, runs: 4, pairs: 2, high_latency: 0, unpaired_wakeups: 1, avg_us: 5, max_us: 6 },
    ]);
    value = statsValue({ 3: 2, 8: 1 }, { wakeups: 4, runs: 6, pairs: 3, high: 1, sum_ns: 210_000, max_ns: 200_000 });
    const second = out.collect(ctx(false));
    expect(second.sections[0].rows).toEqual([
      {
        cpu: 1,
        pid: 22,
        comm: 'ksoftirqd/1',
        wakeups: 1,
        runs: 2,
        pairs: 1,
        high_latency: 1,
        unpaired_wakeups: 0,
        avg_us: 200,
        max_us: 200,
      },
    ]);
    const hist = second.sections.find((s) => s.key === 'latency_cpu1')?.hist;
    expect(hist?.counts[8]).toBe(1);
    expect(hist?.counts[3]).toBe(0);
    const final = out.collect(ctx(true));
    expect(final.sections[0].rows).toMatchObject([{ wakeups: 4, runs: 6, pairs: 3, high_latency: 1 }]);
    expect(final.sections.find((s) => s.key === 'latency_cpu1')?.hist?.counts.slice(0, 9)).toEqual([0, 0, 0, 2, 0, 0, 0, 0, 1]);
  });
});
