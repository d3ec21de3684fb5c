// The run's main loop: an interval report every `interval` seconds until the duration ends or
// the signal fires, then the final report, read only after every program is detached.
import type { BpfObject } from '../bpf/object.js';
import type { RingBufferReader } from '../bpf/ringbuf.js';

export interface LoopSteps {
  /** Seconds between interval reports (0: none). */
  interval: number;
  /** Seconds until the run stops by itself (0: only at the signal). */
  duration: number;
  signal?: AbortSignal;
  object: BpfObject;
  channel?: RingBufferReader;
  /** Collects and writes one report. */
  report(final: boolean): void;
}

export async function reportUntilStopped(s: LoopSteps): Promise<void> {
  await new Promise<void>((resolve) => {
    const timers: NodeJS.Timeout[] = [];
    const stop = () => {
      timers.forEach(clearTimeout);
      timers.forEach(clearInterval);
      resolve();
    };
    if (s.signal?.aborted) return stop();
    // Report-only runs with no interval and no duration have nothing else keeping Node alive
    // until Ctrl-C: hold the event loop open explicitly.
    timers.push(setInterval(() => {}, 1 << 30));
    s.signal?.addEventListener('abort', stop, { once: true });
    if (s.duration) timers.push(setTimeout(stop, s.duration * 1000));
    if (s.interval > 0)
      timers.push(
        setInterval(() => {
          s.channel?.drain();
          s.report(false);
        }, s.interval * 1000),
      );
  });
  // Detach first: a run between the last drain and the counters' read would be counted in the
  // report but missing from the events.
  s.object.detach();
  s.channel?.drain();
  s.report(true);
}
