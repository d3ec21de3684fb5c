// Event streaming: each batch the channel delivers is decoded record by record into the
// plugin's rows, which go to the sink; the sink writes a batch's lines at once. When the output's
// reader falls behind (backlog), delivery pauses until it catches up.
import type { RingBufferReader } from '../bpf/ringbuf.js';
import type { RunContext } from '../plugin/context.js';
import type { StreamOutput } from '../plugin/contract.js';
import type { OutputBacklog, OutputSink } from './sinks/sink.js';

/** Starts delivery. `counts.events` counts every record, including those row() skips. */
export function streamEvents(
  channel: RingBufferReader,
  output: StreamOutput<never, unknown>,
  sink: OutputSink,
  counts: { events: number },
  context: () => RunContext<never>,
  onEvent?: (row: Record<string, unknown>) => void,
  backlog?: OutputBacklog,
): void {
  const { layout } = output;
  let paused = false;
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
    if (backlog && !paused && backlog.full()) {
      paused = true;
      channel.pause();
      backlog.onDrain(() => {
        paused = false;
        channel.resume();
      });
    }
  });
  channel.start();
}
