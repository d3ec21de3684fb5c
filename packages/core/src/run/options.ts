// The runner's own options (runnerOptions in plugin/options.ts) as one typed value: the single
// mapping from parsed command-line values, shared by `nettrace run` and the test support, and the
// checks that need no kernel and no object (so they fail at parse time, exit 2, before anything
// loads).
import type { WakeupPolicy } from '../bpf/ringbuf.js';
import { UsageError } from '../errors.js';
import type { BtfOrigin } from '../kernel/btf.js';

export type OutputFormat = 'table' | 'json' | 'openmetrics';

/** How a streaming plugin's events travel; sizes left undefined are the object's own. */
export interface ChannelOptions {
  /** --perf-buffer: per-CPU perf buffers even where the kernel has BPF ring buffers. */
  perfBuffer: boolean;
  /** Undefined: `hybrid` when the object submits with nt_event_submit(), else `adaptive`. */
  wakeup?: WakeupPolicy;
  /** Hybrid threshold in bytes (undefined: defaultWakeupBytes(ring size)). */
  wakeupBytes?: number;
  /** Hybrid drain interval in ms, the bound on event latency. */
  drainMs: number;
  /** Ring buffer size, a power of 2 ≥ 4096 (undefined: the object's). */
  ringBytes?: number;
}

export interface RunOptions {
  /** Seconds between reports (undefined: the plugin's defaultInterval). */
  interval?: number;
  /** Interval reports hold running totals since the start, not the interval's own numbers. */
  cumulative: boolean;
  /** Stop after this many seconds (0: at the signal only). */
  duration: number;
  output: OutputFormat;
  /** An external BTF file and where it was named (--btf, else NETTRACE_BTF). */
  btf?: { path: string; origin: BtfOrigin };
  exitAfterAttach: boolean;
  failOnLoss: boolean;
  channel: ChannelOptions;
}

const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

/** Run options from values parsed against runnerOptions (plus the plugin's own). */
export function runOptionsFrom(values: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): RunOptions {
  const btfFlag = typeof values.btf === 'string' ? values.btf : undefined;
  const btf = btfFlag
    ? { path: btfFlag, origin: '--btf' as const }
    : env.NETTRACE_BTF
      ? { path: env.NETTRACE_BTF, origin: 'NETTRACE_BTF' as const }
      : undefined;
  const options: RunOptions = {
    interval: num(values.interval),
    cumulative: values.cumulative === true,
    duration: num(values.duration) ?? 0,
    output: (values.output as OutputFormat | undefined) ?? 'table',
    btf,
    exitAfterAttach: values.exitAfterAttach === true,
    failOnLoss: values.failOnLoss === true,
    channel: {
      perfBuffer: values.perfBuffer === true,
      wakeup: values.wakeup as WakeupPolicy | undefined,
      wakeupBytes: num(values.wakeupBytes),
      drainMs: num(values.drainMs) ?? 5,
      ringBytes: num(values.ringBytes),
    },
  };
  checkChannelOptions(options.channel);
  return options;
}

/** What can be refused before the object is open (the object's own ring size is checked later). */
function checkChannelOptions(c: ChannelOptions): void {
  const n = c.ringBytes;
  if (n !== undefined && (n < 4096 || (n & (n - 1)) !== 0)) throw new UsageError(`--ring-bytes ${n}: must be a power of 2, at least 4096`);
  if (c.wakeupBytes !== undefined && n !== undefined && c.wakeupBytes >= n) throw wakeupTooLarge(c.wakeupBytes, n);
  if (c.wakeupBytes !== undefined && c.wakeup === 'adaptive')
    throw new UsageError('--wakeup-bytes: only hybrid wake-ups have a threshold (drop --wakeup adaptive)');
  const ringOnly = [n !== undefined && '--ring-bytes', c.wakeupBytes !== undefined && '--wakeup-bytes', c.wakeup && '--wakeup'].filter(
    Boolean,
  );
  if (c.perfBuffer && ringOnly.length)
    throw new UsageError(`${ringOnly.join(', ')}: ${ringOnly.length > 1 ? 'apply' : 'applies'} to the ring buffer, not to --perf-buffer`);
}

/** A threshold at or above the ring's size could never force a wake-up. */
export function wakeupTooLarge(bytes: number, ringBytes: number): UsageError {
  return new UsageError(
    `--wakeup-bytes ${bytes}: must be smaller than the ring buffer (${ringBytes} bytes), or no wake-up could ever be forced`,
  );
}
