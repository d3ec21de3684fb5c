// Output fields for the shared struct nt_tun_queue (bpf-headers/nettrace/modules/tun_queue.bpf.h):
// one naming of a tun/tap queue across every tun / vhost-net plugin's table and JSON.
import type { BpfObject } from '../bpf/object.js';
import { netnsLabel } from '../kernel/netns.js';
import type { Column, HistogramSection } from '../plugin/report.js';
import { decodeNtTunQueue, type NtRingDepth, type NtVqState } from '../shared_types.gen.js';
import { sinceLastReport } from './since-last-report.js';

export interface TunQueueLike {
  netns: number;
  ifindex: number;
  queue: number;
  ifname: string;
}

export interface TunQueueFields {
  device: string;
  /** "" in nettrace's own namespace, else its /var/run/netns name or netns:<inode>. */
  netns_name: string;
  ifindex: number;
  netns: number;
  queue: number;
}

export function tunQueueFields(q: TunQueueLike): TunQueueFields {
  return { device: q.ifname, netns_name: netnsLabel(q.netns), ifindex: q.ifindex, netns: q.netns, queue: q.queue };
}

/** The QUEUE column of a table whose rows carry tunQueueFields() (`-` where `device` is null). */
export const tunQueueColumn: Column = {
  key: 'queue',
  header: 'QUEUE',
  value: (r) => (r.device === null || r.device === undefined ? '-' : tunQueueText(r as unknown as TunQueueFields)),
};

/** "vnet0:q1", or "vnet0@ns1:q1" for a device in another network namespace. */
export function tunQueueText(q: TunQueueLike | TunQueueFields): string {
  const name = 'device' in q ? q.device : q.ifname;
  const ns = 'netns_name' in q ? q.netns_name : netnsLabel(q.netns);
  return `${name}${ns ? `@${ns}` : ''}:q${q.queue}`;
}

const nonZero = (v: unknown): boolean =>
  typeof v === 'number' ? v !== 0 : typeof v === 'object' && v !== null && Object.values(v).some(nonZero);

/**
 * The rows of a per-queue map (key struct nt_tun_queue, value decoded by `decode`), sorted by
 * device and queue: each value's `counters` as this report must show them (sinceLastReport: the
 * interval's change, the whole run in the final report); rows whose counters did not move in
 * the interval are left out.
 */
export function tunQueueRows<V extends object>(
  ctx: { object: BpfObject; final: boolean },
  map: string,
  decode: (v: DataView, o: number) => V,
  counters: readonly (keyof V & string)[],
): (TunQueueFields & V & Record<string, unknown>)[] {
  const rows = new Map<string, TunQueueFields & V>();
  for (const [k, v] of ctx.object.map(map).entries()) {
    const key = decodeNtTunQueue(new DataView(k.buffer, k.byteOffset, k.byteLength), 0);
    rows.set(Buffer.from(k).toString('hex'), { ...tunQueueFields(key), ...decode(new DataView(v.buffer, v.byteOffset, v.byteLength), 0) });
  }
  const moved = (r: V) => counters.some((c) => nonZero(r[c]));
  type Row = TunQueueFields & V & Record<string, unknown>;
  return [...(sinceLastReport(ctx, map, rows, counters).values() as Iterable<Row>)]
    .filter((r) => ctx.final || moved(r))
    .sort((a, b) => a.device.localeCompare(b.device) || a.netns - b.netns || a.queue - b.queue);
}

/**
 * One log2 histogram section per queue row, of the struct nt_hist `pick` returns from the row,
 * keyed `<name>@<queue text>` (e.g. `depth_xmit@vnet0:q1`); queues without samples are left out.
 */
export function tunQueueHistograms<R extends TunQueueFields>(
  rows: R[],
  name: string,
  pick: (row: R) => { slots: number[] },
  title: string,
  hist: { label: string; unit: string },
): HistogramSection[] {
  return rows.flatMap((r) => {
    const counts = pick(r).slots;
    if (!counts.some((n) => n)) return [];
    const q = tunQueueText(r);
    return [{ kind: 'histogram' as const, key: `${name}@${q}`, title: `${title}, ${q}`, hist: { ...hist, kind: 'log2' as const, counts } }];
  });
}

/** A struct nt_ring_depth (and the maximum kept beside it) as report fields: how many times the
 * ring was looked at, how often it was full, the mean and the largest number of packets waiting. */
export function ringDepthFields(d: NtRingDepth, max: number) {
  return { count: d.samples, full: d.full, avg: d.samples ? Math.round((d.sum / d.samples) * 100) / 100 : 0, max };
}

/** A struct nt_vq_state (bpf-headers/nettrace/modules/vhost.bpf.h) as report fields. */
export function vqStateFields(v: NtVqState) {
  return {
    last_avail_idx: v.last_avail_idx,
    avail_idx: v.avail_idx,
    last_used_idx: v.last_used_idx,
    used_flags: v.used_flags,
    signalled_used: v.signalled_used,
    signalled_used_valid: Boolean(v.signalled_used_valid),
    event_idx: Boolean(v.event_idx),
    num: v.num,
    busyloop_timeout: v.busyloop_timeout,
    acked_features: `0x${v.acked_features.toString(16)}`,
  };
}

/**
 * What vhost decided at a signal call (vhost_signal.bpf.h): `interrupt` (the call eventfd was
 * signalled), `no_eventfd` (none is set: vhost cannot interrupt), or why the guest was not
 * interrupted: `suppressed_event_idx` (EVENT_IDX: the used index has not passed the guest's
 * used_event) or `suppressed_flag` (the guest set VRING_AVAIL_F_NO_INTERRUPT).
 */
export function signalVerdict(s: { eventfd: bigint; signalled: number; eventIdx: boolean }): string {
  if (!s.eventfd) return 'no_eventfd';
  if (s.signalled) return 'interrupt';
  return s.eventIdx ? 'suppressed_event_idx' : 'suppressed_flag';
}
