// What every stage-latency test asserts about a run against the packets that really crossed the
// path (wire counts): summary reports (sessions, flow conservation through the adjacent pairs, the
// pairs' sums equal to the end-to-end sum, as many upcalls as OVS counted misses) and details
// records (one per packet, stages in path order with time never going back, deltas summing to the
// total, the upcalls on the earliest packets, as many as OVS counted misses).
import type { Profile } from '@nettrace/core';
import { expect } from 'vitest';

export type Dir = 'tx' | 'rx';

export interface Pair {
  direction: Dir;
  from: string;
  to: string;
  count: number;
  sum_ns: number;
  max_ns: number;
}
export interface Session {
  direction: Dir;
  started: number;
  completed: number;
  replaced: number;
  not_found: number;
  parse_failed: number;
  below_threshold: number;
}
export interface SummaryFinal {
  sessions: Session[];
  pairs: Pair[];
  totals: Pair[];
}
export interface StageRec {
  type: string;
  direction: Dir;
  protocol: string;
  src_ip: string;
  dst_ip: string;
  src_port?: number;
  dst_port?: number;
  first_ns: number;
  total_ns: number;
  stages: { stage: string; ts_ns: number; delta_ns: number; cpu: number; [k: string]: unknown }[];
  qdisc_sojourn_ns?: number | null;
  ct_ns?: number | null;
}

export interface Expect {
  /** Packets that crossed the path per direction (only the directions checked). */
  wire: Partial<Record<Dir, number>>;
  /** Stage order of the profile: every hop must go forward along it (false with ct(), where an
   * upcall may come before or after the ct() action). */
  ordered?: boolean;
  /** Packets the datapath sent up to ovs-vswitchd, both directions together (OVS's own count of
   * misses): the first packet of each direction, and any that came before its megaflow was
   * installed (on a loaded TCG guest the next ping may); the others took the fast path. */
  upcalls?: number;
  /** Stages every packet must have passed. */
  through?: string[];
}

const order = (p: Profile, d: Dir) => (p[d] ?? []).map((s) => s.name);

export function expectSessions(sessions: Session[], e: Expect) {
  for (const [d, n] of Object.entries(e.wire) as [Dir, number][])
    expect(
      sessions.find((s) => s.direction === d),
      `${d} sessions`,
    ).toMatchObject({
      started: n,
      completed: n,
      replaced: 0,
      not_found: 0,
      parse_failed: 0,
    });
}

export function expectSummary(p: Profile, final: SummaryFinal, e: Expect) {
  expectSessions(final.sessions, e);
  const upcalls: Partial<Record<Dir, number>> = {};
  for (const [d, n] of Object.entries(e.wire) as [Dir, number][]) {
    const pairs = final.pairs.filter((x) => x.direction === d);
    const total = final.totals.find((x) => x.direction === d) as Pair;
    expect(total?.count, `${d} total`).toBe(n);
    // A completed packet's total is the sum of its hops: the sums agree to the nanosecond.
    expect(
      pairs.reduce((a, x) => a + x.sum_ns, 0),
      `${d} sum of hops`,
    ).toBe(total.sum_ns);
    const into = (s: string) => pairs.filter((x) => x.to === s).reduce((a, x) => a + x.count, 0);
    const out = (s: string) => pairs.filter((x) => x.from === s).reduce((a, x) => a + x.count, 0);
    expect(out(total.from), `${d}: packets leaving ${total.from}`).toBe(n);
    expect(into(total.to), `${d}: packets reaching ${total.to}`).toBe(n);
    for (const s of new Set(pairs.flatMap((x) => [x.from, x.to])))
      if (s !== total.from && s !== total.to) expect(into(s), `${d}: ${s} in = out`).toBe(out(s));
    const names = order(p, d);
    if (e.ordered !== false)
      for (const x of pairs) expect(names.indexOf(x.from), `${d}: ${x.from} -> ${x.to} goes forward`).toBeLessThan(names.indexOf(x.to));
    for (const s of e.through ?? []) expect(into(s), `${d}: packets through ${s}`).toBe(n);
    if (e.upcalls !== undefined) {
      upcalls[d] = into('ovs-upcall');
      expect(upcalls[d], `${d}: upcalls`).toBeGreaterThanOrEqual(1);
      expect(pairs.find((x) => x.from === 'ovs-process' && x.to === 'vport-send')?.count ?? 0, `${d}: fast path`).toBe(n - upcalls[d]);
    }
  }
  if (e.upcalls !== undefined)
    expect(
      Object.values(upcalls).reduce((a, x) => a + x, 0),
      'upcalls, as OVS counted them',
    ).toBe(e.upcalls);
}

export function expectRecords(p: Profile, records: Record<string, unknown>[], e: Expect): StageRec[] {
  const recs = records.filter((r) => r.type === 'event') as unknown as StageRec[];
  let upcalls = 0;
  for (const [d, n] of Object.entries(e.wire) as [Dir, number][]) {
    const mine = recs.filter((r) => r.direction === d).sort((a, b) => a.first_ns - b.first_ns);
    expect(mine.length, `${d} records`).toBe(n);
    const names = order(p, d);
    for (const r of mine) {
      const stages = r.stages.map((s) => s.stage);
      if (e.ordered !== false)
        expect(
          stages.map((s) => names.indexOf(s)),
          `${d}: ${stages.join(' > ')} in path order`,
        ).toEqual([...stages.map((s) => names.indexOf(s))].sort((a, b) => a - b));
      const ts = r.stages.map((s) => s.ts_ns);
      for (let i = 1; i < ts.length; i++) expect(ts[i]).toBeGreaterThanOrEqual(ts[i - 1] as number);
      expect(r.first_ns).toBe(ts[0]);
      expect(r.stages.reduce((a, s) => a + s.delta_ns, 0)).toBe(r.total_ns);
      expect(r.total_ns).toBe((ts.at(-1) as number) - (ts[0] as number));
      for (const s of e.through ?? []) expect(stages, `${d}: through ${s}`).toContain(s);
    }
    // Every packet of a direction starts and ends at the same stages.
    expect(new Set(mine.map((r) => `${r.stages[0]?.stage}..${r.stages.at(-1)?.stage}`)).size).toBe(1);
    if (e.upcalls !== undefined) {
      const up = mine.map((r) => r.stages.some((s) => s.stage === 'ovs-upcall'));
      const k = up.filter(Boolean).length;
      upcalls += k;
      expect(up, `${d}: the earliest packets went up to ovs-vswitchd, the rest took the megaflow`).toEqual(
        mine.map((_, i) => i < Math.max(k, 1)),
      );
    }
  }
  if (e.upcalls !== undefined) expect(upcalls, 'upcalls, as OVS counted them').toBe(e.upcalls);
  return recs;
}

/** Metrics records: each listed stage, where a packet passed it, saw one of these devices, and
 * every stage saw a packet of some length. */
export function expectDevices(records: Record<string, unknown>[], devices: Record<string, string[]>) {
  for (const rec of records.filter((x) => x.type === 'event') as unknown as StageRec[]) {
    for (const s of rec.stages) {
      expect(s.len as number, `${s.stage} length`).toBeGreaterThan(0);
      if (devices[s.stage]) expect(devices[s.stage], `${s.stage} device`).toContain(s.interface);
    }
    expect(
      rec.stages.some((s) => devices[s.stage]),
      'a stage bound to a device',
    ).toBe(true);
  }
}
