// The RunContext a plugin's collect() and row() receive: its option values, the loaded object,
// the period a report covers, and the readers of plugin/context.ts (kernel enums from the run's BTF).
import type { BpfObject } from '../bpf/object.js';
import { createRunContext, type RunContext } from '../plugin/context.js';
import type { Plugin } from '../plugin/contract.js';
import type { RunPlan } from './plan.js';

/** Report periods: since the start for the final report (and every report with --cumulative),
 * else since the last interval report. */
export class Period {
  readonly started = Date.now();
  #start = this.started;
  constructor(readonly cumulative = false) {}
  seconds(final: boolean): number {
    return (Date.now() - (final || this.cumulative ? this.started : this.#start)) / 1000;
  }
  /** An interval report went out: the next period starts now. */
  next(): void {
    this.#start = Date.now();
  }
}

/** The context of one report or event batch: the plugin's readers over its object (plugin/context.ts). */
export function runContext(
  plugin: Plugin,
  values: Record<string, unknown>,
  object: BpfObject,
  plan: Pick<RunPlan, 'btf' | 'hooks'>,
  period: Period,
  final: boolean,
): RunContext<never> {
  return createRunContext(plugin, object, values, {
    final,
    cumulative: period.cumulative,
    periodSeconds: period.seconds(final),
    btf: plan.btf,
    attached: (hook) => plan.hooks.hooks.some((h) => h.hook === hook && h.chosen),
  });
}
