// Option aliases, hook dependencies (`when`), BTF enum requirements and NETTRACE_AVOID in the
// planner, histogram summaries and interval deltas: the pieces plugins use to keep upstream command
// lines working, to choose between a drop reason and a return-code path, and to report per interval.
import { afterEach, describe, expect, it } from 'vitest';
import {
  definePlugin,
  degradedNotes,
  describePlan,
  formatHelp,
  type Histogram,
  histogramSummary,
  parseOptions,
  planHooks,
  renderReportText,
  reportJson,
  runnerOptions,
  sinceLastReport,
  vocabulary,
} from '../src/index.js';

describe('option aliases', () => {
  const schema = {
    ...runnerOptions,
    srcIp: vocabulary.srcIp({ aliases: ['laddr'] }),
    rate: { kind: 'uint', long: 'sample-rate', description: 'n', default: 1, aliases: ['every'] } as const,
  };
  it('are accepted like the long name and shown in help', () => {
    const v = parseOptions(schema, ['--laddr', '10.0.0.1', '--every=4'], 't');
    expect((v.srcIp as { text: string }).text).toBe('10.0.0.1');
    expect(v.rate).toBe(4);
    expect(formatHelp({ srcIp: schema.srcIp })).toContain('also --laddr');
  });
  it('may not shadow another option or a runner option', () => {
    const base = {
      object: new URL('file:///x.o'),
      hooks: [{ name: 'h', alternatives: [{ program: 'p', kind: 'tracepoint' as const, target: 'a/b' }] }],
      output: { kind: 'report' as const, collect: () => ({ sections: [] }) },
    };
    expect(() =>
      definePlugin({
        ...base,
        id: 'alias-a',
        summary: 's',
        options: { a: vocabulary.srcIp({ aliases: ['dst-ip'] }), b: vocabulary.dstIp() },
      }),
    ).toThrow(/--dst-ip is declared twice/);
    expect(() =>
      definePlugin({ ...base, id: 'alias-b', summary: 's', options: { a: vocabulary.srcIp({ aliases: ['duration'] }) } }),
    ).toThrow(/--duration is declared twice or shadows a runner option/);
  });
});

describe('hook plan: dependencies, requirements, NETTRACE_AVOID', () => {
  afterEach(() => {
    delete process.env.NETTRACE_AVOID;
  });
  // Tracepoints every kernel nettrace runs on has (the live kernel and the test kernels).
  const drops = {
    name: 'drops',
    alternatives: [
      {
        program: 'p_reason',
        kind: 'tracepoint' as const,
        target: 'skb/kfree_skb',
        requires: { enum: 'skb_drop_reason', value: 'SKB_DROP_REASON_NOT_A_REASON', why: 'test' },
      },
      { program: 'p_rc', kind: 'tracepoint' as const, target: 'skb/consume_skb' },
    ],
  };
  const entry = {
    name: 'entry',
    alternatives: [{ program: 'p_entry', kind: 'tracepoint' as const, target: 'net/net_dev_queue' }],
    when: { hook: 'drops', programs: ['p_rc'] },
  };

  it('rejects an alternative whose enum value the kernel lacks, and plans the dependent hook', () => {
    const plan = planHooks([drops, entry]);
    expect(plan.hooks[0].chosen?.program).toBe('p_rc');
    expect(plan.hooks[0].rejected[0].reason).toMatch(/no SKB_DROP_REASON_NOT_A_REASON in enum skb_drop_reason \(test\)/);
    expect(plan.hooks[1].chosen?.program).toBe('p_entry');
    expect(plan.missing).toEqual([]);
  });
  it('marks a dependent hook not needed when the other hook chose something else', () => {
    const plan = planHooks([
      { ...drops, alternatives: [drops.alternatives[1]] },
      { ...entry, when: { hook: 'drops', programs: ['p_other'] } },
    ]);
    expect(plan.hooks[1].chosen).toBeUndefined();
    expect(plan.hooks[1].notNeeded).toBe('drops uses tracepoint:skb/consume_skb');
    expect(plan.missing).toEqual([]);
    expect(plan.degraded).toEqual([]);
  });
  it('an alternative that degrades makes the run degraded, and says what it lacks', () => {
    const plan = planHooks([{ name: 'sends', alternatives: [{ ...drops.alternatives[1], degrades: 'counts per device' }] }]);
    expect(plan.degraded.map((h) => h.hook)).toEqual(['sends']);
    expect(degradedNotes(plan)).toEqual(['sends via tracepoint:skb/consume_skb: counts per device']);
    expect(describePlan(plan)).toEqual(['sends: tracepoint:skb/consume_skb (DEGRADED: counts per device)']);
  });
  it('NETTRACE_AVOID rejects kinds and program names', () => {
    process.env.NETTRACE_AVOID = 'p_rc';
    const plan = planHooks([drops]);
    expect(plan.missing.map((h) => h.hook)).toEqual(['drops']);
    expect(plan.hooks[0].rejected[1].reason).toBe('avoided by NETTRACE_AVOID=p_rc');
  });
  it('definePlugin checks that `when` names an earlier hook and its programs', () => {
    const base = {
      id: 'when-x',
      summary: 's',
      object: new URL('file:///x.o'),
      options: {},
      output: { kind: 'report' as const, collect: () => ({ sections: [] }) },
    };
    expect(() => definePlugin({ ...base, hooks: [entry, drops] })).toThrow(/depends on drops, which is not declared before it/);
    expect(() => definePlugin({ ...base, hooks: [drops, { ...entry, when: { hook: 'drops', programs: ['nope'] } }] })).toThrow(
      /nope are not alternatives of drops/,
    );
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
});
