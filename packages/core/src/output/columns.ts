// Text columns that event streams share: short views of fields the rows carry in full for JSON
// (the ISO time, the whole stack, interface and namespace apart).
import { monotonicToClock } from '../kernel/clock.js';
import type { Column } from '../plugin/report.js';

type Row = Record<string, unknown>;

/** TIME: HH:MM:SS.mmm of the row's ISO `time`. */
export function timeColumn(): Column {
  return { key: 'time', header: 'TIME', value: (r: Row) => String(r.time).slice(11, 23) };
}

/** TIME: the wall-clock HH:MM:SS.mmm of the row's kernel timestamp `ts_ns` (bpf_ktime_get_ns). */
export function kernelTimeColumn(): Column {
  return { key: 'time', header: 'TIME', value: (r: Row) => monotonicToClock(r.ts_ns as number) };
}

/** `interface@netns` from the row's `interface` and, when it has one, `netns`. */
export function interfaceColumn(header = 'IFACE'): Column {
  return { key: 'interface', header, value: (r: Row) => (r.netns ? `${r.interface}@${r.netns}` : r.interface) };
}

/** The innermost `frames` frames of the row's `stack` (kernelStack()), joined by " < ". */
export function stackColumn(frames = 4): Column {
  return { key: 'stack', header: 'STACK', value: (r: Row) => ((r.stack as string[] | undefined) ?? []).slice(0, frames).join(' < ') };
}
