// Function symbols of one ELF file (an executable or shared library a process maps), for naming
// user-space stack frames: .symtab, .dynsym and the .symtab inside .gnu_debugdata (the
// "MiniDebugInfo" some distributions ship: an xz-compressed small ELF holding the symbols that
// stripping removed). Only the headers, the symbol tables and their string tables are read, never
// the whole file (node's own binary is ~100 MB). ELF64 little-endian only; anything else yields
// no symbols (frames are then named module+offset).
import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';

const SHT_SYMTAB = 2;
const SHT_DYNSYM = 11;
const PT_LOAD = 1;
const STT_FUNC = 2;
const STT_GNU_IFUNC = 10;

/** Reads byte ranges of one ELF image (a file on disk, or a decompressed buffer). */
type Reader = (offset: number, length: number) => Buffer;

type LoadSegment = { offset: number; vaddr: number; filesz: number };

/** Sorted function symbols: start address, size, and the name's position in the string table
 * (decoded only when a frame needs it: node's own binary has ~150k symbols). */
class SymbolTable {
  constructor(
    readonly start: Float64Array,
    readonly size: Float64Array,
    private readonly nameAt: Uint32Array,
    private readonly strtab: Buffer,
  ) {}

  get length(): number {
    return this.start.length;
  }

  name(i: number): string {
    const at = this.nameAt[i];
    const end = this.strtab.indexOf(0, at);
    return this.strtab.toString('utf8', at, end < 0 ? this.strtab.length : end);
  }

  /** Every name (tests). */
  names(): string[] {
    return Array.from({ length: this.length }, (_, i) => this.name(i));
  }

  /** The function containing `vaddr` (or, for symbols of size 0, the nearest one below it). */
  find(vaddr: number): { name: string; offset: number } | undefined {
    let lo = 0;
    let hi = this.start.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.start[mid] <= vaddr) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (at < 0) return undefined;
    // Several symbols may start at one address (aliases): take the first with a size covering it.
    for (let i = at; i >= 0 && this.start[i] === this.start[at]; i--) {
      if (this.size[i] === 0 || vaddr < this.start[i] + this.size[i]) return { name: this.name(i), offset: vaddr - this.start[i] };
    }
    return undefined;
  }
}

/** An ELF file's load segments and function symbols. */
export class ElfSymbols {
  constructor(
    private readonly segments: LoadSegment[],
    readonly tables: readonly SymbolTable[],
  ) {}

  /** True when the file had any function symbol (in any of the three tables). */
  get hasSymbols(): boolean {
    return this.tables.some((t) => t.length > 0);
  }

  /** The ELF virtual address of a file offset (as /proc/PID/maps gives it), through PT_LOAD. */
  vaddrOf(fileOffset: number): number | undefined {
    const s = this.segments.find((x) => fileOffset >= x.offset && fileOffset < x.offset + x.filesz);
    return s ? fileOffset - s.offset + s.vaddr : undefined;
  }

  /** The function containing a file offset, with the offset into it. */
  symbolAt(fileOffset: number): { name: string; offset: number } | undefined {
    const vaddr = this.vaddrOf(fileOffset);
    if (vaddr === undefined) return undefined;
    let best: { name: string; offset: number } | undefined;
    for (const t of this.tables) {
      const hit = t.find(vaddr);
      if (hit && (!best || hit.offset < best.offset)) best = hit;
    }
    return best;
  }
}

const EMPTY = new ElfSymbols([], []);

/** xz decompression (@napi-rs/lzma, a prebuilt binding), loaded on the first .gnu_debugdata: a host
 * where it cannot load (no prebuilt binary for the platform, or npm skipped the optional
 * dependency) still names frames from .symtab/.dynsym. */
let unxz: ((data: Buffer) => Buffer) | null | undefined;
function xzDecompressor(): ((data: Buffer) => Buffer) | null {
  if (unxz === undefined) {
    try {
      const { xz } = createRequire(import.meta.url)('@napi-rs/lzma') as typeof import('@napi-rs/lzma');
      unxz = (data) => xz.decompressSync(data);
    } catch {
      unxz = null;
    }
  }
  return unxz;
}

function u64(b: Buffer, o: number): number {
  return Number(b.readBigUInt64LE(o));
}

/** Parses an ELF image through `read`; `debugdata` says whether to follow .gnu_debugdata. */
function parse(read: Reader, debugdata: boolean): ElfSymbols {
  const eh = read(0, 64);
  // \x7fELF, ELFCLASS64, ELFDATA2LSB
  if (eh.length < 64 || eh.readUInt32BE(0) !== 0x7f454c46 || eh[4] !== 2 || eh[5] !== 1) return EMPTY;
  const phoff = u64(eh, 0x20);
  const shoff = u64(eh, 0x28);
  const phentsize = eh.readUInt16LE(0x36);
  const phnum = eh.readUInt16LE(0x38);
  const shentsize = eh.readUInt16LE(0x3a);
  const shnum = eh.readUInt16LE(0x3c);
  const shstrndx = eh.readUInt16LE(0x3e);

  const segments: LoadSegment[] = [];
  const ph = read(phoff, phentsize * phnum);
  for (let i = 0; i + 1 <= phnum && (i + 1) * phentsize <= ph.length; i++) {
    const o = i * phentsize;
    if (ph.readUInt32LE(o) === PT_LOAD) segments.push({ offset: u64(ph, o + 8), vaddr: u64(ph, o + 16), filesz: u64(ph, o + 32) });
  }

  type Section = { name: number; type: number; offset: number; size: number; link: number; entsize: number };
  const sh = read(shoff, shentsize * shnum);
  const sections: Section[] = [];
  for (let i = 0; (i + 1) * shentsize <= sh.length && shentsize >= 64; i++) {
    const o = i * shentsize;
    sections.push({
      name: sh.readUInt32LE(o),
      type: sh.readUInt32LE(o + 4),
      offset: u64(sh, o + 24),
      size: u64(sh, o + 32),
      link: sh.readUInt32LE(o + 40),
      entsize: u64(sh, o + 56),
    });
  }
  const shstr = sections[shstrndx] ? read(sections[shstrndx].offset, sections[shstrndx].size) : Buffer.alloc(0);
  const nameOf = (s: Section) => shstr.toString('latin1', s.name, shstr.indexOf(0, s.name));

  const tables: SymbolTable[] = [];
  // .symtab holds the .dynsym functions too: read .dynsym only when there is no .symtab (half the
  // work for node's binary, whose tables hold ~150k symbols).
  const wanted = sections.some((s) => s.type === SHT_SYMTAB) ? SHT_SYMTAB : SHT_DYNSYM;
  for (const s of sections) {
    if (s.type !== wanted || !sections[s.link]) continue;
    tables.push(symbolTable(read(s.offset, s.size), read(sections[s.link].offset, sections[s.link].size), s.entsize || 24));
  }
  if (debugdata) {
    const dd = sections.find((s) => nameOf(s) === '.gnu_debugdata');
    const decompress = dd && xzDecompressor();
    if (dd && decompress) {
      try {
        const mini = decompress(read(dd.offset, dd.size));
        const buf = Buffer.from(mini.buffer, mini.byteOffset, mini.byteLength);
        // The mini ELF has no PT_LOAD of its own worth trusting: its symbols share the outer vaddrs.
        tables.push(...parse((o, n) => buf.subarray(o, o + n), false).tables);
      } catch {
        // corrupt or unsupported compression: the other tables still name what they can
      }
    }
  }
  return new ElfSymbols(segments, tables);
}

function symbolTable(syms: Buffer, strtab: Buffer, entsize: number): SymbolTable {
  const n = Math.floor(syms.length / entsize);
  const start = new Float64Array(n);
  const size = new Float64Array(n);
  const nameAt = new Uint32Array(n);
  const v = new DataView(syms.buffer, syms.byteOffset, syms.byteLength);
  let kept = 0;
  for (let o = 0; o + 24 <= syms.length; o += entsize) {
    const type = syms[o + 4] & 0xf;
    if ((type !== STT_FUNC && type !== STT_GNU_IFUNC) || v.getUint16(o + 6, true) === 0) continue;
    const at = v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296;
    if (at === 0) continue;
    start[kept] = at;
    size[kept] = v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296;
    nameAt[kept++] = v.getUint32(o, true);
  }
  const order = new Uint32Array(kept);
  for (let i = 0; i < kept; i++) order[i] = i;
  order.sort((a, b) => start[a] - start[b]);
  const sortedStart = new Float64Array(kept);
  const sortedSize = new Float64Array(kept);
  const sortedName = new Uint32Array(kept);
  for (let i = 0; i < kept; i++) {
    sortedStart[i] = start[order[i]];
    sortedSize[i] = size[order[i]];
    sortedName[i] = nameAt[order[i]];
  }
  return new SymbolTable(sortedStart, sortedSize, sortedName, strtab);
}

/** The symbols of the ELF file at `path`; none (not an error) when it cannot be read or parsed. */
export function readElfSymbols(path: string): ElfSymbols {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const file = fd;
    return parse((offset, length) => {
      const b = Buffer.alloc(length);
      const n = readSync(file, b, 0, length, offset);
      return b.subarray(0, n);
    }, true);
  } catch {
    return EMPTY;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** For tests: symbols of an ELF image held in memory. */
export function parseElfSymbols(image: Buffer): ElfSymbols {
  return parse((o, n) => image.subarray(o, o + n), true);
}
