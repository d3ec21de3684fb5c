// Unit: options (upstream spellings), golden-byte event decoding into rows, and the per-queue
// report with interval deltas.
import { createRunContext, parseOptions, recordConfig, runnerOptions } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import { fakeObject } from '../../../tooling/test-support/tap-plugin.js';
import plugin, { collect, eventRow } from '../src/index.js';
import {
  EventLayout,
  EventOffsets,
  EventSize,
  QueueKeyOffsets,
  QueueKeySize,
  QueueValOffsets,
  QueueValSize,
} from '../src/virtnet_poll_monitor.gen.js';

const parse = (argv: string[]) => parseOptions({ ...runnerOptions, ...plugin.options }, argv, 'run virtnet-poll-monitor');

describe('options', () => {
  it('runs the upstream shape (no arguments) and takes --device for --interface', () => {
    expect(parse([])).toMatchObject({});
    expect(parse(['--device', 'lo', '-q', '0'])).toMatchObject({ iface: { name: 'lo', ifindex: 1 }, queue: 0 });
  });
  it('writes the queue filter only when given', () => {
    const vars = (argv: string[]) => Object.fromEntries(recordConfig(plugin, parse(argv)).variables);
    expect(vars(['-q', '3'])).toMatchObject({ cfg_queue: 3, cfg_queue_set: 1 });
    expect(vars([])).not.toHaveProperty('cfg_queue_set');
  });
});

function event(f: { type: number; queue: number; work: number; timed: number; duration: number }) {
  const b = new Uint8Array(EventSize);
  const v = new DataView(b.buffer);
  v.setBigUint64(EventOffsets.ts_ns, 5_000_000_000n, true);
  v.setBigUint64(EventOffsets.duration_ns, BigInt(f.duration), true);
  v.setUint32(EventOffsets.ifindex, 2, true);
  v.setUint32(EventOffsets.queue, f.queue, true);
  v.setUint32(EventOffsets.vq_index, f.queue === 0xffffffff ? 0 : 2 * f.queue, true);
  v.setInt32(EventOffsets.budget, 64, true);
  v.setInt32(EventOffsets.work, f.work, true);
  v.setUint32(EventOffsets.cpu, 1, true);
  v.setUint8(EventOffsets.type, f.type);
  v.setUint8(EventOffsets.timed, f.timed);
  b.set(new TextEncoder().encode('eth0'), EventOffsets.ifname);
  return EventLayout.decode(v, 0);
}

describe('events', () => {
  it('a timed poll, an interrupt, and a poll of another driver (queue unknown, not timed)', () => {
    expect(eventRow(event({ type: 0, queue: 1, work: 3, timed: 1, duration: 12345 }))).toMatchObject({
      event: 'poll',
      interface: 'eth0',
      queue: 1,
      vq_index: 2,
      cpu: 1,
      budget: 64,
      packets: 3,
      duration_ns: 12345,
    });
    expect(eventRow(event({ type: 1, queue: 0, work: -1, timed: 0, duration: 0 }))).toMatchObject({
      event: 'irq',
      queue: 0,
      budget: null,
      packets: null,
      duration_ns: null,
    });
    expect(eventRow(event({ type: 0, queue: 0xffffffff, work: 1, timed: 0, duration: 0 }))).toMatchObject({
      queue: null,
      duration_ns: null,
    });
  });
});

function queue(ifname: string, q: number, c: Partial<Record<keyof typeof QueueValOffsets, number>>): [Uint8Array, Uint8Array] {
  const k = new Uint8Array(QueueKeySize);
  new DataView(k.buffer).setUint32(QueueKeyOffsets.queue, q, true);
  new DataView(k.buffer).setUint32(QueueKeyOffsets.ifindex, 2, true);
  k.set(new TextEncoder().encode(ifname), QueueKeyOffsets.ifname);
  const v = new Uint8Array(QueueValSize);
  for (const [f, n] of Object.entries(c))
    new DataView(v.buffer).setBigUint64(QueueValOffsets[f as keyof typeof QueueValOffsets], BigInt(n), true);
  return [k, v];
}

describe('report', () => {
  it('per queue: averages, durations, interval deltas, then the whole run', () => {
    let entries = [
      queue('eth0', 0, { irqs: 4, polls: 5, packets: 100, full_budget: 1, timed: 5, duration_sum_ns: 50_000, duration_max_ns: 20_000 }),
    ];
    const object = fakeObject({
      get queues() {
        return entries;
      },
    } as never);
    const ctx = (final: boolean) => createRunContext(plugin, object, {}, { final, periodSeconds: 1, btf: undefined as never });
    const rows = (final: boolean) => (collect(ctx(final) as never).sections[0] as { rows: Record<string, unknown>[] }).rows;
    expect(rows(false)).toEqual([
      expect.objectContaining({
        interface: 'eth0',
        queue: 0,
        irqs: 4,
        polls: 5,
        packets: 100,
        avg_packets: 20,
        full_budget: 1,
        avg_duration_us: 10,
        max_duration_us: 20,
      }),
    ]);
    entries = [
      queue('eth0', 0, { irqs: 6, polls: 6, packets: 101, full_budget: 1, timed: 6, duration_sum_ns: 60_000, duration_max_ns: 20_000 }),
    ];
    expect(rows(false)).toEqual([
      expect.objectContaining({ irqs: 2, polls: 1, packets: 1, avg_packets: 1, full_budget: 0, avg_duration_us: 10 }),
    ]);
    expect(rows(false)).toEqual([]);
    expect(rows(true)).toEqual([expect.objectContaining({ irqs: 6, polls: 6, packets: 101 })]);
  });
});
