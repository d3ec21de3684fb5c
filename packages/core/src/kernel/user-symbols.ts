// User-space stack frames named `function+0xoff [module]`: the address is placed in a mapping of
// /proc/PID/maps, turned into an offset in the mapped file, then into an ELF virtual address
// (through the file's PT_LOAD segments) and looked up in its function symbols (elf-symbols.ts).
// Files are read through /proc/PID/root (a container's files, as the process sees them) and cached
// per (device, inode), so a library mapped by many processes is parsed once. A frame in a file
// without a matching symbol is `module+0xfileoffset` (for addr2line); one outside any file mapping
// (JIT code, an exited process) is `[unknown]`, as in BCC.
import { readFileSync } from 'node:fs';
import { type ElfSymbols, readElfSymbols } from './elf-symbols.js';

export type UserMapping = { lo: bigint; hi: bigint; offset: bigint; dev: string; inode: string; path: string };

const MAPS_LINE = /^([0-9a-f]+)-([0-9a-f]+) \S+ ([0-9a-f]+) ([0-9a-f]+:[0-9a-f]+) (\d+)\s*(.*)$/;

/** The file-backed mappings of a process; empty when it has exited (or is not readable). */
export function readUserMappings(pid: number, readMaps: (pid: number) => string): UserMapping[] {
  let text: string;
  try {
    text = readMaps(pid);
  } catch {
    return [];
  }
  const out: UserMapping[] = [];
  for (const line of text.split('\n')) {
    const m = MAPS_LINE.exec(line);
    if (!m) continue;
    out.push({ lo: BigInt(`0x${m[1]}`), hi: BigInt(`0x${m[2]}`), offset: BigInt(`0x${m[3]}`), dev: m[4], inode: m[5], path: m[6] });
  }
  return out;
}

export const UNKNOWN_FRAME = '[unknown]';

/** Names user stack frames; keep one per run (its file cache lives as long as it does). */
export class UserSymbols {
  readonly #files = new Map<string, ElfSymbols>();
  /** Mappings by pid, read once per report (`forget()`), kept when the process exits meanwhile. */
  readonly #maps = new Map<number, UserMapping[]>();

  constructor(
    private readonly readMaps: (pid: number) => string = (pid) => readFileSync(`/proc/${pid}/maps`, 'utf8'),
    private readonly readElf: (pid: number, path: string) => ElfSymbols = (pid, path) => readElfSymbols(`/proc/${pid}/root${path}`),
  ) {}

  /** Re-read mappings on the next symbolize() of each process (call at each report): processes
   * map and unmap libraries. Mappings of processes that have exited since are kept. */
  forget(): void {
    this.#fresh.clear();
  }
  readonly #fresh = new Set<number>();

  #mappings(pid: number): UserMapping[] {
    if (!this.#fresh.has(pid)) {
      this.#fresh.add(pid);
      const now = readUserMappings(pid, this.readMaps);
      if (now.length > 0 || !this.#maps.has(pid)) this.#maps.set(pid, now);
    }
    return this.#maps.get(pid) ?? [];
  }

  /** One frame of process `pid`. */
  symbolize(pid: number, ip: bigint): string {
    const m = this.#mappings(pid).find((x) => ip >= x.lo && ip < x.hi);
    if (!m || m.inode === '0' || !m.path.startsWith('/')) return UNKNOWN_FRAME;
    const module = m.path.split('/').pop() as string;
    const fileOffset = ip - m.lo + m.offset;
    const key = `${m.dev}:${m.inode}`;
    let elf = this.#files.get(key);
    if (!elf) this.#files.set(key, (elf = this.readElf(pid, m.path.replace(/ \(deleted\)$/, ''))));
    const sym = elf.symbolAt(Number(fileOffset));
    return sym ? `${sym.name}+0x${sym.offset.toString(16)} [${module}]` : `${module}+0x${fileOffset.toString(16)}`;
  }

  /** A stack (innermost first) of process `pid`. */
  stack(pid: number, ips: readonly bigint[]): string[] {
    return ips.map((ip) => this.symbolize(pid, ip));
  }
}
