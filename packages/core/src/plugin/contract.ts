// The plugin contract: a plugin is a typed plain object validated by the host. It declares its
// object's contract (generated from the compiled object), its options (→ flags, validation,
// defaults, help), its hooks, how options configure the object before load, and its output
// (interval reports and/or an event stream). Every name of the object it uses is checked by the
// type checker against the contract.

import type { StructLayout } from '../bpf/layout.js';
import type { RunContext } from './context.js';
import { type HookDeclaration, type HookSpec, resolveHooks } from './hooks.js';

// The planner's inputs, where it has always imported them from.
export type { EnumValueRequirement, HookAlternative, HookSpec } from './hooks.js';

import type { MapName, ObjectContract, VariableName, VariableValue } from './object-contract.js';
import { checkSchema, type OptionsSchema, type OptionValues } from './options.js';
import type { Column, Report } from './report.js';

export const API_VERSION = 1;

/** What configure() may know about the run besides the options: which hooks are attached. */
export interface ConfigureContext {
  /** Whether the hook plan attached the hook of this name (every hook, when configure runs
   * without a plan, e.g. in unit tests and the manifest build). */
  attached(hook: string): boolean;
}

/** Pure configuration before load: recorded, then applied by the host (and testable alone). */
export interface Configurer<C extends ObjectContract = ObjectContract> {
  /** Sets a global variable of the object (`const volatile` rodata, .bss, .data) before load. */
  set<N extends VariableName<C>>(variable: N, value: VariableValue<C, N>): void;
  maxEntries(map: MapName<C>, entries: number): void;
}

export interface ReportOutput<V, C extends ObjectContract = ObjectContract> {
  kind: 'report';
  /** Reads the maps and builds one report; called each interval and once at the end. */
  collect(ctx: RunContext<V, C>): Report;
}

export interface StreamOutput<V, E, C extends ObjectContract = ObjectContract> {
  kind: 'stream';
  /** Ring buffer map name (bpf-headers/nettrace/buffer.bpf.h names it `events`). */
  ring?: MapName<C>;
  layout: StructLayout<E>;
  columns: Column[];
  /** One output row per event (undefined: skip it). Rows are also the JSON `event` records. */
  row(event: E, ctx: RunContext<V, C>): Record<string, unknown> | undefined;
  /** Optional periodic summary besides the events (counters, histograms). */
  collect?(ctx: RunContext<V, C>): Report;
}

export interface PluginDefinition<S extends OptionsSchema = OptionsSchema, E = unknown, C extends ObjectContract = ObjectContract> {
  id: string;
  summary: string;
  description?: string;
  /** The object's contract: `contract` of the generated src/<object>.gen.ts. */
  contract: C;
  options: S;
  /** tracepointHook() / functionHook(), or alternatives naming the contract's programs. */
  hooks: readonly HookDeclaration<C, keyof S & string>[];
  /** Seconds between reports when --interval is not given (0: final report only). */
  defaultInterval?: number;
  configure?(cfg: Configurer<C>, options: OptionValues<S>, context: ConfigureContext): void;
  /** Where this run's output knowingly differs from the upstream tool's (BCC users' runbooks):
   * one sentence each, printed at the top of the output (table: NOTE lines; JSON: the header's
   * `notes`), so a deviation is never silent. */
  notes?(options: OptionValues<S>): string[];
  output: ReportOutput<OptionValues<S>, C> | StreamOutput<OptionValues<S>, E, C>;
}

export interface Plugin<S extends OptionsSchema = OptionsSchema, E = unknown, C extends ObjectContract = ObjectContract>
  extends Omit<PluginDefinition<S, E, C>, 'hooks'> {
  readonly apiVersion: typeof API_VERSION;
  /** The compiled object (the contract's). */
  readonly object: URL;
  /** The hooks with their alternatives found in the contract. */
  readonly hooks: HookSpec[];
}

/** An option whose value the runner writes into the object (`rodata`, see configure.ts) must name
 * variables the object has: an address also writes `<rodata>_set` and `<rodata>_family`. */
type RodataInContract<O, C extends ObjectContract> = O extends { rodata: infer R extends string }
  ? [
      | (O extends { kind: 'flow-rules' } ? `${R}_count` | `${R}_protocol` : R)
      | (O extends { kind: 'ip' } ? `${R}_set` | `${R}_family` : never),
    ] extends [VariableName<C>]
    ? unknown
    : { rodata: `the object has no variable ${R}` }
  : unknown;
type OptionsInContract<S, C extends ObjectContract> = { [P in keyof S]: RodataInContract<S[P], C> };

const ID = /^[a-z][a-z0-9-]{1,62}$/;

/** Validates and freezes a plugin definition. Mistakes here are the plugin author's, found at build. */
export function definePlugin<const S extends OptionsSchema, E = unknown, const C extends ObjectContract = ObjectContract>(
  def: PluginDefinition<S, E, C> & { options: OptionsInContract<S, C> },
): Plugin<S, E, C> {
  if (!ID.test(def.id)) throw new Error(`plugin id '${def.id}' must be kebab-case`);
  if (!def.hooks.length) throw new Error(`plugin ${def.id}: declares no hooks`);
  checkSchema(def.id, def.options);
  let hooks: HookSpec[];
  try {
    hooks = resolveHooks(def.contract, def.hooks as readonly HookDeclaration[]);
  } catch (err) {
    throw new Error(`plugin ${def.id}: ${(err as Error).message}`);
  }
  const used = new Map<string, string>();
  for (const h of hooks) {
    if (!h.alternatives.length) throw new Error(`plugin ${def.id}: hook ${h.name} has no alternatives`);
    if (h.when !== undefined && !(h.when in def.options))
      throw new Error(`plugin ${def.id}: hook ${h.name}: when '${h.when}' is not an option`);
    if (h.pairedWith) {
      const { hook, target } = h.pairedWith;
      const dep = hooks.slice(0, hooks.indexOf(h)).find((d) => d.name === hook);
      if (!dep) throw new Error(`plugin ${def.id}: hook ${h.name} is paired with ${hook}, which is not declared before it`);
      if (!dep.alternatives.some((a) => a.target === target))
        throw new Error(`plugin ${def.id}: hook ${h.name}: ${hook} has no alternative on ${target}`);
    }
    for (const a of h.alternatives) {
      if (a.unless !== undefined && !(a.unless in def.options))
        throw new Error(`plugin ${def.id}: hook ${h.name}: unless '${a.unless}' is not an option`);
      const other = used.get(a.program);
      if (other && other !== h.name) throw new Error(`plugin ${def.id}: program ${a.program} is in hooks ${other} and ${h.name}`);
      used.set(a.program, h.name);
    }
  }
  return Object.freeze({ ...def, object: def.contract.object, hooks, apiVersion: API_VERSION });
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
