// Typed access to a BPF map. Per-CPU maps return one value slice per possible CPU (each padded to
// 8 bytes by the kernel); reusable buffers keep iteration allocation-light.

import { call } from '../errors.js';
import { type NativeMap, native } from './native.js';

const PERCPU = /percpu/;
let cpus: number | undefined;
export function possibleCpus(): number {
  cpus ??= native().possibleCpus();
  return cpus;
}

export class BpfMap {
  readonly name: string;
  readonly type: string;
  readonly keySize: number;
  readonly valueSize: number;
  readonly maxEntries: number;
  readonly perCpu: boolean;
  /** Bytes of a lookup result: valueSize, or roundup(valueSize, 8) × CPUs for per-CPU maps. */
  readonly valueBytes: number;

  constructor(
    info: NativeMap,
    readonly fd: number,
  ) {
    this.name = info.name;
    this.type = info.type;
    this.keySize = info.keySize;
    this.valueSize = info.valueSize;
    this.maxEntries = info.maxEntries;
    this.perCpu = PERCPU.test(info.type);
    this.valueBytes = this.perCpu ? Math.ceil(this.valueSize / 8) * 8 * possibleCpus() : this.valueSize;
  }

  lookup(key: Uint8Array): Uint8Array | undefined {
    const out = new Uint8Array(this.valueBytes);
    return call(() => native().mapLookup(this.fd, key, out)) ? out : undefined;
  }

  update(key: Uint8Array, value: Uint8Array, flags = 0): void {
    call(() => native().mapUpdate(this.fd, key, value, flags));
  }

  delete(key: Uint8Array): boolean {
    return call(() => native().mapDelete(this.fd, key));
  }

  *keys(): Generator<Uint8Array> {
    let prev: Uint8Array | null = null;
    for (;;) {
      const next = new Uint8Array(this.keySize);
      if (!call(() => native().mapNextKey(this.fd, prev, next))) return;
      yield next;
      prev = next;
    }
  }

  #batchUnsupported = false;

  /** Snapshot of all entries: batched (one syscall per 256 entries) where the kernel supports it
   * for this map type, key-by-key otherwise. */
  entries(): [Uint8Array, Uint8Array][] {
    if (!this.#batchUnsupported && /hash/.test(this.type)) {
      try {
        return this.#entriesBatched();
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOTSUPP') throw err;
        this.#batchUnsupported = true;
      }
    }
    return this.#entriesByKey();
  }

  #entriesBatched(): [Uint8Array, Uint8Array][] {
    const n = 256;
    const keys = new Uint8Array(this.keySize * n);
    const values = new Uint8Array(this.valueBytes * n);
    const out: [Uint8Array, Uint8Array][] = [];
    let cursor: Uint8Array | null = null;
    for (;;) {
      const next = new Uint8Array(Math.max(this.keySize, 8));
      const r = call(() => native().mapLookupBatch(this.fd, cursor, next, keys, values, n));
      for (let i = 0; i < r.count; i++)
        out.push([keys.slice(i * this.keySize, (i + 1) * this.keySize), values.slice(i * this.valueBytes, (i + 1) * this.valueBytes)]);
      if (r.done) return out;
      cursor = next;
    }
  }

  /** Key-by-key snapshot (keys first, so entries added meanwhile do not loop forever). */
  #entriesByKey(): [Uint8Array, Uint8Array][] {
    const out: [Uint8Array, Uint8Array][] = [];
    for (const key of [...this.keys()]) {
      const value = this.lookup(key);
      if (value) out.push([key, value]);
    }
    return out;
  }

  /** Splits a per-CPU lookup result into one DataView per CPU. */
  perCpuViews(value: Uint8Array): DataView[] {
    const stride = Math.ceil(this.valueSize / 8) * 8;
    return Array.from({ length: possibleCpus() }, (_, i) => new DataView(value.buffer, value.byteOffset + i * stride, this.valueSize));
  }

  /** Sum of the u64 at `offset` over CPUs (per-CPU counters) or the plain u64 value. */
  sumU64(value: Uint8Array, offset = 0): number {
    const views = this.perCpu ? this.perCpuViews(value) : [new DataView(value.buffer, value.byteOffset, this.valueSize)];
    let total = 0;
    for (const v of views) total += v.getUint32(offset, true) + v.getUint32(offset + 4, true) * 4294967296;
    return total;
  }

  clear(): void {
    for (const key of [...this.keys()]) this.delete(key);
  }
}

/**
 * Reads the per-CPU counters of bpf-headers/nettrace/counters.bpf.h: `names[i]` is counter i,
 * summed over CPUs. With `clear`, each counter is reset after it is read (interval reports).
 */
export function readCounters<N extends string>(map: BpfMap, names: readonly N[], clear = false): Record<N, number> {
  const out = {} as Record<N, number>;
  names.forEach((name, i) => {
    const key = new Uint8Array(new Uint32Array([i]).buffer);
    const v = map.lookup(key);
    out[name] = v ? map.sumU64(v) : 0;
    if (clear) map.update(key, new Uint8Array(map.valueBytes));
  });
  return out;
}
