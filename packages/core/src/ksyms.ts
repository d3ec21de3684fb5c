// Kernel symbols from /proc/kallsyms: address → name+offset for stacks, and name look-ups that
// also find compiler clones (`name.isra.0`, `.constprop.N`, `.part.N`, `.cold`).
import { readFileSync } from 'node:fs';

export interface KernelSymbol {
  address: bigint;
  name: string;
  module?: string;
}

export class KernelSymbols {
  readonly #sorted: KernelSymbol[];
  readonly #byName = new Map<string, KernelSymbol>();

  constructor(text: string) {
    const list: KernelSymbol[] = [];
    for (const line of text.split('\n')) {
      const parts = line.split(/\s+/);
      if (parts.length < 3) continue;
      const type = parts[1].toLowerCase();
      if (type !== 't' && type !== 'w') continue;
      const sym: KernelSymbol = { address: BigInt(`0x${parts[0]}`), name: parts[2] };
      if (parts[3]) sym.module = parts[3].replace(/[[\]]/g, '');
      list.push(sym);
      if (!this.#byName.has(sym.name)) this.#byName.set(sym.name, sym);
    }
    this.#sorted = list.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  }

  static load(path = '/proc/kallsyms'): KernelSymbols {
    return new KernelSymbols(readFileSync(path, 'utf8'));
  }

  /** True when addresses are readable (kptr_restrict hides them as zeros for non-root). */
  get addressesVisible(): boolean {
    return this.#sorted.length > 0 && this.#sorted[this.#sorted.length - 1].address !== 0n;
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /** The symbol itself or its compiler clones, exact name first. */
  resolve(name: string): string[] {
    const out: string[] = [];
    if (this.#byName.has(name)) out.push(name);
    const clone = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(isra|constprop|part|cold|llvm)\\.?\\d*`);
    for (const n of this.#byName.keys()) if (clone.test(n)) out.push(n);
    return out;
  }

  symbolize(address: bigint): string {
    const list = this.#sorted;
    let lo = 0;
    let hi = list.length - 1;
    if (hi < 0 || address < list[0].address) return `0x${address.toString(16)}`;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (list[mid].address <= address) lo = mid;
      else hi = mid - 1;
    }
    const s = list[lo];
    const off = address - s.address;
    return `${s.name}+0x${off.toString(16)}${s.module ? ` [${s.module}]` : ''}`;
  }
}

let shared: KernelSymbols | undefined;
export function kernelSymbols(): KernelSymbols {
  shared ??= KernelSymbols.load();
  return shared;
}
