// The contract between a plugin's BPF object and its TypeScript: the names of its programs (with
// their ELF sections), maps, global variables and counters. The build generates it from the
// compiled object (@nettrace/plugin-tools gen-contract.mjs → `contract` in src/<object>.gen.ts),
// and plugin code names these things only through it: a name the object lacks fails the type check.

export interface MapInfo {
  readonly type: string;
  readonly keySize: number;
  readonly valueSize: number;
  readonly maxEntries: number;
}

export interface VariableInfo {
  /** `.rodata` (const volatile: set before load), `.bss` or `.data`. */
  readonly section: string;
  /** C spelling: "u8", "s64", "bool", "u8[16]", "struct foo". */
  readonly type: string;
  readonly size: number;
}

export interface ObjectContract {
  /** The compiled object, next to the bundle that imports the generated module. */
  readonly object: URL;
  /** Program name → ELF section (`tp_btf/kfree_skb`, `kprobe/tun_net_xmit`...). */
  readonly programs: { readonly [name: string]: string };
  readonly maps: { readonly [name: string]: MapInfo };
  readonly variables: { readonly [name: string]: VariableInfo };
  /** Counter names of NT_COUNTERS (bpf-headers/nettrace/counters.bpf.h), in slot order. */
  readonly counters?: readonly string[];
}

export type ProgramName<C extends ObjectContract> = keyof C['programs'] & string;
export type MapName<C extends ObjectContract> = keyof C['maps'] & string;
export type VariableName<C extends ObjectContract> = keyof C['variables'] & string;
export type CounterName<C extends ObjectContract> = C['counters'] extends readonly (infer N extends string)[] ? N : never;

/** What a variable takes before load: bytes for arrays and structs, else a number. */
export type VariableValue<C extends ObjectContract, N extends VariableName<C>> = string extends C['variables'][N]['type']
  ? number | bigint | boolean | Uint8Array
  : C['variables'][N]['type'] extends `${string}]` | `struct ${string}` | `union ${string}`
    ? Uint8Array
    : number | bigint | boolean;

type Section<C extends ObjectContract> = C['programs'][keyof C['programs']];

type TracepointOf<S> = S extends `tracepoint/${infer T}` | `tp/${infer T}`
  ? T
  : S extends `tp_btf/${infer E}` | `raw_tp/${infer E}` | `raw_tracepoint/${infer E}`
    ? `${string}/${E}`
    : never;
type FunctionOf<S> = S extends `fentry/${infer F}` | `fexit/${infer F}` | `kprobe/${infer F}` | `kretprobe/${infer F}` ? F : never;

/** `category/event` of the tracepoints the object has programs for. */
export type TracepointTarget<C extends ObjectContract> = string extends Section<C> ? string : TracepointOf<Section<C>>;
/** Kernel functions the object has fentry/fexit/kprobe/kretprobe programs for. */
export type FunctionTarget<C extends ObjectContract> = string extends Section<C> ? string : FunctionOf<Section<C>>;
