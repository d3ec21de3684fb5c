// Paired hooks (`pairedWith`), ladder rungs that require a BTF enum value or degrade the output,
// NETTRACE_AVOID in the planner, histogram summaries and interval deltas: the pieces plugins use to
// choose between a drop reason and a return-code path, and to report per interval.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  activeHooks,
  definePlugin,
  degradedNotes,
  describePlan,
  enumNames,
  type Histogram,
  histogramSummary,
  KernelBtf,
  kindCountsSection,
  ladder,
  planHooks,
  renderReportText,
  reportJson,
  sinceLastReport,
  tracepointHook,
} from '../src/index.js';

describe('hook plan: pairs, requirements, rungs that degrade, NETTRACE_AVOID', () => {
  const btf = new KernelBtf({ kind: 'sysfs', path: '/sys/kernel/btf/vmlinux' });
  afterAll(() => btf.release());
  afterEach(() => {
    delete process.env.NETTRACE_AVOID;
  });
  // Tracepoints every kernel nettrace runs on has (the live kernel and the test kernels).
  const contract = {
    object: new URL('file:///x.o'),
    programs: {
      p_reason: 'tracepoint/skb/kfree_skb',
      p_rc: 'tracepoint/skb/consume_skb',
      p_entry: 'tracepoint/net/net_dev_queue',
    },
    maps: {},
    variables: {},
  } as const;
  const drops = ladder('drops', [
    { tracepoint: 'skb/kfree_skb', requires: { enum: 'skb_drop_reason', value: 'SKB_DROP_REASON_NOT_A_REASON', why: 'test' } },
    { tracepoint: 'skb/consume_skb' },
  ]);
  const entry = tracepointHook('entry', 'net/net_dev_queue', { pairedWith: { hook: 'drops', target: 'skb/consume_skb' } });
  const base = {
    id: 'paired-x',
    summary: 's',
    contract,
    options: {},
    output: { kind: 'report' as const, collect: () => ({ sections: [] }) },
  };
  const hooks = (...h: Parameters<typeof definePlugin>[0]['hooks']) => definePlugin({ ...base, hooks: h }).hooks;

  it('rejects an alternative whose enum value the kernel lacks, and plans the paired hook', () => {
    const plan = planHooks(hooks(drops, entry), btf);
    expect(plan.hooks[0].chosen?.program).toBe('p_rc');
    expect(plan.hooks[0].rejected[0].reason).toMatch(/no SKB_DROP_REASON_NOT_A_REASON in enum skb_drop_reason \(test\)/);
    expect(plan.hooks[1].chosen?.program).toBe('p_entry');
    expect(plan.missing).toEqual([]);
  });
  it('marks a paired hook not needed when the other hook chose something else', () => {
    const plan = planHooks(hooks(ladder('drops', [{ tracepoint: 'skb/consume_skb' }, { tracepoint: 'skb/kfree_skb' }]), entry), btf);
    expect(plan.hooks[0].chosen?.program).toBe('p_rc');
    const other = tracepointHook('entry', 'net/net_dev_queue', { pairedWith: { hook: 'drops', target: 'skb/kfree_skb' } });
    const plan2 = planHooks(hooks(ladder('drops', [{ tracepoint: 'skb/consume_skb' }, { tracepoint: 'skb/kfree_skb' }]), other), btf);
    expect(plan2.hooks[1].chosen).toBeUndefined();
    expect(plan2.hooks[1].notNeeded).toBe('drops uses tracepoint:skb/consume_skb');
    expect(plan2.missing).toEqual([]);
    expect(plan2.degraded).toEqual([]);
  });
  it('a rung that degrades makes the run degraded, and says what it lacks', () => {
    const plan = planHooks(hooks(ladder('sends', [{ tracepoint: 'skb/consume_skb', degrades: 'counts per device' }])), btf);
    expect(plan.degraded.map((h) => h.hook)).toEqual(['sends']);
    expect(degradedNotes(plan)).toEqual(['sends via tracepoint:skb/consume_skb: counts per device']);
    expect(describePlan(plan)).toEqual(['sends: tracepoint:skb/consume_skb (DEGRADED: counts per device)']);
  });
  it('an option rules a rung out (`unless`), and a rung naming no option is refused', () => {
    const wire = { ...base, options: { wire: { kind: 'flag', long: 'wire', description: 'w', default: false } as const } };
    const planned = definePlugin({
      ...wire,
      hooks: [ladder('drops', [{ tracepoint: 'skb/kfree_skb', unless: 'wire' }, { tracepoint: 'skb/consume_skb' }])],
    });
    expect(planHooks(activeHooks(planned.hooks, { wire: false }), btf).hooks[0].chosen?.program).toBe('p_reason');
    const ruledOut = activeHooks(planned.hooks, { wire: true });
    expect(ruledOut[0].alternatives.map((a) => a.program)).toEqual(['p_rc']);
    expect(planHooks(ruledOut, btf).hooks[0].chosen?.program).toBe('p_rc');
    expect(() => definePlugin({ ...base, hooks: [ladder('drops', [{ tracepoint: 'skb/kfree_skb', unless: 'wire' }])] })).toThrow(
      /hook drops: unless 'wire' is not an option/,
    );
  });
  it('NETTRACE_AVOID rejects kinds and program names', () => {
    process.env.NETTRACE_AVOID = 'p_rc';
    const plan = planHooks(hooks(drops), btf);
    expect(plan.missing.map((h) => h.hook)).toEqual(['drops']);
    expect(plan.hooks[0].rejected[1].reason).toBe('avoided by NETTRACE_AVOID=p_rc');
  });
  it('definePlugin checks that `pairedWith` names an earlier hook with an alternative on that target', () => {
    expect(() => hooks(entry, drops)).toThrow(/paired with drops, which is not declared before it/);
    const wrong = tracepointHook('entry', 'net/net_dev_queue', { pairedWith: { hook: 'drops', target: 'nope' } });
    expect(() => hooks(drops, wrong)).toThrow(/drops has no alternative on nope/);
  });
});

describe('histogram summaries', () => {
  const h = (counts: number[]): Histogram => ({ label: 'x', unit: 'us', kind: 'log2', counts });
  it('give percentiles as the upper bound of the bucket holding the ranked sample', () => {
    // 10 samples: 5 in [1,1], 4 in [4,7], 1 in [64,127]
    const s = histogramSummary(h([0, 5, 0, 4, 0, 0, 0, 1]), 200);
    expect(s).toEqual({ count: 10, mean: 20, p50: 1, p90: 7, p99: 127 });
    expect(histogramSummary(h([0, 5, 0, 4, 0, 0, 0, 1])).mean).toBe((5 * 1 + 4 * 5.5 + 95.5) / 10);
    expect(histogramSummary(h([0, 0])).count).toBe(0);
  });
  it('are printed above the buckets and kept in JSON', () => {
    const summary = histogramSummary(h([0, 2]));
    const report = { sections: [{ kind: 'histogram' as const, key: 'rtt', title: 'RTT', hist: h([0, 2]), summary }] };
    expect(renderReportText(report)).toContain('count 2  mean 1 us  p50 <= 1  p90 <= 1  p99 <= 1');
    expect(reportJson(report).rtt).toMatchObject({ total: 2, summary: { p99: 1 } });
  });
});

describe('interval deltas', () => {
  it('interval reports get the change since the previous one, the final report the totals', () => {
    const object = {};
    const at = (final: boolean, now: [string, number[]][]) => Object.fromEntries(sinceLastReport({ object, final }, 't', new Map(now)));
    expect(at(false, [['a', [1, 2]]])).toEqual({ a: [1, 2] });
    expect(
      at(false, [
        ['a', [4, 2]],
        ['b', [1, 0]],
      ]),
    ).toEqual({ a: [3, 0], b: [1, 0] });
    expect(
      at(true, [
        ['a', [5, 2]],
        ['b', [1, 0]],
      ]),
    ).toEqual({ a: [5, 2], b: [1, 0] });
    // another run (object) starts from zero
    expect(Object.fromEntries(sinceLastReport({ object: {}, final: false }, 't', new Map([['a', [9]]])))).toEqual({ a: [9] });
  });

  it('an entry below its previous value was made again (LRU eviction) and counts from zero', () => {
    const object = {};
    sinceLastReport({ object, final: false }, 't', new Map([['a', { n: 7, ifname: 'x' }]]), ['n']);
    expect(sinceLastReport({ object, final: false }, 't', new Map([['a', { n: 2, ifname: 'x' }]]), ['n']).get('a')).toEqual({
      n: 2,
      ifname: 'x',
    });
  });

  it('--cumulative: interval reports hold the running totals', () => {
    const object = {};
    const at = (n: number) => sinceLastReport({ object, final: false, cumulative: true }, 't', new Map([['a', [n]]])).get('a');
    expect(at(3)).toEqual([3]);
    expect(at(5)).toEqual([5]);
  });

  it('kindCountsSection: one row per point with counts in this report, kinds as columns', () => {
    const object = {};
    let values: Record<number, number[]> = { 0: [2, 0], 1: [0, 0] };
    const ctx = (final: boolean) => ({
      object,
      final,
      read: <T>(_m: string, _l: unknown, o?: { key?: number }) => ({ kinds: values[o?.key ?? 0] }) as T,
    });
    const spec = {
      map: 'per_point',
      layout: {} as never,
      points: { 0: 'a', 1: 'b' },
      pointKey: 'point',
      pointHeader: 'POINT',
      kinds: enumNames({ K_SET: 0, K_CLEARED: 1, K_KINDS: 2 }, 'K_', 2),
    };
    expect(kindCountsSection(ctx(false), 'p', 'Per point', spec)).toMatchObject({
      title: 'Per point (this interval)',
      rows: [{ point: 'a', set: 2, cleared: 0 }],
    });
    values = { 0: [2, 0], 1: [0, 3] };
    expect(kindCountsSection(ctx(false), 'p', 'Per point', spec).rows).toEqual([{ point: 'b', set: 0, cleared: 3 }]);
    expect(kindCountsSection(ctx(true), 'p', 'Per point', spec).rows).toEqual([
      { point: 'a', set: 2, cleared: 0 },
      { point: 'b', set: 0, cleared: 3 },
    ]);
  });
});
