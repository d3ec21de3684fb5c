// Kernel symbols from /proc/kallsyms: address → name+offset for stacks, and name look-ups that
// also find compiler clones (`name.isra.0`, `.constprop.N`, `.part.N`, `.cold`).
//
// Compact: ~120k symbols are kept as typed arrays of addresses (two u32 halves) and positions in
// the kallsyms text itself (read in 1 MiB chunks, each kept as is: no concatenated copy), not as
// one object, BigInt and string per symbol (that took ~55 MB of RSS and 150-300 ms). The name
// index is built only when a name look-up is asked for.
import { closeSync, openSync, readSync } from 'node:fs';

export interface KernelSymbol {
  address: bigint;
  name: string;
  module?: string;
}

const NL = 0x0a;
const SPACE = 0x20;
const TAB = 0x09;
const CHUNK = 1 << 20;

function hexValue(c: number): number {
  return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57;
}

/** Parsed symbols in file order, growing as chunks are added. */
class Collector {
  n = 0;
  hi = new Uint32Array(1 << 17);
  lo = new Uint32Array(1 << 17);
  chunk = new Uint16Array(1 << 17);
  nameAt = new Uint32Array(1 << 17);
  nameLen = new Uint16Array(1 << 17);
  moduleAt = new Uint32Array(1 << 17);
  moduleLen = new Uint16Array(1 << 17); // 0: no module

  #grow(): void {
    const grow = <T extends Uint32Array | Uint16Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(a.length * 2);
      b.set(a);
      return b;
    };
    this.hi = grow(this.hi);
    this.lo = grow(this.lo);
    this.chunk = grow(this.chunk);
    this.nameAt = grow(this.nameAt);
    this.nameLen = grow(this.nameLen);
    this.moduleAt = grow(this.moduleAt);
    this.moduleLen = grow(this.moduleLen);
  }

  /** Parses the complete lines of `b` (chunk number `index`). */
  add(b: Uint8Array, index: number): void {
    for (let pos = 0; pos < b.length; ) {
      let end = b.indexOf(NL, pos);
      if (end < 0) end = b.length;
      // "ffffffff81000000 T _stext" or "ffffffffc0a01000 t foo\t[module]"
      let sp = pos;
      while (sp < end && b[sp] !== SPACE) sp++;
      const type = b[sp + 1] | 0x20; // lower case
      if (sp > pos && sp + 3 < end && (type === 0x74 /* t */ || type === 0x77) /* w */ && b[sp + 2] === SPACE) {
        if (this.n === this.hi.length) this.#grow();
        const n = this.n++;
        // 64-bit hex as two 32-bit halves: the last 8 digits are the low half (each half stays
        // an exact small integer: no 64-bit arithmetic per digit).
        const split = Math.max(pos, sp - 8);
        let h = 0;
        let l = 0;
        for (let i = pos; i < split; i++) h = h * 16 + hexValue(b[i]);
        for (let i = split; i < sp; i++) l = l * 16 + hexValue(b[i]);
        this.hi[n] = h;
        this.lo[n] = l;
        this.chunk[n] = index;
        const start = sp + 3;
        let stop = start;
        while (stop < end && b[stop] !== SPACE && b[stop] !== TAB) stop++;
        this.nameAt[n] = start;
        this.nameLen[n] = stop - start;
        this.moduleLen[n] = 0;
        if (stop + 1 < end && b[stop] === TAB && b[stop + 1] === 0x5b /* [ */) {
          let close = stop + 2;
          while (close < end && b[close] !== 0x5d /* ] */) close++;
          this.moduleAt[n] = stop + 2;
          this.moduleLen[n] = close - stop - 2;
        }
      }
      pos = end + 1;
    }
  }
}

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

/** Symbol numbers in address order. When the high halves are all equal (kernel text), each key is
 * the low half and the number packed into one double (low x 2^21 + number < 2^53: exact), sorted
 * natively: a comparator sort of ~120k symbols cost ~40 ms of every start with stacks. */
function sortedOrder(c: Collector): Uint32Array {
  const n = c.n;
  const order = new Uint32Array(n);
  const NUMBER_BITS = 2 ** 21;
  let oneHi = true; // kernel text always shares the high half
  for (let i = 1; i < n && oneHi; i++) oneHi = c.hi[i] === c.hi[0];
  if (oneHi && n <= NUMBER_BITS) {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = c.lo[i] * NUMBER_BITS + i;
    keys.sort();
    for (let i = 0; i < n; i++) order[i] = keys[i] % NUMBER_BITS;
    return order;
  }
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => c.hi[a] - c.hi[b] || c.lo[a] - c.lo[b]);
  return order;
}

/** The parsed table, sorted by address: high and low 32 bits, then where the name (and module) are. */
interface Table {
  hi: Uint32Array;
  lo: Uint32Array;
  chunk: Uint16Array;
  nameAt: Uint32Array;
  nameLen: Uint16Array;
  moduleAt: Uint32Array;
  moduleLen: Uint16Array;
}

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

  #table(): Table {
    if (this.#t) return this.#t;
    const c = new Collector();
    for (const [i, chunk] of this.#chunks.entries()) c.add(chunk, i);
    const n = c.n;
    const order = sortedOrder(c);
    const t: Table = {
      hi: new Uint32Array(n),
      lo: new Uint32Array(n),
      chunk: new Uint16Array(n),
      nameAt: new Uint32Array(n),
      nameLen: new Uint16Array(n),
      moduleAt: new Uint32Array(n),
      moduleLen: new Uint16Array(n),
    };
    // One plain loop: TypedArray.map/from with a callback cost ~30 ms here.
    for (let k = 0; k < n; k++) {
      const i = order[k];
      t.hi[k] = c.hi[i];
      t.lo[k] = c.lo[i];
      t.chunk[k] = c.chunk[i];
      t.nameAt[k] = c.nameAt[i];
      t.nameLen[k] = c.nameLen[i];
      t.moduleAt[k] = c.moduleAt[i];
      t.moduleLen[k] = c.moduleLen[i];
    }
    this.#t = t;
    return t;
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

/** Forget the cached table: BPF programs loaded since then (their frames appear in stacks as
 * `bpf_prog_<tag>_<name>`) are only in a fresh read of kallsyms. Read again lazily on next use. */
export function refreshKernelSymbols(): void {
  shared = undefined;
}
