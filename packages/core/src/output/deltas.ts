// Interval reports from cumulative kernel counters. The kernel only ever adds (no read-and-clear
// race loses an update); each interval report shows the change since the previous report, the
// final report the whole run.

type Counter = number | number[];

const previous = new WeakMap<object, Map<string, Map<string, Record<string, unknown>>>>();

function minus(now: Counter, before: Counter | undefined): Counter {
  if (before === undefined) return now;
  if (Array.isArray(now)) return now.map((v, i) => v - ((before as number[])[i] ?? 0));
  return now - (before as number);
}

/**
 * Rows keyed by a stable id (e.g. the map key's hex), with cumulative `counters` (numbers or
 * histogram slot arrays); other fields (current values such as an index or a flag) pass through.
 * Returns the rows as this report must show them: for an interval, each counter minus its value at
 * the previous report of the same `table` of this run (`object`); for the final report, as read.
 */
export function sinceLastReport<T extends Record<string, unknown>>(
  ctx: { object: object; final: boolean },
  table: string,
  rows: Map<string, T>,
  counters: readonly (keyof T & string)[],
): Map<string, T> {
  let tables = previous.get(ctx.object);
  if (!tables) previous.set(ctx.object, (tables = new Map()));
  const before = tables.get(table);
  if (!ctx.final) tables.set(table, rows);
  if (ctx.final || !before) return rows;
  const out = new Map<string, T>();
  for (const [id, row] of rows) {
    const prev = before.get(id);
    const delta: Record<string, unknown> = { ...row };
    for (const k of counters) delta[k] = minus(row[k] as Counter, prev?.[k] as Counter | undefined);
    out.set(id, delta as T);
  }
  return out;
}
