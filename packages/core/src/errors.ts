// Errors users see. UsageError → exit 2 (the user can fix the command line); BpfError and
// KernelSupportError → exit 1 with a hint that says what to do.
import { constants } from 'node:os';

export class UsageError extends Error {
  override name = 'UsageError';
}

/** The running kernel cannot do what a plugin needs (missing hook, feature, BTF, privilege). */
export class KernelSupportError extends Error {
  override name = 'KernelSupportError';
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** nettrace itself is not installed right (addon not built, missing shared library). */
export class SetupError extends Error {
  override name = 'SetupError';
}

const errnoNames = new Map<number, string>(Object.entries(constants.errno).map(([k, v]) => [v, k]));

/** libbpf's own error numbers (libbpf.h LIBBPF_ERRNO__*): its name and what it means. */
export const LIBBPF_ERRORS: Record<number, [string, string]> = {
  4000: ['LIBBPF_ERRNO__LIBELF', 'libelf could not read it'],
  4001: ['LIBBPF_ERRNO__FORMAT', 'not a valid ELF/BPF object'],
  4002: ['LIBBPF_ERRNO__KVERSION', 'bad kernel version section'],
  4003: ['LIBBPF_ERRNO__ENDIAN', 'built for the other byte order'],
  4004: ['LIBBPF_ERRNO__INTERNAL', 'libbpf internal error'],
  4005: ['LIBBPF_ERRNO__RELOC', 'relocation failed'],
  4006: ['LIBBPF_ERRNO__LOAD', 'load failed'],
  4007: ['LIBBPF_ERRNO__VERIFY', 'the verifier rejected a program'],
  4008: ['LIBBPF_ERRNO__PROG2BIG', 'a program is too big'],
  4009: ['LIBBPF_ERRNO__KVER', 'wrong kernel version'],
  4010: ['LIBBPF_ERRNO__PROGTYPE', 'a program type this kernel lacks'],
  4011: ['LIBBPF_ERRNO__WRNGPID', 'netlink reply for another process'],
  4012: ['LIBBPF_ERRNO__INVSEQ', 'netlink sequence mismatch'],
  4013: ['LIBBPF_ERRNO__NLPARSE', 'netlink message could not be parsed'],
};

export class BpfError extends Error {
  override name = 'BpfError';
  readonly code: string;
  constructor(
    readonly op: string,
    readonly errno: number,
    message: string,
    readonly hint: string | undefined,
    readonly libbpfLog: string,
  ) {
    super(message);
    this.code = errnoNames.get(errno) ?? LIBBPF_ERRORS[errno]?.[0] ?? `E${errno}`;
  }
}

function hintFor(op: string, errno: number, log: string): string | undefined {
  const code = errnoNames.get(errno);
  if (code === 'EPERM' || code === 'EACCES') {
    if (/fentry|fexit|tracing/i.test(log) || op === 'load')
      return 'run as root (or with CAP_BPF + CAP_PERFMON); if you are root, this kernel refuses this program type (fentry/fexit need BPF trampolines): `nettrace doctor` shows what works here';
    return 'run as root, or grant CAP_BPF + CAP_PERFMON (+ CAP_NET_ADMIN for networking programs)';
  }
  if (code === 'ENOENT' && op === 'attach')
    return 'the kernel function or tracepoint does not exist here (inlined, renamed, module not loaded, or kprobes disabled): `nettrace doctor` lists what this kernel has';
  if (code === 'ESRCH' || /failed to find kernel BTF/.test(log))
    return 'the kernel type or function is missing from BTF: pass --btf <file> or use a kernel with CONFIG_DEBUG_INFO_BTF';
  if (/CO-RE relocating|failed to resolve CO-RE/.test(log))
    return 'a struct field this program reads does not exist on this kernel; the plugin needs a fallback for it (report it with the output of `nettrace doctor`)';
  if (code === 'E2BIG' || code === 'ENOMEM') return 'the program or a map is too large for this kernel; try smaller --max-entries';
  if (code === 'EINVAL' && op === 'load') return 'the verifier or kernel rejected the program: see the log above';
  return undefined;
}

/** Converts an error thrown by the addon (with .op/.errno/.log) into a BpfError with a hint. */
export function fromNative(err: unknown): Error {
  const e = err as { op?: string; errno?: number; log?: string; message?: string };
  if (typeof e?.errno !== 'number' || typeof e.op !== 'string') return err as Error;
  const log = e.log ?? '';
  return new BpfError(e.op, e.errno, e.message ?? e.op, hintFor(e.op, e.errno, log), log);
}

/** Runs a native call and rethrows its failure as a BpfError. */
export function call<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw fromNative(err);
  }
}
