// The plugin contract: a plugin is a typed plain object validated by the host. It declares its
// options (→ flags, validation, defaults, help), its hooks with ordered alternatives, how options
// configure the object before load, and its output (interval reports and/or an event stream).

import type { StructLayout } from '../bpf/layout.js';
import type { AttachKind, BpfObject } from '../bpf/object.js';
import type { KernelEnum } from '../kernel/kernel-enums.js';
import type { KernelSymbols } from '../kernel/ksyms.js';
import { checkSchema, type OptionsSchema, type OptionValues } from './options.js';
import type { Column, Report } from './report.js';

export const API_VERSION = 1;

export interface HookAlternative {
  /** Program in the object that implements this alternative (thin SEC wrapper over one worker). */
  program: string;
  kind: AttachKind;
  /** `category/name` for tracepoint, raw_tp and tp_btf; the kernel function for kprobe/fentry. */
  target: string;
  /** Kernel module that provides the target (its BTF / symbols), e.g. "openvswitch". */
  module?: string;
}

export interface HookSpec {
  /** Logical name shown in plans and errors, e.g. "kfree_skb". */
  name: string;
  /** Ordered: the first alternative this kernel supports wins. */
  alternatives: HookAlternative[];
  /** Optional hooks may be missing: the run goes on, degraded, and says what is lost. */
  optional?: boolean;
  /** What the output loses when this optional hook is missing. */
  degrades?: string;
  /** Key of a flag option that enables this hook; without it the hook is not planned or attached. */
  enabledBy?: string;
}

/** The hooks a run plans: those without `enabledBy`, and those whose option is on. */
export function activeHooks(hooks: HookSpec[], values: Record<string, unknown>): HookSpec[] {
  return hooks.filter((h) => !h.enabledBy || Boolean(values[h.enabledBy]));
}

/** What configure() may know about the run besides the options: which hooks are attached. */
export interface ConfigureContext {
  /** Whether the hook plan attached the hook of this name (every hook, when configure runs
   * without a plan, e.g. in unit tests). */
  attached(hook: string): boolean;
}

/** Pure configuration before load: recorded, then applied by the host (and testable alone). */
export interface Configurer {
  /** Sets a `const volatile` variable in the object. */
  set(variable: string, value: number | bigint | boolean | Uint8Array): void;
  maxEntries(map: string, entries: number): void;
}

export interface RunContext<V> {
  readonly options: V;
  readonly object: BpfObject;
  /** Seconds covered by this report (the interval, or since start for the final one). */
  readonly periodSeconds: number;
  readonly final: boolean;
  symbols(): KernelSymbols;
  kernelEnum(name: string, fallback?: { event: string; field: string }): KernelEnum | undefined;
  /** Whether the hook plan attached the hook of this name (as in ConfigureContext). */
  attached(hook: string): boolean;
}

export interface ReportOutput<V> {
  kind: 'report';
  /** Reads the maps and builds one report; called each interval and once at the end. */
  collect(ctx: RunContext<V>): Report;
}

export interface StreamOutput<V, E> {
  kind: 'stream';
  /** Ring buffer map name (bpf-headers/nettrace/buffer.bpf.h names it `events`). */
  ring?: string;
  layout: StructLayout<E>;
  columns: Column[];
  /** One output row per event (undefined: skip it). Rows are also the JSON `event` records. */
  row(event: E, ctx: RunContext<V>): Record<string, unknown> | undefined;
  /** Optional periodic summary besides the events (counters, histograms). */
  collect?(ctx: RunContext<V>): Report;
}

export interface PluginDefinition<S extends OptionsSchema = OptionsSchema, E = unknown> {
  id: string;
  summary: string;
  description?: string;
  /** The compiled object, usually `new URL('./name.bpf.o', import.meta.url)`. */
  object: URL;
  options: S;
  hooks: HookSpec[];
  /** Seconds between reports when --interval is not given (0: final report only). */
  defaultInterval?: number;
  configure?(cfg: Configurer, options: OptionValues<S>, context: ConfigureContext): void;
  output: ReportOutput<OptionValues<S>> | StreamOutput<OptionValues<S>, E>;
}

export interface Plugin<S extends OptionsSchema = OptionsSchema, E = unknown> extends PluginDefinition<S, E> {
  readonly apiVersion: typeof API_VERSION;
}

const ID = /^[a-z][a-z0-9-]{1,62}$/;

/** Validates and freezes a plugin definition. Mistakes here are the plugin author's, found at build. */
export function definePlugin<S extends OptionsSchema, E = unknown>(def: PluginDefinition<S, E>): Plugin<S, E> {
  if (!ID.test(def.id)) throw new Error(`plugin id '${def.id}' must be kebab-case`);
  if (!def.hooks.length) throw new Error(`plugin ${def.id}: declares no hooks`);
  for (const h of def.hooks) if (!h.alternatives.length) throw new Error(`plugin ${def.id}: hook ${h.name} has no alternatives`);
  checkSchema(def.id, def.options);
  return Object.freeze({ ...def, apiVersion: API_VERSION });
}

/** JSON-serialisable description written to dist/manifest.json at build time, so `list`, `info`
 * and `--help` never import plugin code. */
export function pluginManifest(p: Plugin): Record<string, unknown> {
  return {
    apiVersion: p.apiVersion,
    id: p.id,
    summary: p.summary,
    description: p.description,
    object: p.object.pathname.split('/').pop(),
    options: p.options,
    hooks: p.hooks,
    defaultInterval: p.defaultInterval ?? 0,
    output: p.output.kind,
  };
}

/**
 * A hook on one tracepoint with the usual ladder of program types: tp_btf (typed arguments, the
 * cheapest), raw_tp, then the classic tracepoint (works everywhere). Give the program of each
 * alternative the object has, e.g. `tracepointHook('kfree_skb', 'skb/kfree_skb', { tp_btf: 'nt_x_btf', tracepoint: 'nt_x_tp' })`.
 */
export function tracepointHook(
  name: string,
  target: string,
  programs: { tp_btf?: string; raw_tp?: string; tracepoint?: string },
  extra: Pick<HookSpec, 'optional' | 'degrades'> = {},
): HookSpec {
  const order = ['tp_btf', 'raw_tp', 'tracepoint'] as const;
  const alternatives = order.flatMap((kind) => (programs[kind] ? [{ program: programs[kind]!, kind, target }] : []));
  return { name, alternatives, ...extra };
}
