// Kernel symbols from /proc/kallsyms: address → name+offset for stacks, and name look-ups that
// also find compiler clones (`name.isra.0`, `.constprop.N`, `.part.N`, `.cold`).
//
// Compact: ~120k symbols are kept as typed arrays of addresses (two u32 halves) and positions in
// the kallsyms text itself (read in 1 MiB chunks, each kept as is: no concatenated copy), not as
// one object, BigInt and string per symbol (that took ~55 MB of RSS and 150-300 ms). The addon
// parses the text (native/src/kallsyms.cc: a few ms, where JavaScript took ~50 ms cold). The name
// index is built only when a name look-up is asked for.
import { closeSync, openSync, readSync } from 'node:fs';
import { type KallsymsTable, native } from '../bpf/native.js';

export interface KernelSymbol {
  address: bigint;
  name: string;
  module?: string;
}

const NL = 0x0a;
const SPACE = 0x20;
const TAB = 0x09;
const CHUNK = 1 << 20;

/** /proc/kallsyms in chunks that each end at a line end (its stat size is 0: read until EOF). */
function readChunks(path: string): Buffer[] {
  const fd = openSync(path, 'r');
  const chunks: Buffer[] = [];
  try {
    let carry = Buffer.alloc(0);
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.max(CHUNK, carry.length * 2));
      carry.copy(buf);
      let used = carry.length;
      let eof = false;
      while (used < buf.length) {
        const n = readSync(fd, buf, used, buf.length - used, null);
        if (n === 0) {
          eof = true;
          break;
        }
        used += n;
      }
      const cut = eof ? used : buf.lastIndexOf(NL, used - 1) + 1;
      if (cut > 0) chunks.push(buf.subarray(0, cut));
      carry = Buffer.from(buf.subarray(cut, used));
      if (eof) return chunks;
    }
  } finally {
    closeSync(fd);
  }
}

/** The parsed table (native kallsymsParse/kallsymsLoad): sorted by address. */
export type Table = KallsymsTable;

/** Name look-ups answered by scanning the text before the name index is worth building. */
const SCANS_BEFORE_INDEX = 16;

const isType = (c: number) => c === 0x74 /* t */ || c === 0x54 /* T */ || c === 0x77 /* w */ || c === 0x57; /* W */

export class KernelSymbols {
  readonly #chunks: Uint8Array[];
  #t: Table | undefined;
  #byName: Map<string, number> | undefined;
  #scans = 0;

  /** `text`: the contents of /proc/kallsyms (as a string, or its bytes in line-aligned chunks).
   * Parsed lazily: the address table on the first symbolize(), the name index only after a few
   * name look-ups (the hook planner asks for a handful of names; scanning the text for each is
   * far cheaper than indexing ~120k names: ~2 s of every `nettrace info` under qemu TCG). */
  constructor(text: string | Uint8Array | Uint8Array[]) {
    const chunks = typeof text === 'string' ? [Buffer.from(text, 'latin1')] : Array.isArray(text) ? text : [text];
    if (chunks.length > 0xffff) throw new Error('kallsyms: too many chunks');
    this.#chunks = chunks;
  }

  static load(path = '/proc/kallsyms'): KernelSymbols {
    return new KernelSymbols(readChunks(path));
  }

  /** Read and parsed on a thread-pool thread, while this one goes on: a run with kernel stacks
   * loads and attaches meanwhile (run/session.ts). */
  static loadAsync(path = '/proc/kallsyms'): Promise<KernelSymbols> {
    return new Promise((resolve, reject) =>
      native().kallsymsLoad(path, (err, bytes, table) => {
        if (err) return reject(err);
        const k = new KernelSymbols(bytes);
        k.#t = table;
        resolve(k);
      }),
    );
  }

  /** Functions kallsyms did not list when it was read (this run's own BPF programs, loaded
   * after: BpfObject.programSymbols()). Looked up before the table. */
  addFunctions(functions: readonly { address: bigint; length: number; name: string }[]): void {
    for (const f of functions) this.#functions.push({ address: f.address, end: f.address + BigInt(f.length), name: f.name });
    this.#named.clear();
  }

  readonly #functions: { address: bigint; end: bigint; name: string }[] = [];

  #table(): Table {
    this.#t ??= native().kallsymsParse(this.#chunks);
    return this.#t;
  }

  get length(): number {
    return this.#table().hi.length;
  }

  #str(chunk: number, at: number, length: number): string {
    return Buffer.from(this.#chunks[chunk].buffer, this.#chunks[chunk].byteOffset + at, length).toString('latin1');
  }

  #nameOf(i: number): string {
    const t = this.#table();
    return this.#str(t.chunk[i], t.nameAt[i], t.nameLen[i]);
  }

  #index(): Map<string, number> {
    if (!this.#byName) {
      this.#byName = new Map();
      const n = this.#table().hi.length;
      for (let i = 0; i < n; i++) {
        const name = this.#nameOf(i);
        if (!this.#byName.has(name)) this.#byName.set(name, i);
      }
    }
    return this.#byName;
  }

  /** The index once it exists or enough look-ups were made; undefined: scan the text instead. */
  #namesForLookup(): Map<string, number> | undefined {
    if (this.#byName || ++this.#scans > SCANS_BEFORE_INDEX) return this.#index();
    return undefined;
  }

  /**
   * Text symbols (t/T/w/W, as the table keeps) whose name is `name` or starts with `name.`, in
   * file order, without parsing the table: each line is "address type name[\t[module]]".
   */
  #scan(name: string): string[] {
    const needle = Buffer.from(` ${name}`, 'latin1');
    const out: string[] = [];
    for (const b of this.#chunks) {
      const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
      for (let p = buf.indexOf(needle); p >= 0; p = buf.indexOf(needle, p + 1)) {
        // " name" must be the name field: preceded by "<space><type>".
        if (p < 2 || !isType(buf[p - 1]) || buf[p - 2] !== SPACE) continue;
        const start = p + 1;
        let stop = start + name.length;
        const next = stop < buf.length ? buf[stop] : NL;
        if (next !== NL && next !== TAB && next !== 0x2e /* . */) continue;
        while (stop < buf.length && buf[stop] !== NL && buf[stop] !== TAB && buf[stop] !== SPACE) stop++;
        out.push(buf.toString('latin1', start, stop));
      }
    }
    return out;
  }

  /** True when addresses are readable (kptr_restrict hides them as zeros for non-root). */
  get addressesVisible(): boolean {
    const t = this.#table();
    const last = t.hi.length - 1;
    return last >= 0 && (t.hi[last] !== 0 || t.lo[last] !== 0);
  }

  has(name: string): boolean {
    const names = this.#namesForLookup();
    return names ? names.has(name) : this.#scan(name).includes(name);
  }

  /** The symbol itself or its compiler clones, exact name first. */
  resolve(name: string): string[] {
    const out: string[] = [];
    const names = this.#namesForLookup();
    const candidates = names ? [...names.keys()] : [...new Set(this.#scan(name))];
    if (names ? names.has(name) : candidates.includes(name)) out.push(name);
    const clone = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(isra|constprop|part|cold|llvm)\\.?\\d*`);
    for (const n of candidates) if (n.length > name.length && n.startsWith(name) && clone.test(n)) out.push(n);
    return out;
  }

  #symbol(i: number): KernelSymbol {
    const t = this.#table();
    const sym: KernelSymbol = { address: (BigInt(t.hi[i]) << 32n) | BigInt(t.lo[i]), name: this.#nameOf(i) };
    if (t.moduleLen[i]) sym.module = this.#str(t.chunk[i], t.moduleAt[i], t.moduleLen[i]);
    return sym;
  }

  /** Names already made, by address: the drop sites and stack frames of a run are few and recur
   * with every event. Bounded, in case a run sees addresses without end. */
  readonly #named = new Map<bigint, string>();

  symbolize(address: bigint): string {
    let name = this.#named.get(address);
    if (name === undefined) {
      if (this.#named.size >= 65536) this.#named.clear();
      name = this.#lookup(address);
      this.#named.set(address, name);
    }
    return name;
  }

  #lookup(address: bigint): string {
    for (const f of this.#functions)
      if (address >= f.address && address < f.end) return `${f.name}+0x${(address - f.address).toString(16)}`;
    const { hi, lo } = this.#table();
    const aHi = Number(address >> 32n);
    const aLo = Number(address & 0xffffffffn);
    const le = (i: number) => hi[i] < aHi || (hi[i] === aHi && lo[i] <= aLo);
    let l = 0;
    let h = hi.length - 1;
    if (h < 0 || !le(0)) return `0x${address.toString(16)}`;
    while (l < h) {
      const mid = (l + h + 1) >> 1;
      if (le(mid)) l = mid;
      else h = mid - 1;
    }
    const s = this.#symbol(l);
    return `${s.name}+0x${(address - s.address).toString(16)}${s.module ? ` [${s.module}]` : ''}`;
  }
}

let shared: KernelSymbols | undefined;
export function kernelSymbols(): KernelSymbols {
  shared ??= KernelSymbols.load();
  return shared;
}

/** Makes `symbols` the table kernelSymbols() returns (one read ahead: KernelSymbols.loadAsync). */
export function useKernelSymbols(symbols: KernelSymbols): void {
  shared = symbols;
}

/** Forget the cached table: BPF programs loaded since then (their frames appear in stacks as
 * `bpf_prog_<tag>_<name>`) are only in a fresh read of kallsyms. Read again lazily on next use. */
export function refreshKernelSymbols(): void {
  shared = undefined;
}
