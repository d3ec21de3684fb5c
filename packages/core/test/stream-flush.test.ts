// A batch's rows are written a thousand at a time, not held until the batch ends (a 16k-record
// batch of a drop flood held tens of MB of rows and lines), and every record is counted.
import { EventEmitter } from 'eventemitter3';
import { describe, expect, it } from 'vitest';
import type { RecordBatch, RingBufferReader } from '../src/index.js';
import { streamEvents } from '../src/run/stream.js';

describe('event streaming', () => {
  it('flushes every 1024 rows and at the end of the batch; skipped rows are counted, not written', () => {
    const channel = Object.assign(new EventEmitter<{ batch: [RecordBatch] }>(), { start() {} });
    const flushed: number[] = [];
    let pending = 0;
    const sink = {
      start() {},
      report() {},
      event: () => void pending++,
      flush: () => {
        flushed.push(pending);
        pending = 0;
      },
    };
    const output = {
      kind: 'stream' as const,
      columns: [],
      layout: { name: 'n', size: 4, decode: (v: DataView, o: number) => v.getUint32(o, true) },
      row: (n: number) => (n % 10 === 9 ? undefined : { n }), // every tenth record is skipped
    };
    const counts = { events: 0 };
    streamEvents(channel as unknown as RingBufferReader, output as never, sink, counts, () => ({}) as never);
    const n = 2500;
    const view = new DataView(new ArrayBuffer(n * 4));
    for (let i = 0; i < n; i++) view.setUint32(i * 4, i, true);
    const batch = { view, count: n, offset: (i: number) => i * 4, length: () => 4 };
    channel.emit('batch', batch);
    expect(counts.events).toBe(n);
    expect(flushed).toEqual([1024, 1024, 2250 - 2048]);
  });
});
