// Interval reports hold that interval's numbers, the final report the whole run. BPF maps keep
// cumulative counts (nothing is lost to a reset racing an update); each report passes the
// cumulative vectors here by key and gets back the change since the previous interval report,
// or the totals for the final one.

const previous = new WeakMap<object, Map<string, Map<string, number[]>>>();

/**
 * `now`: cumulative numbers per key (counters, histogram slots: any fixed-length vector) read
 * from the maps of one run (`ctx.object` tells runs apart); `name` separates the tables of one
 * plugin. Keys absent from the previous report count from zero.
 */
export function sinceLastReport(ctx: { object: object; final: boolean }, name: string, now: Map<string, number[]>): Map<string, number[]> {
  let tables = previous.get(ctx.object);
  if (!tables) previous.set(ctx.object, (tables = new Map()));
  const before = tables.get(name);
  tables.set(name, now);
  if (ctx.final || !before) return now;
  const out = new Map<string, number[]>();
  for (const [key, values] of now) {
    const base = before.get(key);
    out.set(
      key,
      values.map((v, i) => v - (base?.[i] ?? 0)),
    );
  }
  return out;
}

/** The NT_COUNTERS counters (ctx.counters(), by their enum names) as this interval's counts, or
 * the run's for the final report; the map stays cumulative. */
export function countersSinceLastReport<N extends string>(ctx: {
  object: object;
  final: boolean;
  counters(): Record<N, number>;
}): Record<N, number> {
  const now = ctx.counters();
  const names = Object.keys(now) as N[];
  const [delta] = sinceLastReport(ctx, 'counters', new Map([['', names.map((n) => now[n])]])).values();
  return Object.fromEntries(names.map((n, i) => [n, delta[i]])) as Record<N, number>;
}
