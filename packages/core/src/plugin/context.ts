// What a plugin's collect() and row() get: its options, the loaded object, and readers that take
// map, counter and struct names from the object's contract. Each reader is one call: per-CPU
// values come summed, histograms as slot counts, structs decoded through their generated layout.
import { encodeUint, type StructLayout } from '../bpf/layout.js';
import { type BpfMap, readCounters } from '../bpf/map.js';
import type { BpfObject } from '../bpf/object.js';
import type { KernelBtf } from '../kernel/btf.js';
import { type KernelEnum, kernelEnum } from '../kernel/kernel-enums.js';
import { type KernelSymbols, kernelSymbols } from '../kernel/ksyms.js';
import { kernelStack, refreshUserMappings, stackAddresses, userStack } from '../kernel/stacks.js';
import { HIST_SLOTS } from '../output/hist.js';
import { NtHistLayout } from '../shared_types.gen.js';
import type { Plugin } from './contract.js';
import type { CounterName, MapName, ObjectContract } from './object-contract.js';
import type { OptionsSchema, OptionValues } from './options.js';

/** A map key: a u32 index (arrays), or the key's bytes. */
export type MapKey = number | Uint8Array;

export interface MapEntry<K, V> {
  key: K;
  value: V;
  /** The key as stored (an identity that survives between reports). */
  keyBytes: Uint8Array;
}

export interface RunContext<V = Record<string, unknown>, C extends ObjectContract = ObjectContract> {
  readonly options: V;
  readonly object: BpfObject;
  /** Seconds covered by this report (the interval, or since start for the final one). */
  readonly periodSeconds: number;
  readonly final: boolean;
  /** --cumulative: interval reports hold running totals (sinceLastReport returns what it read). */
  readonly cumulative: boolean;
  symbols(): KernelSymbols;
  /** A kernel enum by name from BTF (`module`: that module's own BTF), else the tracepoint format. */
  kernelEnum(name: string, fallback?: { event: string; field: string }, module?: string): KernelEnum | undefined;
  /** Whether the hook plan attached the hook of this name (as configure() is told). */
  attached(hook: string): boolean;
  /** A map of the object, by its name in the contract. */
  map(name: MapName<C>): BpfMap;
  /** The NT_COUNTERS counters by name, summed over CPUs; `clear` resets them (interval reports). */
  counters(options?: { clear?: boolean }): Record<CounterName<C>, number>;
  /** The slot counts of the log2 histogram (struct nt_hist) at `key` of `map`, summed over CPUs. */
  histogram(map: MapName<C>, options?: { key?: MapKey; clear?: boolean }): number[];
  /** The value at `key` (default 0) decoded through a generated layout; per-CPU values summed
   * member by member. `clear` zeroes (arrays) or deletes (hashes) it after reading. */
  read<T>(map: MapName<C>, layout: StructLayout<T>, options?: { key?: MapKey; clear?: boolean }): T | undefined;
  /** Every entry, decoded (per-CPU values summed); `clear` removes what was read. */
  entries<K, T>(map: MapName<C>, key: StructLayout<K>, value: StructLayout<T>, options?: { clear?: boolean }): MapEntry<K, T>[];
  /** A kernel stack of the shared `stacks` map (stack.bpf.h), symbolised, innermost first. */
  kernelStack(stackId: number): string[];
  /** The return addresses of a stack of `stacks` (user stacks), or why there are none. */
  stackAddresses(stackId: number): bigint[] | string;
  /** A user stack of `stacks` taken in process `pid` (thread group id), innermost first, frames
   * named `function+0xoff [module]` from the ELF symbols (and .gnu_debugdata) of the files it maps,
   * `module+0xoffset` without a symbol, `[unknown]` outside any file (JIT code, exited process). */
  userStack(stackId: number, pid: number): string[];
}

/** The context type of a plugin with options `S` and object contract `C`, for collect()/row()
 * written outside definePlugin: `function collect(ctx: PluginContext<typeof options, typeof contract>)`. */
export type PluginContext<S extends OptionsSchema, C extends ObjectContract = ObjectContract> = RunContext<OptionValues<S>, C>;

const keyBytes = (key: MapKey) => (typeof key === 'number' ? encodeUint(key, 4) : key);

/** Adds `b` into `a` member by member: numbers, and arrays and objects of them. */
function addInto(a: Record<string, unknown>, b: Record<string, unknown>): void {
  for (const k of Object.keys(a)) {
    const x = a[k];
    const y = b[k];
    if (typeof x === 'number') a[k] = x + (y as number);
    else if (Array.isArray(x)) {
      const ys = y as unknown[];
      x.forEach((e, i) => {
        if (typeof e === 'number') x[i] = e + (ys[i] as number);
        else if (e && typeof e === 'object') addInto(e as Record<string, unknown>, ys[i] as Record<string, unknown>);
      });
    } else if (x && typeof x === 'object' && !ArrayBuffer.isView(x)) addInto(x as Record<string, unknown>, y as Record<string, unknown>);
  }
}

/** A map value decoded; for per-CPU maps the CPUs' values summed. */
export function decodeValue<T>(map: BpfMap, value: Uint8Array, layout: StructLayout<T>): T {
  if (!map.perCpu) return layout.decode(new DataView(value.buffer, value.byteOffset, value.byteLength), 0);
  const [first, ...rest] = map.perCpuViews(value).map((v) => layout.decode(v, 0));
  if (typeof first === 'number') return rest.reduce((n: number, x) => n + (x as number), first) as T;
  for (const r of rest) addInto(first as Record<string, unknown>, r as Record<string, unknown>);
  return first;
}

function reset(map: BpfMap, key: Uint8Array): void {
  if (/array/.test(map.type)) map.update(key, new Uint8Array(map.valueBytes));
  else map.delete(key);
}

/** Readers are own functions, not methods: a plugin may pass one on (`dropReasons(ctx.kernelEnum)`). */
class PluginRunContext implements RunContext {
  constructor(
    private readonly plugin: Plugin,
    readonly object: BpfObject,
    readonly options: Record<string, unknown>,
    readonly final: boolean,
    readonly cumulative: boolean,
    readonly periodSeconds: number,
    private readonly btf: KernelBtf,
    readonly attached: (hook: string) => boolean,
  ) {
    refreshUserMappings(object);
  }

  symbols = (): KernelSymbols => kernelSymbols();

  kernelEnum = (name: string, fallback?: { event: string; field: string }, module?: string): KernelEnum | undefined =>
    kernelEnum(this.btf, name, fallback, module);

  map = (name: string): BpfMap => this.object.map(name);

  counters = (options: { clear?: boolean } = {}): Record<string, number> => {
    const names = this.plugin.contract.counters;
    if (!names) throw new Error(`${this.plugin.id}: the object declares no NT_COUNTERS`);
    return readCounters(this.object.map('counters'), names, options.clear);
  };

  histogram = (map: string, options: { key?: MapKey; clear?: boolean } = {}): number[] =>
    this.read(map, NtHistLayout, options)?.slots ?? new Array<number>(HIST_SLOTS).fill(0);

  read = <T>(name: string, layout: StructLayout<T>, options: { key?: MapKey; clear?: boolean } = {}): T | undefined => {
    const map = this.object.map(name);
    const key = keyBytes(options.key ?? 0);
    const value = map.lookup(key);
    if (!value) return undefined;
    const decoded = decodeValue(map, value, layout);
    if (options.clear) reset(map, key);
    return decoded;
  };

  entries = <K, T>(name: string, key: StructLayout<K>, value: StructLayout<T>, options: { clear?: boolean } = {}): MapEntry<K, T>[] => {
    const map = this.object.map(name);
    return map.entries().map(([k, v]) => {
      if (options.clear) reset(map, k);
      return { key: key.decode(new DataView(k.buffer, k.byteOffset, k.byteLength), 0), value: decodeValue(map, v, value), keyBytes: k };
    });
  };

  kernelStack = (stackId: number): string[] => kernelStack(this.object, stackId, kernelSymbols());

  stackAddresses = (stackId: number): bigint[] | string => stackAddresses(this.object, stackId);

  userStack = (stackId: number, pid: number): string[] => userStack(this.object, stackId, pid);
}

/** The context of one report or event batch (the runner makes one per call). */
export function createRunContext(
  plugin: Plugin,
  object: BpfObject,
  values: Record<string, unknown>,
  at: { final: boolean; cumulative?: boolean; periodSeconds: number; btf: KernelBtf; attached?: (hook: string) => boolean },
): RunContext<never> {
  return new PluginRunContext(
    plugin,
    object,
    values,
    at.final,
    at.cumulative ?? false,
    at.periodSeconds,
    at.btf,
    at.attached ?? (() => true),
  ) as unknown as RunContext<never>;
}
