// Event streaming: each batch the channel delivers is decoded record by record into the
// plugin's rows, which go to the sink; the sink writes a batch's lines at once.
import type { RingBufferReader } from '../bpf/ringbuf.js';
import type { RunContext } from '../plugin/context.js';
import type { StreamOutput } from '../plugin/contract.js';
import type { OutputSink } from './sinks/sink.js';

/** Starts delivery. `counts.events` counts every record, including those row() skips. */
export function streamEvents(
  channel: RingBufferReader,
  output: StreamOutput<never, unknown>,
  sink: OutputSink,
  counts: { events: number },
  context: () => RunContext<never>,
  onEvent?: (row: Record<string, unknown>) => void,
): void {
  const { layout } = output;
  channel.on('batch', (batch) => {
    const ctx = context();
    for (let i = 0; i < batch.count; i++) {
      const row = output.row(layout.decode(batch.view, batch.offset(i)), ctx);
      counts.events++;
      if (!row) continue;
      sink.event(row);
      onEvent?.(row);
    }
    sink.flush();
  });
  channel.start();
}
