// Loads the compiled addon and describes every failed attempt with its remedy (as sharp does),
// instead of one opaque "module not found". An installed package loads the prebuilt binary it
// ships (prebuilds/<platform>-<arch>/, found by node-gyp-build); a checkout loads its own build.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { join } from 'node:path';
import { SetupError } from '../errors.js';
import { packageDir } from '../package-dir.js';

export interface NativeProgram {
  name: string;
  section: string;
  type: string;
  autoload: boolean;
}
export interface NativeMap {
  name: string;
  type: string;
  keySize: number;
  valueSize: number;
  maxEntries: number;
}
export interface NativeVar {
  name: string;
  offset: number;
  size: number;
}
/** kallsyms text symbols sorted by address: address halves, then each name's (and module's)
 * chunk and byte range (moduleLen 0: no module). */
export interface KallsymsTable {
  hi: Uint32Array;
  lo: Uint32Array;
  chunk: Uint16Array;
  nameAt: Uint32Array;
  nameLen: Uint16Array;
  moduleAt: Uint32Array;
  moduleLen: Uint16Array;
}

export type RingCallback = (bytes: Uint8Array, count: number, offsets: Uint32Array) => void;

/** The C++ surface: primitives and byte arrays in, primitives and byte arrays out. */
export interface NativeAddon {
  libbpfVersion(): string;
  openObject(bytes: Uint8Array, name: string, btfPath?: string): number;
  objectPrograms(obj: number): NativeProgram[];
  objectMaps(obj: number): NativeMap[];
  setAutoload(obj: number, prog: string, on: boolean): void;
  setAttachTarget(obj: number, prog: string, target: string): void;
  setMaxEntries(obj: number, map: string, n: number): void;
  setAutocreate(obj: number, map: string, on: boolean): void;
  setInitialBytes(obj: number, map: string, offset: number, bytes: Uint8Array): void;
  loadObject(obj: number): void;
  closeObject(obj: number): void;
  programFd(obj: number, prog: string): number;
  attach(obj: number, prog: string, kind: string, target?: string): number;
  destroyLink(link: number): void;
  /** synchronize_rcu() from user space (membarrier); false if the kernel refused it. */
  waitForRunningPrograms(): boolean;
  mapFd(obj: number, map: string): number;
  mapLookup(fd: number, key: Uint8Array, value: Uint8Array): boolean;
  mapUpdate(fd: number, key: Uint8Array, value: Uint8Array, flags: number): void;
  mapDelete(fd: number, key: Uint8Array): boolean;
  mapNextKey(fd: number, key: Uint8Array | null, next: Uint8Array): boolean;
  mapLookupBatch(
    fd: number,
    inBatch: Uint8Array | null,
    outBatch: Uint8Array,
    keys: Uint8Array,
    values: Uint8Array,
    count: number,
  ): { count: number; done: boolean };
  possibleCpus(): number;
  programStats(fd: number): { id: number; runTimeNs: number; runCount: number; recursionMisses: number };
  /** funcs: [address high 32 bits, low 32 bits, length] per JIT-compiled function. */
  programSymbols(fd: number): { tag: string; name: string; funcs: number[] };
  /** Text symbols of kallsyms text (chunks of whole lines), sorted by address (kernel/ksyms.ts). */
  kallsymsParse(chunks: Uint8Array[]): KallsymsTable;
  /** Reads and parses `path` on a thread-pool thread. */
  kallsymsLoad(path: string, cb: (err: Error | null, bytes: Uint8Array, table: KallsymsTable) => void): void;
  ringOpen(mapFd: number, cb: RingCallback): number;
  ringStart(ring: number, wakeOnData: boolean, timerMs: number): void;
  ringStop(ring: number): void;
  ringConsume(ring: number): void;
  ringStats(ring: number): { records: number; batches: number; wakeups: number } | undefined;
  ringClose(ring: number): void;
  perfOpen(mapFd: number, cb: RingCallback, pagesPerCpu: number): number;
  perfStart(perf: number, wakeOnData: boolean, timerMs: number): void;
  perfStop(perf: number): void;
  perfConsume(perf: number): void;
  perfStats(perf: number): { records: number; batches: number; wakeups: number; lost: number } | undefined;
  perfClose(perf: number): void;
  datasecVars(obj: number, section: string): NativeVar[];
  /** Parses a BTF file (split BTF on top of `base`, a handle) and keeps it until btfClose. */
  btfOpen(path: string, base?: number): number;
  /** Frees a parsed BTF; refused while a split BTF parsed on it is open. */
  btfClose(btf: number): void;
  btfEnum(btf: number, name: string): [string, number][] | null;
  btfHasType(btf: number, name: string, kind: 'struct' | 'func' | 'enum' | 'typedef'): boolean;
  mergeSplitBtf(basePath: string, splitPath: string, outPath: string): { baseTypes: number; moduleTypes: number };
  probeMapType(type: string): boolean;
  /** Loads a minimal tp_btf/fentry program for `target` (resolved in the parsed kernel BTF `btf`); throws the refusal. */
  probeTracing(btf: number, kind: 'tp_btf' | 'fentry', target: string): boolean;
}

let cached: NativeAddon | undefined;

/** What building the addon from source takes, for a host that has no prebuilt binary. */
const SOURCE_BUILD_NEEDS =
  'a source build needs a C++17 compiler (g++ or clang++), make, python3, libelf-dev and zlib1g-dev (headers), ' +
  'and the nettrace sources, which vendor libbpf: `npm start` in a clone builds ' +
  'packages/core/native/build/Release/nettrace_core.node; point NETTRACE_ADDON at that file';

export function native(): NativeAddon {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const failures: string[] = [];
  const attempt = (path: string): NativeAddon | undefined => {
    try {
      cached = require(path) as NativeAddon;
      return cached;
    } catch (err) {
      failures.push(`${path}: ${(err as Error).message.split('\n')[0]}`);
      return undefined;
    }
  };
  // NETTRACE_ADDON first (an explicit choice), then a checkout's fresh build, then the prebuilt one.
  const chosen = process.env.NETTRACE_ADDON;
  if (chosen && !existsSync(chosen)) failures.push(`${chosen} (NETTRACE_ADDON): no such file`);
  for (const path of [chosen, join(packageDir, 'native/build/Release/nettrace_core.node')]) {
    const addon = path && existsSync(path) ? attempt(path) : undefined;
    if (addon) return addon;
  }
  let prebuilt: string | undefined;
  try {
    const nodeGypBuild = require('node-gyp-build') as { resolve(dir: string): string };
    prebuilt = nodeGypBuild.resolve(packageDir);
  } catch (err) {
    // node-gyp-build's first line names the host it looked for (platform, arch, abi, libc).
    failures.push(
      `${join(packageDir, 'prebuilds')}: no prebuilt addon for ${platform()}-${arch()} (${(err as Error).message.split('\n')[0]})`,
    );
  }
  const addon = prebuilt ? attempt(prebuilt) : undefined;
  if (addon) return addon;
  throw new SetupError(
    `@nettrace/core could not load its native addon.\n  ${failures.join('\n  ')}\n` +
      '  a "libelf.so.1" or "libz.so.1" error means: apt-get install libelf1 zlib1g;\n' +
      `  ${SOURCE_BUILD_NEEDS}`,
  );
}
