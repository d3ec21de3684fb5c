// A BPF object: open from bytes, configure before load (rodata, autoload, map sizes), load,
// attach, and hand out maps and ring buffers. Everything closes idempotently.
import { readFileSync } from 'node:fs';
import { call } from '../errors.js';
import { encodeUint } from './layout.js';
import { BpfMap } from './map.js';
import { type NativeMap, type NativeProgram, type NativeVar, native } from './native.js';
import { type RingBufferOptions, RingBufferReader } from './ringbuf.js';

export type AttachKind =
  | 'tracepoint'
  | 'raw_tp'
  | 'tp_btf'
  | 'kprobe'
  | 'kretprobe'
  | 'kprobe.multi'
  | 'kretprobe.multi'
  | 'fentry'
  | 'fexit';

export class BpfLink {
  #open = true;
  constructor(
    private readonly handle: number,
    readonly program: string,
    readonly kind: AttachKind,
    readonly target: string | undefined,
  ) {}
  close(): void {
    if (!this.#open) return;
    this.#open = false;
    native().destroyLink(this.handle);
  }
  [Symbol.dispose](): void {
    this.close();
  }
}

export interface OpenOptions {
  /** Name shown by libbpf and in errors. */
  name?: string;
  /** External BTF (vmlinux ELF or raw BTF) for kernels without /sys/kernel/btf/vmlinux. */
  btfPath?: string;
}

export class BpfObject {
  readonly name: string;
  #handle: number | undefined;
  #vars = new Map<string, { section: string; v: NativeVar }>();
  #loaded = false;
  readonly links: BpfLink[] = [];
  readonly #rings: RingBufferReader[] = [];

  private constructor(handle: number, name: string) {
    this.#handle = handle;
    this.name = name;
    for (const section of ['.rodata', '.bss', '.data']) {
      for (const v of native().datasecVars(handle, section)) this.#vars.set(v.name, { section, v });
    }
  }

  static open(source: Uint8Array | string, options: OpenOptions = {}): BpfObject {
    const bytes = typeof source === 'string' ? readFileSync(source) : source;
    const name =
      options.name ??
      (typeof source === 'string'
        ? source
            .split('/')
            .pop()!
            .replace(/\.bpf\.o$/, '')
        : 'bpf');
    const handle = call(() => native().openObject(bytes, name, options.btfPath));
    return new BpfObject(handle, name);
  }

  get handle(): number {
    if (this.#handle === undefined) throw new Error(`BPF object ${this.name} is closed`);
    return this.#handle;
  }

  get loaded(): boolean {
    return this.#loaded;
  }

  programs(): NativeProgram[] {
    return native().objectPrograms(this.handle);
  }

  maps(): NativeMap[] {
    return native().objectMaps(this.handle);
  }

  hasVariable(name: string): boolean {
    return this.#vars.has(name);
  }

  /** Sets a `const volatile` (or .bss/.data) variable before load. */
  setVariable(name: string, value: number | bigint | boolean | Uint8Array): void {
    const found = this.#vars.get(name);
    if (!found) throw new Error(`${this.name}: no global variable ${name} in the BPF object`);
    if (this.#loaded && found.section === '.rodata') throw new Error(`${this.name}: ${name} is read-only after load`);
    const { section, v } = found;
    let bytes: Uint8Array;
    if (value instanceof Uint8Array) {
      if (value.length > v.size) throw new Error(`${this.name}: ${name} holds ${v.size} bytes, got ${value.length}`);
      bytes = new Uint8Array(v.size);
      bytes.set(value);
    } else {
      bytes = encodeUint(typeof value === 'boolean' ? Number(value) : value, v.size);
    }
    call(() => native().setInitialBytes(this.handle, section, v.offset, bytes));
  }

  setAutoload(program: string, on: boolean): void {
    call(() => native().setAutoload(this.handle, program, on));
  }

  setAttachTarget(program: string, target: string): void {
    call(() => native().setAttachTarget(this.handle, program, target));
  }

  /** Whether `map` is created at load (a map the chosen variant does not use can be skipped). */
  setAutocreate(map: string, on: boolean): void {
    call(() => native().setAutocreate(this.handle, map, on));
  }

  setMaxEntries(map: string, n: number): void {
    call(() => native().setMaxEntries(this.handle, map, n));
  }

  load(): void {
    call(() => native().loadObject(this.handle));
    this.#loaded = true;
  }

  /** Attaches `program` as `kind` to `target` (`category/name` for a tracepoint, the function for
   * kprobes; fentry/fexit/tp_btf take theirs before load: setAttachTarget). */
  attach(program: string, kind: AttachKind, target?: string): BpfLink {
    const handle = call(() => native().attach(this.handle, program, kind, target));
    const link = new BpfLink(handle, program, kind, target);
    this.links.push(link);
    return link;
  }

  readonly #maps = new Map<string, BpfMap>();

  /** The map named `name` (after load: its fd is live). */
  map(name: string): BpfMap {
    const cached = this.#maps.get(name);
    if (cached) return cached;
    const info = this.maps().find((m) => m.name === name);
    if (!info) throw new Error(`${this.name}: no map named ${name}`);
    const map = new BpfMap(
      info,
      call(() => native().mapFd(this.handle, name)),
    );
    if (this.#loaded) this.#maps.set(name, map);
    return map;
  }

  hasMap(name: string): boolean {
    return this.maps().some((m) => m.name === name);
  }

  /** Run statistics of a loaded program (run time/count need kernel.bpf_stats_enabled=1). */
  programStats(program: string): { runTimeNs: number; runCount: number; recursionMisses: number } {
    return call(() => native().programStats(this.programFd(program)));
  }

  /** Where a loaded program's JIT-compiled functions are, named as kallsyms names them
   * (`bpf_prog_<tag>_<name>`): its stack frames, for a symbol table read before it was loaded. */
  programSymbols(program: string): { address: bigint; length: number; name: string }[] {
    const { tag, name, funcs } = call(() => native().programSymbols(this.programFd(program)));
    const out = [];
    for (let i = 0; i + 2 < funcs.length; i += 3)
      out.push({ address: (BigInt(funcs[i]) << 32n) | BigInt(funcs[i + 1]), length: funcs[i + 2], name: `bpf_prog_${tag}_${name}` });
    return out;
  }

  programFd(program: string): number {
    return call(() => native().programFd(this.handle, program));
  }

  /** Reader of a ring buffer (or, with `channel: 'perf'`, of a perf event array). Its loss
   * counter is the map `<name>_lost` (`<lostFrom>_lost` when given). */
  ringBuffer(name: string, options: RingBufferOptions & { lostFrom?: string } = {}): RingBufferReader {
    const lostName = `${options.lostFrom ?? name}_lost`;
    const lostMap = this.hasMap(lostName) ? this.map(lostName) : undefined;
    const ring = new RingBufferReader(this.map(name), lostMap, options);
    this.#rings.push(ring);
    return ring;
  }

  /** Detaches every link and returns once no program run that started before is still going, so
   * maps and ring buffers read afterwards hold everything the programs did: the final report's
   * counters then agree with the events drained after it. Programs and maps stay loaded. */
  detach(): void {
    for (const link of this.links) link.close();
    if (!native().waitForRunningPrograms()) {
      // The kernel refused membarrier (nohz_full CPUs): runs in flight take microseconds, so a
      // short pause is the best remaining bound.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }

  /** Detaches every link, stops ring buffers, frees programs and maps. Safe to call twice. */
  close(): void {
    if (this.#handle === undefined) return;
    // Links first: a program still attached after its perf buffer is gone would lose events.
    for (const link of this.links) link.close();
    for (const ring of this.#rings) ring.close();
    native().closeObject(this.#handle);
    this.#handle = undefined;
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
