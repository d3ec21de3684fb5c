// The RunContext a plugin's collect() and row() receive: its option values, the loaded object,
// the period a report covers, kernel symbols, and kernel enums from the run's BTF.
import type { BpfObject } from '../bpf/object.js';
import type { KernelBtf } from '../kernel/btf.js';
import { kernelEnum } from '../kernel/kernel-enums.js';
import { kernelSymbols } from '../kernel/ksyms.js';
import type { RunContext } from '../plugin/contract.js';

/** Report periods: since the start for the final report, else since the last interval report. */
export class Period {
  readonly started = Date.now();
  #start = this.started;
  seconds(final: boolean): number {
    return (Date.now() - (final ? this.started : this.#start)) / 1000;
  }
  /** An interval report went out: the next period starts now. */
  next(): void {
    this.#start = Date.now();
  }
}

export function runContext(
  values: Record<string, unknown>,
  object: BpfObject,
  btf: KernelBtf,
  period: Period,
  final: boolean,
): RunContext<never> {
  return {
    options: values as never,
    object,
    periodSeconds: period.seconds(final),
    final,
    symbols: kernelSymbols,
    kernelEnum: (name, fallback) => kernelEnum(btf, name, fallback),
  };
}
