// kallsyms off the start-up path of a plugin with kernel stacks: reading (~30 ms of kernel time)
// and parsing its ~120k symbols was a third of `nettrace run eth-drop`'s start. The addon does both
// on a thread-pool thread while this one opens, loads and attaches; the run's own programs, loaded
// after that read, are added from their program info (withOwnPrograms).
import type { BpfObject } from '../bpf/object.js';
import { KernelSymbols } from './ksyms.js';

/** Starts the read; resolves to the table, or to undefined if it failed (the caller then reads
 * kallsyms itself, and reports what fails). */
export function prefetchKernelSymbols(): Promise<KernelSymbols | undefined> {
  return KernelSymbols.loadAsync().catch(() => undefined);
}

/** `symbols` plus the JIT-compiled functions of `programs` in `obj` (loaded after the read). */
export function withOwnPrograms(symbols: KernelSymbols, obj: BpfObject, programs: readonly string[]): KernelSymbols {
  symbols.addFunctions(programs.flatMap((p) => obj.programSymbols(p)));
  return symbols;
}
