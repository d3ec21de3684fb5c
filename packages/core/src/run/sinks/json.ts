// JSON lines: a `header` record (kernel, hook plan, options), one `event` record per event row,
// and `interval`/`final` records holding the report's sections and the loss counters. Each
// plugin's schema.json describes them.
import { release } from 'node:os';
import { reportJson } from '../../output/render.js';
import type { HookPlan } from '../../plugin/planner.js';
import type { OutputSink, ReportRecord, RunHeader, Writers } from './sink.js';

export class JsonSink implements OutputSink {
  readonly #lines: string[] = [];
  /** `{"type":"event","plugin":…,` — an event line is this and the row's own JSON, so a row is
   * serialised once and never copied into a wrapper object first. */
  readonly #eventPrefix: string;
  /** The JSON of each frozen array seen in a row's `stack` (kernel stacks: one array per stack id,
   * shared by every event of that stack): at flood rates, serialising the same frames again for
   * every event was the larger part of writing it. */
  readonly #frozenJson = new WeakMap<readonly unknown[], string>();

  constructor(
    private readonly plugin: string,
    private readonly out: Writers,
  ) {
    this.#eventPrefix = `{"type":"event","plugin":${JSON.stringify(plugin)}`;
  }

  start(h: RunHeader): void {
    this.out.write(
      JSON.stringify({
        type: 'header',
        plugin: this.plugin,
        time: new Date().toISOString(),
        kernel: release(),
        plan: planJson(h.plan),
        options: optionsJson(h.values),
        ...(h.notes.length ? { notes: h.notes } : {}),
      }),
    );
  }

  event(row: Record<string, unknown>): void {
    const stack = row.stack;
    if (Array.isArray(stack) && Object.isFrozen(stack)) {
      let frames = this.#frozenJson.get(stack);
      if (frames === undefined) this.#frozenJson.set(stack, (frames = JSON.stringify(stack)));
      // Omitted by JSON.stringify while undefined, then written last from the cache.
      row.stack = undefined;
      const json = JSON.stringify(row);
      row.stack = stack;
      this.#lines.push(`${this.#eventPrefix}${json.length > 2 ? `,${json.slice(1, -1)}` : ''},"stack":${frames}}`);
      return;
    }
    const json = JSON.stringify(row);
    this.#lines.push(json.length > 2 ? `${this.#eventPrefix},${json.slice(1)}` : `${this.#eventPrefix}}`);
  }

  flush(): void {
    if (this.#lines.length) this.out.writeLines(this.#lines);
    this.#lines.length = 0;
  }

  report(r: ReportRecord): void {
    this.out.write(
      JSON.stringify({
        type: r.final ? 'final' : 'interval',
        plugin: this.plugin,
        time: new Date().toISOString(),
        period_s: r.periodSeconds,
        cumulative: r.cumulative,
        events: r.events,
        lost_events: r.lost,
        missed_runs: r.missedRuns,
        degraded: r.degraded,
        ...(r.report ? reportJson(r.report) : {}),
      }),
    );
  }
}

/** The plan as the header shows it: the chosen rung per hook (its resolved symbol) and why the
 * others were rejected. */
function planJson(plan: HookPlan) {
  return plan.hooks.map((h) => ({
    hook: h.hook,
    optional: h.optional,
    ...(h.notNeeded ? { not_needed: h.notNeeded } : {}),
    chosen: h.chosen ? { kind: h.chosen.kind, target: h.chosen.resolvedTarget, program: h.chosen.program } : null,
    rejected: h.rejected.map((r) => ({ kind: r.alternative.kind, target: r.alternative.target, reason: r.reason })),
  }));
}

/** Option values as given: interfaces and namespaces by name, addresses as text. */
function optionsJson(values: Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [
      k,
      v && typeof v === 'object' && 'text' in v
        ? (v as { text: string }).text
        : v && typeof v === 'object' && 'name' in v
          ? (v as { name: string }).name
          : v,
    ]),
  );
}
