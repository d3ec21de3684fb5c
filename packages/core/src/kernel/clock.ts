// Event timestamps: BPF programs stamp events with bpf_ktime_get_ns() (CLOCK_MONOTONIC, the clock
// process.hrtime reads too); output shows wall-clock time. The offset between the two clocks is
// measured once per process (the upstream printed raw monotonic nanoseconds).
let offsetNs: bigint | undefined;

/** Wall-clock milliseconds since the epoch of a CLOCK_MONOTONIC nanosecond stamp. */
export function monotonicToEpochMs(ns: number | bigint): number {
  offsetNs ??= BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
  return Number((BigInt(ns) + offsetNs) / 1_000_000n);
}

/** ISO-8601 time (UTC, millisecond precision) of a CLOCK_MONOTONIC nanosecond stamp. */
export function monotonicToIso(ns: number | bigint): string {
  return new Date(monotonicToEpochMs(ns)).toISOString();
}

/** "HH:MM:SS.mmm" local time of a CLOCK_MONOTONIC nanosecond stamp, for text output. */
export function monotonicToClock(ns: number | bigint): string {
  const d = new Date(monotonicToEpochMs(ns));
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}
