// What stage plugins print: the path this run observes, session counters per direction, adjacent
// pair statistics and end-to-end histograms (summary), and one row per completed packet (details).
import { monotonicToClock, monotonicToIso } from '../kernel/clock.js';
import { interfaceName } from '../kernel/net.js';
import type { NetnsValue } from '../kernel/netns.js';
import { flowFields } from '../output/flow.js';
import type { Histogram } from '../output/hist.js';
import { histogramJson } from '../output/histogram.js';
import { percent } from '../output/percent.js';
import { entriesSinceLastReport, reportCounters, sinceLastReport } from '../output/since-last-report.js';
import type { RunContext } from '../plugin/context.js';
import type { InterfaceValue } from '../plugin/options.js';
import type { Column, ReportSection } from '../plugin/report.js';
import {
  decodeNtStageCpuPairKey,
  decodeNtStagePairKey,
  decodeNtStageStats,
  NtStageDims,
  NtStageFlags,
  NtStageHook,
  type NtStageSession,
  type NtStageStats,
} from '../shared_types.gen.js';
import { hookPoint } from './hook-points.js';
import { DIRECTIONS, type Direction, type Profile, type StageSetup, type StageTables, stageTables } from './profile.js';

/** The tables of this run, recomputed in a report from the plan as configure() saw it. */
export function runTables(p: Profile, run: Omit<StageSetup, 'attached'>, ctx: { attached(hook: string): boolean }): StageTables {
  return stageTables(p, { ...run, attached: (h) => ctx.attached(h) });
}

function pathRows(p: Profile, t: StageTables, directions: readonly Direction[]) {
  return directions.flatMap((d) =>
    (p[d] ?? []).map((s, position) => {
      const active = t.active[d].find((a) => a.position === position);
      return {
        direction: d,
        position,
        stage: s.name,
        observed: Boolean(active),
        at: active ? active.hooks.map((h) => hookPoint(h).name).join(', ') : '',
        note: active ? s.what : (t.missing[d].find((m) => m.stage === s.name)?.why ?? ''),
      };
    }),
  );
}

/** The stages of the profile for this run: which are observed, at which hook, and why not. */
export function pathSection(p: Profile, t: StageTables, directions: readonly Direction[]): ReportSection {
  return {
    kind: 'table',
    key: 'path',
    title: 'Stages of the path (observed on this kernel, or why not)',
    columns: PATH_COLUMNS,
    rows: pathRows(p, t, directions),
  };
}

const us = (ns: number) => Math.round(ns) / 1000;

/** The fields of nt_stage_stats that only grow (max_ns is a maximum, not a count). */
const STATS_COUNTERS = ['count', 'sum_ns', 'cross_cpu', 'hist'] as const satisfies readonly (keyof NtStageStats)[];

function statsRow(s: NtStageStats) {
  return {
    count: s.count,
    avg_us: s.count ? us(s.sum_ns / s.count) : 0,
    max_us: us(s.max_ns),
    cross_cpu: s.cross_cpu,
    sum_ns: s.sum_ns,
    max_ns: s.max_ns,
  };
}

/** Sums a per-CPU nt_stage_stats value (max of the maxima). */
function sumStats(views: DataView[]): NtStageStats {
  const all = views.map((v) => decodeNtStageStats(v, 0));
  const out = all[0];
  for (const s of all.slice(1)) {
    out.count += s.count;
    out.sum_ns += s.sum_ns;
    out.max_ns = Math.max(out.max_ns, s.max_ns);
    out.cross_cpu += s.cross_cpu;
    for (const [i, n] of s.hist.slots.entries()) out.hist.slots[i] += n;
  }
  return out;
}

const nsHist = (label: string, s: NtStageStats): Histogram => ({ label, unit: 'ns', kind: 'log2', counts: s.hist.slots });

export interface SummaryOptions {
  /** A histogram section per adjacent pair. */
  verbose?: boolean;
}

/** The summary report of a stage plugin. */
export function stageSummary(
  ctx: RunContext<unknown>,
  p: Profile,
  t: StageTables,
  directions: readonly Direction[],
  o: SummaryOptions = {},
) {
  const names = (d: number, pos: number) => p[DIRECTIONS[d]]?.[pos]?.name ?? `#${pos}`;
  const queued = (d: number, pos: number) => Boolean(p[DIRECTIONS[d]]?.[pos]?.queued);
  const sections: ReportSection[] = [];
  if (ctx.final || o.verbose)
    sections.push({
      kind: 'table',
      key: 'path',
      title: 'Stages of the path (observed on this kernel, or why not)',
      columns: PATH_COLUMNS,
      rows: pathRows(p, t, directions),
    });
  sections.push(sessionsSection(ctx, directions));
  // The kernel only adds: an interval report shows what changed since the previous one (pairs
  // unchanged are left out), the final report the whole run. max is the run's maximum.
  const pairsMap = ctx.object.map('stage_pairs');
  const pairs = entriesSinceLastReport(
    ctx,
    'stage pairs',
    pairsMap.entries().map(([k, v]) => ({
      key: decodeNtStagePairKey(new DataView(k.buffer, k.byteOffset), 0),
      value: sumStats(pairsMap.perCpuViews(v)),
      keyBytes: k,
    })),
    STATS_COUNTERS,
  )
    .map((e) => ({ key: e.key, stats: e.value }))
    .filter((e) => directions.includes(DIRECTIONS[e.key.dir]))
    .sort((a, b) => a.key.dir - b.key.dir || a.key.from - b.key.from || a.key.to - b.key.to);
  const rows = pairs.map(({ key, stats }) => ({
    direction: DIRECTIONS[key.dir],
    from: names(key.dir, key.from),
    to: names(key.dir, key.to),
    queued: queued(key.dir, key.to),
    ...statsRow(stats),
    histogram: histogramJson(nsHist('latency', stats)),
  }));
  sections.push({
    kind: 'table',
    key: 'pairs',
    title: 'Adjacent stages (in the order each packet reached them)',
    columns: PAIR_COLUMNS,
    rows,
  });
  if (o.verbose)
    for (const r of pairs)
      sections.push({
        kind: 'histogram',
        key: `hist_${DIRECTIONS[r.key.dir]}_${names(r.key.dir, r.key.from)}_${names(r.key.dir, r.key.to)}`,
        title: `${DIRECTIONS[r.key.dir]}: ${names(r.key.dir, r.key.from)} -> ${names(r.key.dir, r.key.to)}`,
        hist: nsHist('latency', r.stats),
      });
  const totals = ctx.object.map('stage_totals');
  const totalRows: Record<string, unknown>[] = [];
  const totalHists: ReportSection[] = [];
  for (const d of directions) {
    const value = totals.lookup(new Uint8Array(new Uint32Array([DIRECTIONS.indexOf(d)]).buffer));
    const read = value ? sumStats(totals.perCpuViews(value)) : undefined;
    const stats = read && sinceLastReport(ctx, `stage total ${d}`, new Map([['', read]]), STATS_COUNTERS).get('');
    const from = t.active[d][0]?.spec.name;
    const to = t.active[d].at(-1)?.spec.name;
    if (stats) totalRows.push({ direction: d, from, to, ...statsRow(stats) });
    totalHists.push({
      kind: 'histogram',
      key: `total_${d}`,
      title: `${d} end to end, ${from} -> ${to}`,
      hist: stats ? nsHist('latency', stats) : { label: 'latency', unit: 'ns', kind: 'log2', counts: [] },
    });
  }
  sections.push({
    kind: 'table',
    key: 'totals',
    title: 'End to end (first to last stage observed)',
    columns: PAIR_COLUMNS,
    rows: totalRows,
  });
  sections.push(...totalHists);
  return { sections };
}

/** Session counters per direction (every stage plugin's report has them). */
export function sessionsSection(ctx: RunContext<unknown>, directions: readonly Direction[]): ReportSection {
  // Named by enum nt_stage_counter (stages.bpf.h) through the object's contract: tx_started, …
  // This report's share of them (the interval's, or the whole run's).
  const c: Record<string, number> = reportCounters(ctx);
  const rows = directions.map((d) => {
    const get = (n: string) => c[`${d}_${n}`] ?? 0;
    const started = get('started');
    const completed = get('completed');
    return {
      direction: d,
      started,
      completed,
      incomplete: Math.max(0, started - completed),
      incomplete_pct: percent(Math.max(0, started - completed), started, 2),
      replaced: get('replaced'),
      not_found: get('not_found'),
      cross_cpu: get('cross_cpu'),
      gso: get('gso'),
      below_threshold: get('below_threshold'),
      parse_failed: c.parse_failed ?? 0,
    };
  });
  return {
    kind: 'table',
    key: 'sessions',
    title: 'Packets followed (incomplete: started, not (yet) at the last stage)',
    columns: SESSION_COLUMNS,
    rows,
  };
}

const PATH_COLUMNS: Column[] = [
  { key: 'direction', header: 'DIR' },
  { key: 'stage', header: 'STAGE' },
  { key: 'observed', header: 'SEEN', value: (r) => (r.observed ? 'yes' : 'no') },
  { key: 'at', header: 'HOOK' },
  { key: 'note', header: 'NOTE' },
];

const SESSION_COLUMNS: Column[] = [
  { key: 'direction', header: 'DIR' },
  { key: 'started', header: 'STARTED' },
  { key: 'completed', header: 'COMPLETED' },
  { key: 'incomplete', header: 'INCOMPLETE' },
  { key: 'incomplete_pct', header: '%' },
  { key: 'replaced', header: 'REPLACED' },
  { key: 'not_found', header: 'NOT_FOUND' },
  { key: 'cross_cpu', header: 'CROSS_CPU' },
  { key: 'gso', header: 'GSO' },
];

const PAIR_COLUMNS: Column[] = [
  { key: 'direction', header: 'DIR' },
  { key: 'from', header: 'FROM' },
  { key: 'to', header: 'TO' },
  { key: 'count', header: 'COUNT' },
  { key: 'avg_us', header: 'AVG(us)' },
  { key: 'max_us', header: 'MAX(us)' },
  { key: 'cross_cpu', header: 'CROSS_CPU' },
  { key: 'queued', header: 'QUEUE', value: (r) => (r.queued ? 'queue' : '') },
];

/** One completed packet: its stages in the order reached, each with the time since the previous. */
export function sessionRow(
  p: Profile,
  s: NtStageSession,
  opts: { meta?: boolean; ifname?: (ifindex: number) => string; kernelStack?: (stackId: number) => string[] } = {},
) {
  const dir = DIRECTIONS[s.dir] ?? 'tx';
  const specs = p[dir] ?? [];
  const n = Math.min(s.stamps, NtStageDims.NT_STAGE_MAX);
  let prev = s.first_ns;
  const stages = Array.from(s.order.subarray(0, n), (pos) => {
    const m = s.marks[pos];
    const row: Record<string, unknown> = { stage: specs[pos]?.name ?? `#${pos}`, ts_ns: m.ts_ns, delta_ns: m.ts_ns - prev, cpu: m.cpu };
    // A negative id: no stack (the table was full or the kernel could not walk it).
    if (opts.kernelStack) row.stack = m.stack_id >= 0 ? opts.kernelStack(m.stack_id) : [];
    if (opts.meta)
      Object.assign(row, {
        ifindex: m.ifindex,
        interface: m.ifindex ? (opts.ifname?.(m.ifindex) ?? String(m.ifindex)) : '',
        len: m.len,
        data_len: m.data_len,
        hash: m.hash,
        queue: m.queue,
      });
    prev = m.ts_ns;
    return row;
  });
  const f = s.key.flow;
  const icmp = f.protocol === 1 || f.protocol === 58;
  const flags = Object.entries(NtStageFlags)
    .filter(([, bit]) => s.flags & bit)
    .map(([name]) => name.replace(/^NT_SF_/, '').toLowerCase());
  return {
    time: monotonicToIso(s.last_ns),
    direction: dir,
    ...flowFields(f),
    ...(icmp ? { icmp_type: f.icmp_type, icmp_code: f.icmp_code, icmp_id: f.icmp_id, icmp_seq: f.icmp_seq } : {}),
    ...(f.protocol === 6 ? { tcp_seq: s.key.tcp_seq } : { ip_id: s.key.ip_id, frag_off: s.key.frag_off }),
    length: s.key.length,
    pid: s.pid,
    comm: s.comm,
    first_ns: s.first_ns,
    total_ns: s.last_ns - s.first_ns,
    stages,
    flags,
  };
}

export type SessionRow = ReturnType<typeof sessionRow>;

/** A session row with every stage's skb metadata, the qdisc sojourn (enqueue on a device to its
 * dequeue) and the time from OVS's ct() action to the next stage (null when not on the path). */
export function metricsRow(p: Profile, s: NtStageSession, ifname?: (ifindex: number) => string) {
  const row = sessionRow(p, s, { meta: true, ifname });
  const specs = p[row.direction] ?? [];
  const at = (hook: number, device?: string) => {
    const pos = specs.findIndex((x) => x.hooks.includes(hook as never) && (device === undefined || x.device === device));
    const st = pos < 0 ? undefined : row.stages.find((x) => x.stage === specs[pos]?.name);
    return st ? (st.ts_ns as number) : undefined;
  };
  const deq = row.stages.find((x) => specs.find((sp) => sp.name === x.stage)?.hooks.includes(NtStageHook.NT_SH_QDISC_DEQUEUE as never));
  const deqDevice = specs.find((sp) => sp.name === deq?.stage)?.device;
  const enq = deq ? at(NtStageHook.NT_SH_NET_DEV_QUEUE, deqDevice) : undefined;
  const ct = row.stages.findIndex((x) => x.stage === 'ovs-ct');
  const afterCt = ct >= 0 ? row.stages[ct + 1] : undefined;
  return {
    ...row,
    qdisc_sojourn_ns: deq && enq !== undefined ? (deq.ts_ns as number) - enq : null,
    ct_ns: afterCt ? (afterCt.delta_ns as number) : null,
  };
}

interface Hop {
  stage: string;
  delta_ns: number;
}

/** A stage of a path in text: its name, after the first with the µs since the previous stage. */
const hopText = (s: Hop, i: number) => (i ? `${s.stage} +${(s.delta_ns / 1000).toFixed(1)}` : s.stage);

/** Text columns of a details stream: one line per packet, the path with the delta of each hop. */
export const SESSION_ROW_COLUMNS: Column[] = [
  { key: 'time', header: 'TIME', value: (r) => monotonicToClock((r.first_ns as number) + (r.total_ns as number)) },
  { key: 'direction', header: 'DIR' },
  { key: 'flow', header: 'FLOW', value: (r) => flowTextOf(r) },
  { key: 'id', header: 'ID', value: (r) => packetId(r) },
  { key: 'total_ns', header: 'TOTAL(us)', value: (r) => ((r.total_ns as number) / 1000).toFixed(3) },
  {
    key: 'stages',
    header: 'PATH (us since the previous stage)',
    value: (r) => (r.stages as Hop[]).map(hopText).join(' > '),
  },
];

const looked = new Map<number, string>();
/** A stage's device for output: one the options named, else looked up once by ifindex (only in
 * nettrace's own namespace: elsewhere the ifindex is printed). */
export function deviceName(given: (InterfaceValue | undefined)[], netns: NetnsValue | undefined, ifindex: number): string {
  const named = given.find((i) => i?.ifindex === ifindex)?.name;
  if (named) return named;
  if (netns && netns.name !== 'self') return String(ifindex);
  if (!looked.has(ifindex)) looked.set(ifindex, interfaceName(ifindex));
  return looked.get(ifindex) as string;
}

/** Details with metadata: the session columns plus the qdisc sojourn and ct() time. */
export const METRICS_ROW_COLUMNS: Column[] = [
  ...SESSION_ROW_COLUMNS.slice(0, -1),
  {
    key: 'qdisc_sojourn_ns',
    header: 'QDISC(us)',
    value: (r) => (r.qdisc_sojourn_ns === null ? '-' : ((r.qdisc_sojourn_ns as number) / 1000).toFixed(1)),
  },
  { key: 'ct_ns', header: 'CT(us)', value: (r) => (r.ct_ns === null ? '-' : ((r.ct_ns as number) / 1000).toFixed(1)) },
  {
    key: 'stages',
    header: 'PATH (us since the previous stage) [@device len/paged queue cpu, where they change]',
    value: (r) => metricsPathText(r.stages as MetricsStage[]),
  },
];

interface MetricsStage extends Hop {
  interface: string;
  len: number;
  data_len: number;
  queue: number;
  cpu: number;
}

/** The path of a metrics row on one line: each stage with its delta, and in brackets what the skb
 * looked like there where it differs from the previous stage (the JSON record has every field of
 * every stage, the hash too). */
function metricsPathText(stages: MetricsStage[]): string {
  let prev: MetricsStage | undefined;
  return stages
    .map((s, i) => {
      const meta = [
        s.interface && s.interface !== prev?.interface ? `@${s.interface}` : '',
        s.len !== prev?.len || s.data_len !== prev?.data_len ? `len=${s.len}${s.data_len ? `/${s.data_len}` : ''}` : '',
        s.queue !== prev?.queue ? `q${s.queue}` : '',
        s.cpu !== prev?.cpu ? `cpu${s.cpu}` : '',
      ].filter(Boolean);
      prev = s;
      return `${hopText(s, i)}${meta.length ? ` [${meta.join(' ')}]` : ''}`;
    })
    .join(' > ');
}

function flowTextOf(r: Record<string, unknown>): string {
  const ports = r.protocol === 'tcp' || r.protocol === 'udp';
  const host = (ip: unknown) => (String(ip).includes(':') ? `[${ip}]` : String(ip));
  return `${r.protocol} ${host(r.src_ip)}${ports ? `:${r.src_port}` : ''} > ${host(r.dst_ip)}${ports ? `:${r.dst_port}` : ''}`;
}

function packetId(r: Record<string, unknown>): string {
  if (r.protocol === 'tcp') return `seq=${r.tcp_seq} len=${r.length}`;
  if (r.icmp_type !== undefined) return `type=${r.icmp_type} id=${r.icmp_id} seq=${r.icmp_seq}`;
  return `id=${r.ip_id}${r.frag_off ? ` off=${r.frag_off}` : ''} len=${r.length}`;
}

/** A row of the summary's `pairs` section, as the hand-off sections read it. */
export interface HandOffPair {
  direction?: string;
  from: string;
  to: string;
  queued?: boolean;
  count: number;
  cross_cpu: number;
}

/** The CPU hand-offs per stage pair of a summary report (its `pairs` rows: this report's share):
 * how often the later stage ran on another CPU than the earlier one. A hop into a queue (a CPU
 * backlog) is the asynchronous boundary, where RPS or the softirq may move the packet. */
export function crossCpuSection(pairs: readonly HandOffPair[]): ReportSection {
  return {
    kind: 'table',
    key: 'cross_cpu',
    title: 'CPU hand-offs per stage pair (a hop into a queue: the asynchronous boundary)',
    columns: [
      { key: 'from', header: 'FROM' },
      { key: 'to', header: 'TO' },
      { key: 'count', header: 'COUNT' },
      { key: 'same_cpu', header: 'SAME_CPU' },
      { key: 'cross_cpu', header: 'CROSS_CPU' },
      { key: 'cross_cpu_pct', header: '%' },
      { key: 'boundary', header: 'NOTE', value: (r) => (r.boundary ? 'async boundary' : '') },
    ],
    rows: pairs.map((p) => ({
      from: p.from,
      to: p.to,
      count: p.count,
      same_cpu: p.count - p.cross_cpu,
      cross_cpu: p.cross_cpu,
      cross_cpu_pct: percent(p.cross_cpu, p.count, 2),
      boundary: Boolean(p.queued),
    })),
  };
}

/** The hops into queued stages by the CPU that queued the packet and the CPU that took it out
 * (stage_cpu_pairs, filled when the plugin configured `cpuPairs`), this report's share. */
export function cpuPairsSection(ctx: RunContext<unknown>, p: Profile, directions: readonly Direction[]): ReportSection {
  const map = ctx.object.map('stage_cpu_pairs');
  const entries = map.entries().map(([k, v]) => ({
    key: decodeNtStageCpuPairKey(new DataView(k.buffer, k.byteOffset), 0),
    value: { count: Number(new DataView(v.buffer, v.byteOffset).getBigUint64(0, true)) },
    keyBytes: k,
  }));
  const name = (d: number, pos: number) => p[DIRECTIONS[d]]?.[pos]?.name ?? `#${pos}`;
  const rows = entriesSinceLastReport(ctx, 'stage cpu pairs', entries, ['count'])
    .filter((e) => directions.includes(DIRECTIONS[e.key.pair.dir]))
    .sort((a, b) => a.key.pair.from - b.key.pair.from || a.key.from_cpu - b.key.from_cpu || a.key.to_cpu - b.key.to_cpu)
    .map(({ key, value }) => ({
      direction: DIRECTIONS[key.pair.dir],
      from: name(key.pair.dir, key.pair.from),
      to: name(key.pair.dir, key.pair.to),
      from_cpu: key.from_cpu,
      to_cpu: key.to_cpu,
      count: value.count,
      cross: key.from_cpu !== key.to_cpu,
    }));
  return {
    kind: 'table',
    key: 'cpu_pairs',
    title: 'Hops into a queue by CPU (queued on FROM_CPU, taken out on TO_CPU)',
    columns: [
      { key: 'from', header: 'FROM' },
      { key: 'to', header: 'TO' },
      { key: 'from_cpu', header: 'FROM_CPU' },
      { key: 'to_cpu', header: 'TO_CPU' },
      { key: 'count', header: 'COUNT' },
      { key: 'cross', header: 'NOTE', value: (r) => (r.cross ? 'cross-CPU' : 'same CPU') },
    ],
    rows,
  };
}
