// Kernel stacks from the shared `stacks` STACK_TRACE map (bpf-headers/nettrace/stack.bpf.h),
// symbolised through kallsyms.

import { encodeUint } from '../bpf/layout.js';
import type { BpfObject } from '../bpf/object.js';
import type { KernelSymbols } from './ksyms.js';
import { UserSymbols } from './user-symbols.js';

const TRACING_GLUE = /^(bpf_prog_|bpf_trace_run|__bpf_trace_|perf_trace_|trace_event_raw_event_|__traceiter_|bpf_get_stackid)/;

/**
 * The return addresses of one stack in a STACK_TRACE map, innermost first, or a note saying why it
 * is not there (bpf_get_stackid() failed with that error, or the entry was evicted since).
 */
export function stackAddresses(obj: BpfObject, stackId: number, map = 'stacks'): bigint[] | string {
  if (stackId < 0) return `<stack unavailable: error ${-stackId}>`;
  const value = obj.map(map).lookup(encodeUint(stackId, 4));
  if (!value) return '<stack evicted>';
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  const ips: bigint[] = [];
  for (let o = 0; o + 8 <= value.byteLength; o += 8) {
    const ip = view.getBigUint64(o, true);
    if (ip === 0n) break;
    ips.push(ip);
  }
  return ips;
}

/**
 * Symbolised stacks by object, map and id. A STACK_TRACE map entry never changes while it exists
 * (bpf_get_stackid() without BPF_F_REUSE_STACKID refuses a colliding stack instead of overwriting
 * it) and nettrace never deletes one, so a stack is read and symbolised once, however many events
 * carry its id. Misses (evicted, unavailable) are not cached. Cached stacks are frozen: one array
 * is shared by every row of that stack, and the JSON output serialises each frozen array once.
 */
const symbolised = new WeakMap<BpfObject, Map<string, Map<number, string[]>>>();

export function kernelStack(obj: BpfObject, stackId: number, symbols: KernelSymbols, map = 'stacks'): string[] {
  // Per map, by id: the per-event lookup allocates nothing.
  let maps = symbolised.get(obj);
  if (!maps) symbolised.set(obj, (maps = new Map()));
  let cache = maps.get(map);
  if (!cache) maps.set(map, (cache = new Map()));
  const hit = cache.get(stackId);
  if (hit) return hit;
  const ips = stackAddresses(obj, stackId, map);
  if (typeof ips === 'string') return [ips];
  const frames = ips.map((ip) => symbols.symbolize(ip));
  // The innermost frames are the BPF program and the tracing glue that called it: not news.
  let first = 0;
  while (first < frames.length - 1 && TRACING_GLUE.test(frames[first])) first++;
  const stack = Object.freeze(frames.slice(first)) as string[];
  cache.set(stackId, stack);
  return stack;
}

/** One user-space symboliser per loaded object: its ELF cache lives as long as the run. */
const userSymbols = new WeakMap<BpfObject, UserSymbols>();

/** The user symboliser of `obj`'s run (created on first use). */
export function userSymbolsOf(obj: BpfObject): UserSymbols {
  let u = userSymbols.get(obj);
  if (!u) userSymbols.set(obj, (u = new UserSymbols()));
  return u;
}

/** Processes map and unmap libraries: each report (or event batch) re-reads the mappings of the
 * processes it names, once. */
export function refreshUserMappings(obj: BpfObject): void {
  userSymbols.get(obj)?.forget();
}

/** A user stack of process `pid` (its thread group id) from `map`, named through its mappings
 * (user-symbols.ts), innermost first; or a one-element note when the stack is not there. */
export function userStack(obj: BpfObject, stackId: number, pid: number, map = 'stacks'): string[] {
  const ips = stackAddresses(obj, stackId, map);
  if (typeof ips === 'string') return [ips];
  return userSymbolsOf(obj).stack(pid, ips);
}
