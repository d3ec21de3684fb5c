// Event streaming: each batch the channel delivers is decoded record by record into the
// plugin's rows, which go to the sink; the sink writes them a thousand lines at a time. When the
// output's reader falls behind (backlog), delivery pauses until it catches up.
import type { RingBufferReader } from '../bpf/ringbuf.js';
import type { RunContext } from '../plugin/context.js';
import type { StreamOutput } from '../plugin/contract.js';
import type { OutputBacklog, OutputSink } from './sinks/sink.js';

/** Rows formatted and written at a time: a batch can hold 16k records, and holding all their
 * rows and lines until the batch ended took tens of MB of heap under a drop flood. */
const FLUSH_ROWS = 1024;

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
    let rows = 0;
    for (let i = 0; i < batch.count; i++) {
      const row = output.row(layout.decode(batch.view, batch.offset(i)), ctx);
      counts.events++;
      if (!row) continue;
      sink.event(row);
      onEvent?.(row);
      if (++rows === FLUSH_ROWS) {
        sink.flush();
        rows = 0;
      }
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
