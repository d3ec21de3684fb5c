// Helpers the generated decoders (`*.gen.ts`) call, and the layout type they export.

export interface StructLayout<T> {
  readonly name: string;
  readonly size: number;
  /** A fresh object per call (keep it as long as you like). */
  decode(view: DataView, offset: number): T;
  /** A zeroed object for decodeInto (generated layouts have it). */
  create?(): T;
  /** Decodes into `target` in place, allocation-free: for aggregating consumers that keep nothing. */
  decodeInto?(target: T, view: DataView, offset: number): T;
}

const TWO_32 = 4294967296;

/** u64 as a Number (exact below 2^53: counters, byte totals, nanosecond timestamps). */
export function readU64(v: DataView, o: number): number {
  return v.getUint32(o, true) + v.getUint32(o + 4, true) * TWO_32;
}

/** A map value that is one u64 (a counter), e.g. for ctx.entries() of a per-CPU hash. */
export const U64Layout: StructLayout<number> = { name: 'u64', size: 8, decode: readU64 };
/** A map key or value that is one u32. */
export const U32Layout: StructLayout<number> = { name: 'u32', size: 4, decode: (v, o) => v.getUint32(o, true) };

export function readS64(v: DataView, o: number): number {
  return v.getUint32(o, true) + v.getInt32(o + 4, true) * TWO_32;
}

const decoder = new TextDecoder();

/** A NUL-terminated char array (task comm, interface name). */
export function readCString(v: DataView, o: number, max: number): string {
  // Short ASCII names (comm, ifname: 16 bytes) are built directly: TextDecoder's call costs more
  // than the decoding at event rates. Anything else goes through it.
  let text = '';
  for (let i = 0; i < max; i++) {
    const c = v.getUint8(o + i);
    if (c === 0) return text;
    if (c > 0x7f || i >= 32) break;
    text += String.fromCharCode(c);
  }
  const bytes = new Uint8Array(v.buffer, v.byteOffset + o, max);
  const end = bytes.indexOf(0);
  return decoder.decode(end < 0 ? bytes : bytes.subarray(0, end));
}

/** A copy of a byte array field (addresses): the source view may be a borrowed ring buffer. */
export function readBytes(v: DataView, o: number, n: number): Uint8Array {
  // A copy (the record's memory is reused): a small typed array lives on the JS heap, where
  // ArrayBuffer.slice() would allocate an external buffer per field (GC pressure at event rates).
  const out = new Uint8Array(n);
  out.set(new Uint8Array(v.buffer, v.byteOffset + o, n));
  return out;
}

/** Encodes little-endian unsigned integers of `size` bytes (map keys, rodata values). */
export function encodeUint(value: number | bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let v = BigInt(value);
  for (let i = 0; i < size; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}
