// Interval reports from cumulative kernel counters. The kernel only ever adds (no read-and-clear
// race loses an update); each interval report shows the change since the previous report, the
// final report (and every report with --cumulative) the whole run.

/** A counter: a number, or numbers nested in arrays and objects (a histogram's slots). */
type Counter = number | Counter[] | { [k: string]: Counter };

const previous = new WeakMap<object, Map<string, Map<string, object>>>();

function minus(now: Counter, before: Counter | undefined): Counter {
  if (before === undefined) return now;
  // Below its previous value, the entry was deleted and made again (an LRU map evicted it): it
  // counted from zero since.
  if (typeof now === 'number') return now >= (before as number) ? now - (before as number) : now;
  if (Array.isArray(now)) return now.map((v, i) => minus(v, (before as Counter[])[i]));
  return Object.fromEntries(Object.entries(now).map(([k, v]) => [k, minus(v, (before as Record<string, Counter>)[k])]));
}

function nonZero(c: Counter): boolean {
  if (typeof c === 'number') return c !== 0;
  return (Array.isArray(c) ? c : Object.values(c)).some(nonZero);
}

/**
 * Rows keyed by a stable id (e.g. the map key's hex) holding cumulative counts, as this report
 * must show them: for an interval, each count minus its value at the previous report of the same
 * `table` of this run (`ctx.object`; ids absent then count from zero); for the final report, as
 * read (with --cumulative, every report as read). A row is either itself a counter (a number, or a vector such as histogram slots and sums)
 * or an object whose `counters` fields are counters; its other fields (current values such as an
 * index or a flag) pass through.
 */
export function sinceLastReport<T extends object>(
  ctx: { object: object; final: boolean; cumulative?: boolean },
  table: string,
  rows: Map<string, T>,
  counters?: readonly (keyof T & string)[],
): Map<string, T> {
  let tables = previous.get(ctx.object);
  if (!tables) previous.set(ctx.object, (tables = new Map()));
  const before = tables.get(table);
  if (!ctx.final) tables.set(table, rows);
  if (ctx.final || ctx.cumulative || !before) return rows;
  const out = new Map<string, T>();
  for (const [id, row] of rows) {
    const prev = before.get(id);
    if (!counters) {
      out.set(id, minus(row as Counter, prev as Counter | undefined) as T);
      continue;
    }
    const delta = { ...row } as Record<string, unknown>;
    for (const k of counters) delta[k] = minus(row[k] as Counter, (prev as Record<string, Counter> | undefined)?.[k]);
    out.set(id, delta as T);
  }
  return out;
}

/** The object's NT_COUNTERS (ctx.counters()) as this report must show them: the change since
 * the previous report for an interval, the whole run for the final report. */
export function reportCounters<N extends string>(ctx: {
  object: object;
  final: boolean;
  cumulative?: boolean;
  counters(): Record<N, number>;
}): Record<N, number> {
  const now = ctx.counters();
  const names = Object.keys(now) as N[];
  return sinceLastReport(ctx, 'counters', new Map([['', now]]), names).get('') as Record<N, number>;
}

/** The slot counts of the log2 histogram in `map` (ctx.histogram()) as this report must show them. */
export function reportHistogram<M extends string>(
  ctx: { object: object; final: boolean; cumulative?: boolean; histogram(map: M): number[] },
  map: M,
): number[] {
  return sinceLastReport(ctx, `histogram ${map}`, new Map([['', ctx.histogram(map)]])).get('') ?? [];
}

/** A map's entries (as ctx.entries() read them) with their `counters` as this report must show
 * them (sinceLastReport, keyed by the stored key bytes); entries unchanged in an interval are left
 * out of an interval report. */
export function entriesSinceLastReport<K, V extends object>(
  ctx: { object: object; final: boolean; cumulative?: boolean },
  table: string,
  entries: readonly { key: K; value: V; keyBytes: Uint8Array }[],
  counters: readonly (keyof V & string)[],
): { key: K; value: V; keyBytes: Uint8Array }[] {
  const byId = new Map(entries.map((e) => [Buffer.from(e.keyBytes).toString('hex'), e]));
  const values = sinceLastReport(ctx, table, new Map([...byId].map(([id, e]) => [id, e.value])), counters);
  const changed = (v: V) => ctx.final || ctx.cumulative || counters.some((k) => nonZero(v[k] as Counter));
  return [...values].filter(([, v]) => changed(v)).map(([id, value]) => ({ ...(byId.get(id) as { key: K; keyBytes: Uint8Array }), value }));
}

/** What this report covers, for section titles. */
export function reportPeriod(ctx: { final: boolean; cumulative?: boolean }): 'whole run' | 'since start' | 'this interval' {
  return ctx.final ? 'whole run' : ctx.cumulative ? 'since start' : 'this interval';
}
