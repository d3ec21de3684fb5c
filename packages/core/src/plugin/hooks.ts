// Hooks: where a plugin's programs attach, as ordered alternatives the planner picks from on the
// running kernel. Plugins declare them with tracepointHook() and functionHook(), which find their
// programs in the object's contract by ELF section, so no program name is written by hand; a hook
// may depend on an option (`when`), and is then neither planned nor loaded while it is off.
import type { AttachKind } from '../bpf/object.js';
import type { FunctionTarget, ObjectContract, ProgramName, TracepointTarget } from './object-contract.js';

export interface HookAlternative<P extends string = string> {
  /** Program in the object that implements this alternative (thin SEC wrapper over one worker). */
  program: P;
  kind: AttachKind;
  /** `category/name` for tracepoint, raw_tp and tp_btf; the kernel function for kprobe/fentry. */
  target: string;
  /** Kernel module that provides the target (its BTF / symbols), e.g. "openvswitch". */
  module?: string;
  /** A kernel type this alternative needs besides its attach point, checked in the kernel's BTF:
   * e.g. skb:kfree_skb counts qdisc drops only where enum skb_drop_reason has QDISC_DROP. */
  requires?: EnumValueRequirement;
  /** A rung that works but gives less: what the output loses when it is the one chosen (the run
   * is then DEGRADED, as with a missing optional hook). Set through ladder(). */
  degrades?: string;
  /** Option key: this alternative is left out when that option is set (e.g. `--wire` skips the
   * driver's functions for the wire tracepoints). Set through ladder(). */
  unless?: string;
}

export interface EnumValueRequirement {
  enum: string;
  value: string;
  /** Why it is needed, for the rejection message ("qdisc drops are reported with a drop reason"). */
  why: string;
}

/** A hook that goes with another: planned only when hook `hook` chose an alternative on function
 * `target` (e.g. the entry half of a kretprobe pair), else "not needed", neither missing nor
 * degraded. */
export interface PairedWith {
  hook: string;
  target: string;
}

export interface HookOptions<W extends string = string> {
  /** Optional hooks may be missing: the run goes on, degraded, and says what is lost. */
  optional?: boolean;
  /** What the output loses when this optional hook is missing. */
  degrades?: string;
  /** Option key: the hook is planned and its programs loaded only when that option is set
   * (a flag given, a value given). */
  when?: W;
  pairedWith?: PairedWith;
}

export interface HookSpec<P extends string = string, W extends string = string> extends HookOptions<W> {
  /** Logical name shown in plans and errors, e.g. "kfree_skb". */
  name: string;
  /** Ordered: the first alternative this kernel supports wins. */
  alternatives: HookAlternative<P>[];
}

export interface TracepointHookOptions<W extends string = string> extends HookOptions<W> {
  /** Kernel module that defines the tracepoint (e.g. openvswitch's), for its BTF and the hint. */
  module?: string;
}

export interface TracepointHook<T extends string = string, W extends string = string> extends TracepointHookOptions<W> {
  name: string;
  tracepoint: T;
}

export interface FunctionHookOptions<T extends string = string, W extends string = string> extends HookOptions<W> {
  /** Kernel module of the function (its BTF, and "modprobe it" when it is absent). */
  module?: string;
  /** The return instead of the entry: fexit → kretprobe. */
  exit?: boolean;
  /** One program type only: `fentry` (fentry/fexit) or `kprobe` (kprobe/kretprobe). */
  only?: 'fentry' | 'kprobe';
  /** Tracepoints to fall back to when neither program type can attach (same ladder as tracepointHook). */
  fallback?: T[];
}

export interface FunctionHook<F extends string = string, T extends string = string, W extends string = string>
  extends FunctionHookOptions<T, W> {
  name: string;
  function: F;
}

/** What a rung of a ladder() adds to the alternatives it contributes. */
export interface RungOptions {
  requires?: EnumValueRequirement;
  /** What the output loses when this rung is the one chosen. */
  degrades?: string;
  /** Option key: the rung is skipped when that option is set. */
  unless?: string;
}

/** One rung of a ladder(): a tracepoint or a function, with what it requires or lacks. */
export type Rung<T extends string = string, F extends string = string> =
  | ({ tracepoint: T; module?: string } & RungOptions)
  | ({ function: F; module?: string; exit?: boolean; only?: 'fentry' | 'kprobe' } & RungOptions);

export interface Ladder<T extends string = string, F extends string = string, W extends string = string> extends HookOptions<W> {
  name: string;
  rungs: Rung<T, F>[];
}

/** A hook as a plugin declares it, checked against its object's contract. */
export type HookDeclaration<C extends ObjectContract = ObjectContract, W extends string = string> =
  | HookSpec<ProgramName<C>, W>
  | TracepointHook<TracepointTarget<C>, W>
  | FunctionHook<FunctionTarget<C>, TracepointTarget<C>, W>
  | Ladder<TracepointTarget<C>, FunctionTarget<C>, W>;

/**
 * A hook on one tracepoint (`category/event`), with the object's programs for it in the usual
 * order: tp_btf (typed arguments, the cheapest), raw_tp, then the classic tracepoint (works
 * everywhere). The programs are found by their sections (`tp_btf/event`, `raw_tp/event`,
 * `tracepoint/category/event`).
 */
export function tracepointHook<const T extends string, const W extends string = never>(
  name: string,
  target: T,
  options: TracepointHookOptions<W> = {},
): TracepointHook<T, NoInfer<W>> {
  return { name, tracepoint: target, ...options };
}

/**
 * A hook on one tracepoint by its programs' names, tp_btf then the classic tracepoint: for an
 * object with more than one program on that tracepoint (the stage engine's and a plugin's own),
 * where finding them by section would be ambiguous.
 */
export function tracepointPrograms<const P extends string, const W extends string = never>(
  name: string,
  target: string,
  programs: { tp_btf?: P; tracepoint?: P },
  options: TracepointHookOptions<W> = {},
): HookSpec<P, NoInfer<W>> {
  const { module, ...rest } = options;
  const alternatives = (['tp_btf', 'tracepoint'] as const).flatMap((kind): HookAlternative<P>[] => {
    const program = programs[kind];
    return program ? [{ program, kind, target, ...(module ? { module } : {}) }] : [];
  });
  return { name, alternatives, ...rest };
}

/**
 * A hook on a kernel function: fentry, else a kprobe (also on a compiler clone such as
 * `func.isra.0`, resolved by the planner), else the `fallback` tracepoints; with `exit`, fexit then
 * kretprobe. The programs are found by their sections (`fentry/func`, `kprobe/func`...), as
 * NT_FUNCTION_PROGRAMS (bpf-headers/nettrace/function.bpf.h) declares them.
 */
export function functionHook<const F extends string, const T extends string = never, const W extends string = never>(
  name: string,
  func: F,
  options: FunctionHookOptions<T, W> = {},
): FunctionHook<F, NoInfer<T>, NoInfer<W>> {
  return { name, function: func, ...options };
}

/**
 * A hook whose alternatives come from several attach points, tried in the order given: each rung
 * a tracepoint (`{ tracepoint: 'skb/kfree_skb' }`, its tp_btf/raw_tp/tracepoint programs) or a
 * function (`{ function: 'dev_qdisc_enqueue', exit: true }`, its fentry/kprobe or fexit/kretprobe
 * programs), found by section as tracepointHook() and functionHook() find them. A rung may require
 * a kernel enum value, or say what the output loses when it is the one chosen.
 */
export function ladder<const T extends string = never, const F extends string = never, const W extends string = never>(
  name: string,
  rungs: Rung<T, F>[],
  options: HookOptions<W> = {},
): Ladder<NoInfer<T>, NoInfer<F>, NoInfer<W>> {
  return { name, rungs, ...options };
}

const TRACEPOINT_SECTIONS: [AttachKind, (category: string, event: string) => string[]][] = [
  ['tp_btf', (_, e) => [`tp_btf/${e}`]],
  ['raw_tp', (_, e) => [`raw_tp/${e}`, `raw_tracepoint/${e}`]],
  ['tracepoint', (c, e) => [`tracepoint/${c}/${e}`, `tp/${c}/${e}`]],
];

function programsIn(contract: ObjectContract, sections: string[]): string[] {
  return Object.entries(contract.programs)
    .filter(([, section]) => sections.includes(section))
    .map(([name]) => name);
}

/** The one program in these sections (one attach kind's), or none; two would be ambiguous. */
function programFor(contract: ObjectContract, hook: string, sections: string[]): string | undefined {
  const found = programsIn(contract, sections);
  if (found.length > 1)
    throw new Error(`hook ${hook}: programs ${found.join(' and ')} are both in section ${sections[0]}; declare the hook's alternatives`);
  return found[0];
}

function tracepointAlternatives(contract: ObjectContract, hook: string, target: string, module?: string): HookAlternative[] {
  const slash = target.lastIndexOf('/');
  if (slash <= 0) throw new Error(`hook ${hook}: tracepoint '${target}' is not category/event`);
  const [category, event] = [target.slice(0, slash), target.slice(slash + 1)];
  return TRACEPOINT_SECTIONS.flatMap(([kind, sections]) => {
    const program = programFor(contract, hook, sections(category, event));
    return program ? [{ program, kind, target, ...(module ? { module } : {}) }] : [];
  });
}

function functionAlternatives(contract: ObjectContract, h: FunctionHook): HookAlternative[] {
  const kinds: AttachKind[] = h.exit ? ['fexit', 'kretprobe'] : ['fentry', 'kprobe'];
  const wanted = h.only ? kinds.filter((k) => k.startsWith(h.only === 'fentry' ? 'f' : 'k')) : kinds;
  const alternatives = wanted.flatMap((kind): HookAlternative[] => {
    const program = programFor(contract, h.name, [`${kind}/${h.function}`]);
    return program ? [{ program, kind, target: h.function, ...(h.module ? { module: h.module } : {}) }] : [];
  });
  for (const tp of h.fallback ?? []) alternatives.push(...tracepointAlternatives(contract, h.name, tp));
  return alternatives;
}

function rungAlternatives(contract: ObjectContract, hook: string, rung: Rung): HookAlternative[] {
  const alternatives =
    'tracepoint' in rung
      ? tracepointAlternatives(contract, hook, rung.tracepoint, rung.module)
      : functionAlternatives(contract, { name: hook, ...rung });
  if (!alternatives.length)
    throw new Error(`hook ${hook}: the object has no program for ${'tracepoint' in rung ? rung.tracepoint : rung.function}`);
  const extra = {
    ...(rung.requires ? { requires: rung.requires } : {}),
    ...(rung.degrades ? { degrades: rung.degrades } : {}),
    ...(rung.unless ? { unless: rung.unless } : {}),
  };
  return alternatives.map((a) => ({ ...a, ...extra }));
}

/** The hooks with their alternatives, found in the contract; throws what cannot be found. */
export function resolveHooks(contract: ObjectContract, hooks: readonly HookDeclaration[]): HookSpec[] {
  return hooks.map((h): HookSpec => {
    if ('alternatives' in h) {
      for (const a of h.alternatives)
        if (!(a.program in contract.programs)) throw new Error(`hook ${h.name}: the object has no program ${a.program}`);
      return h;
    }
    const { name, optional, degrades, when, pairedWith } = h;
    const extra = {
      ...(optional ? { optional } : {}),
      ...(degrades ? { degrades } : {}),
      ...(when ? { when } : {}),
      ...(pairedWith ? { pairedWith } : {}),
    };
    if ('rungs' in h) return { name, alternatives: h.rungs.flatMap((r) => rungAlternatives(contract, name, r)), ...extra };
    if ('tracepoint' in h) {
      const alternatives = tracepointAlternatives(contract, name, h.tracepoint, h.module);
      if (!alternatives.length)
        throw new Error(`hook ${name}: the object has no program for tracepoint ${h.tracepoint} (tp_btf, raw_tp or tracepoint section)`);
      return { name, alternatives, ...extra };
    }
    const alternatives = functionAlternatives(contract, h);
    if (!alternatives.length)
      throw new Error(`hook ${name}: the object has no ${h.exit ? 'fexit/kretprobe' : 'fentry/kprobe'} program for ${h.function}`);
    return { name, alternatives, ...extra };
  });
}

const isSet = (values: Record<string, unknown>, key: string) => values[key] !== undefined && values[key] !== false;

/** The hooks a run plans: those without `when`, and those whose option is set in `values`; each
 * without the alternatives an option set in `values` rules out (`unless`). */
export function activeHooks<H extends { when?: string; alternatives: readonly { unless?: string }[] }>(
  hooks: readonly H[],
  values: Record<string, unknown>,
): H[] {
  const ruledOut = (a: { unless?: string }) => a.unless !== undefined && isSet(values, a.unless);
  return hooks
    .filter((h) => h.when === undefined || isSet(values, h.when))
    .map((h) => (h.alternatives.some(ruledOut) ? { ...h, alternatives: h.alternatives.filter((a) => !ruledOut(a)) } : h));
}
