// Event timestamps: BPF programs stamp events with bpf_ktime_get_ns() (CLOCK_MONOTONIC, the clock
// process.hrtime reads too); output shows wall-clock time. The offset between the two clocks is
// measured once per process (the upstream printed raw monotonic nanoseconds).
let offsetNs: bigint | undefined;
let offsetMs: number | undefined;

/** Wall-clock milliseconds since the epoch of a CLOCK_MONOTONIC nanosecond stamp. Numbers (what
 * the generated decoders give) take the float path: no BigInt per event, and a float64 carries a
 * nanosecond stamp divided to milliseconds exactly enough for millisecond output. */
export function monotonicToEpochMs(ns: number | bigint): number {
  offsetNs ??= BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
  if (typeof ns === 'bigint') return Number((ns + offsetNs) / 1_000_000n);
  offsetMs ??= Number(offsetNs) / 1e6;
  return Math.floor(ns / 1e6 + offsetMs);
}

// Events come in bursts within the same millisecond: its text is made once.
let lastMs = Number.NaN;
let lastIso = '';

/** ISO-8601 time (UTC, millisecond precision) of a CLOCK_MONOTONIC nanosecond stamp. */
export function monotonicToIso(ns: number | bigint): string {
  const ms = monotonicToEpochMs(ns);
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

/** "HH:MM:SS.mmm" local time of a CLOCK_MONOTONIC nanosecond stamp, for text output. */
export function monotonicToClock(ns: number | bigint): string {
  const d = new Date(monotonicToEpochMs(ns));
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}
