// The running kernel's BTF as one explicit value: where its types come from (sysfs, or a file
// given with --btf / NETTRACE_BTF) and the parsed copies that the planner, the feature probes and
// kernel-enum look-ups share. There is no process-wide "BTF in use": a run or a command makes one
// KernelBtf and hands it to whatever needs types. It also decides when parsed copies are freed
// (release() before a load: libbpf parses its own, and the two need not sit in memory together).
import { existsSync } from 'node:fs';
import { release } from 'node:os';
import { native } from '../bpf/native.js';
import { call, KernelSupportError, UsageError } from '../errors.js';

/** The running kernel's own BTF: type IDs of attach targets (fentry, tp_btf) are its IDs. */
export const SYSFS_VMLINUX = '/sys/kernel/btf/vmlinux';
const SYSFS_BTF = '/sys/kernel/btf/';

/** Where an external BTF file was named: the flag or the environment variable. */
export type BtfOrigin = '--btf' | 'NETTRACE_BTF';

export type BtfSource = { kind: 'sysfs'; path: string } | { kind: 'file'; path: string; origin: BtfOrigin } | { kind: 'none' };

export type BtfTypeKind = 'struct' | 'func' | 'enum' | 'typedef';

export class KernelBtf {
  readonly #handles = new Map<string, number>();
  readonly #answers = new Map<string, unknown>();

  constructor(readonly source: BtfSource) {}

  /** The file whose types describe the running kernel (undefined: the kernel publishes none and
   * none was given). */
  get path(): string | undefined {
    return this.source.kind === 'none' ? undefined : this.source.path;
  }

  /** The external file (--btf / NETTRACE_BTF): libbpf relocates CO-RE reads against it. */
  get external(): string | undefined {
    return this.source.kind === 'file' ? this.source.path : undefined;
  }

  /** Whether `name` of `kind` is in the kernel's types, or in `module`'s own BTF (sysfs). */
  hasType(name: string, kind: BtfTypeKind, module?: string): boolean {
    const files = [this.path, module ? `${SYSFS_BTF}${module}` : undefined];
    return files.some((f) => f !== undefined && existsSync(f) && native().btfHasType(this.#parsed(f), name, kind));
  }

  /** The members of a kernel enum, or null when the types have no such enum (undefined: no BTF).
   * Asked once per enum, possibly after release(): a copy parsed only for it is freed at once
   * rather than kept (~10 MB). */
  enumMembers(name: string, module?: string): [string, number][] | null | undefined {
    const moduleFile = module ? `${SYSFS_BTF}${module}` : undefined;
    // A module's own enum: its sysfs BTF, split over vmlinux's. An external file (--btf) holds the
    // module types merged in (`nettrace btf build`), so it is searched as it is.
    if (moduleFile && this.source.kind === 'sysfs' && existsSync(moduleFile)) return this.#moduleEnum(moduleFile, name);
    const path = this.path;
    if (!path || !existsSync(path)) return undefined;
    const kept = this.#handles.get(path);
    const handle = kept ?? call(() => native().btfOpen(path));
    try {
      return call(() => native().btfEnum(handle, name));
    } finally {
      if (kept === undefined) native().btfClose(handle);
    }
  }

  #moduleEnum(file: string, name: string): [string, number][] | null {
    const keptBase = this.#handles.get(SYSFS_VMLINUX);
    const base = keptBase ?? call(() => native().btfOpen(SYSFS_VMLINUX));
    try {
      const handle = call(() => native().btfOpen(file, base));
      try {
        return call(() => native().btfEnum(handle, name));
      } finally {
        native().btfClose(handle);
      }
    } finally {
      if (keptBase === undefined) native().btfClose(base);
    }
  }

  /** `compute()` once per key for this BTF: answers about its types that reports ask again and
   * again (kernel enums). */
  memo<T>(key: string, compute: () => T): T {
    if (!this.#answers.has(key)) this.#answers.set(key, compute());
    return this.#answers.get(key) as T;
  }

  /** The running kernel's own BTF, parsed (undefined when sysfs has none): tracing programs are
   * probed against it whatever file CO-RE uses. */
  sysfsHandle(): number | undefined {
    return existsSync(SYSFS_VMLINUX) ? this.#parsed(SYSFS_VMLINUX) : undefined;
  }

  /** Frees every parsed copy (they are parsed again if asked). Module BTF first: it was parsed
   * on top of vmlinux's. */
  release(): void {
    const order = [...this.#handles].sort(([a], [b]) => Number(a === SYSFS_VMLINUX) - Number(b === SYSFS_VMLINUX));
    for (const [, handle] of order) native().btfClose(handle);
    this.#handles.clear();
  }

  [Symbol.dispose](): void {
    this.release();
  }

  #parsed(path: string): number {
    const known = this.#handles.get(path);
    if (known !== undefined) return known;
    // A module's BTF under /sys/kernel/btf is split BTF over the running kernel's vmlinux BTF.
    const base = path.startsWith(SYSFS_BTF) && path !== SYSFS_VMLINUX ? this.#parsed(SYSFS_VMLINUX) : undefined;
    const handle = call(() => native().btfOpen(path, base));
    this.#handles.set(path, handle);
    return handle;
  }
}

/**
 * The kernel BTF a run or command uses: `file` (checked to exist) when given, else sysfs's, else
 * none. `origin` names where the file came from in the error.
 */
export function kernelBtf(file?: string, origin: BtfOrigin = '--btf'): KernelBtf {
  if (file) {
    if (!existsSync(file)) throw new UsageError(`${origin}: no such file: ${file}`);
    return new KernelBtf({ kind: 'file', path: file, origin });
  }
  return new KernelBtf(existsSync(SYSFS_VMLINUX) ? { kind: 'sysfs', path: SYSFS_VMLINUX } : { kind: 'none' });
}

/** The kernel BTF of commands that take no --btf (doctor, info, list, verify): NETTRACE_BTF or sysfs. */
export function kernelBtfFromEnv(env: NodeJS.ProcessEnv = process.env): KernelBtf {
  return kernelBtf(env.NETTRACE_BTF, 'NETTRACE_BTF');
}

/** CO-RE needs the kernel's types: sysfs BTF, or an external file given with --btf. */
export function requireKernelBtf(btf: KernelBtf): void {
  if (btf.source.kind !== 'none') return;
  throw new KernelSupportError(
    `this kernel (${release()}) does not publish its BTF (/sys/kernel/btf/vmlinux is missing)`,
    "pass --btf <file> (or set NETTRACE_BTF) with the BTF of this exact kernel: a vmlinux ELF with a .BTF section, or a raw BTF file (e.g. from the distribution's debug package, or `pahole --btf_encode_detached`)",
  );
}
