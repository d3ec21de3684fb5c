// Events counted per point and kind in the kernel (where each of a tool's hooks saw what): a
// PERCPU_ARRAY indexed by the point whose value struct holds `kinds`, one u64 per kind, e.g.
//
//   NT_KIND_COUNTS(per_func, FL_FUNCS, FL_KINDS)   (kind_counts.bpf.h)
//
// read into one table row per point, with that report's numbers (the interval's, or the whole
// run's: sinceLastReport), points without any left out.
import type { StructLayout } from '../bpf/layout.js';
import type { TableSection } from '../plugin/report.js';
import { tableSection } from './sections.js';
import { reportPeriod, sinceLastReport } from './since-last-report.js';

export interface KindCounts {
  /** The map (PERCPU_ARRAY, key = point index) and its value layout. */
  map: string;
  layout: StructLayout<{ kinds: number[] }>;
  /** Point index → its name in the output (the row's `pointKey` column). */
  points: Readonly<Record<number, string>>;
  pointKey: string;
  pointHeader: string;
  /** Kind names in enum order: columns, lower-cased in JSON. */
  kinds: readonly string[];
}

export function kindCountsSection(
  ctx: {
    object: object;
    final: boolean;
    cumulative?: boolean;
    read<T>(map: string, layout: StructLayout<T>, options?: { key?: number }): T | undefined;
  },
  key: string,
  title: string,
  k: KindCounts,
): TableSection {
  const now = new Map<string, number[]>();
  for (const [index, name] of Object.entries(k.points))
    now.set(name, ctx.read(k.map, k.layout, { key: Number(index) })?.kinds ?? k.kinds.map(() => 0));
  const rows = [...sinceLastReport(ctx, key, now)]
    .filter(([, counts]) => counts.some(Boolean))
    .map(([point, counts]) => ({ [k.pointKey]: point, ...Object.fromEntries(k.kinds.map((kind, i) => [kind.toLowerCase(), counts[i]])) }));
  const columns = [{ key: k.pointKey, header: k.pointHeader }, ...k.kinds.map((kind) => ({ key: kind.toLowerCase(), header: kind }))];
  return tableSection(key, `${title} (${reportPeriod(ctx)})`, columns, rows);
}
