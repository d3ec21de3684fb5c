// The architecture a BPF object's register reads were compiled for. kprobe programs read their
// arguments from struct pt_regs through PT_REGS_PARM*() (libbpf's bpf_tracing.h), whose layout
// __TARGET_ARCH_<arch> chose at build time; tracepoint, raw_tp, tp_btf and fentry programs read
// typed arguments and run anywhere. The names are the kernel's (x86, arm64), as package.json
// `nettrace.bpfArch` and the build (@nettrace/plugin-tools' bpf-build.mjs) spell them.
import type { AttachKind } from '../bpf/object.js';

const KERNEL_ARCH: Record<string, string> = { x64: 'x86', arm64: 'arm64' };

/** This host's architecture in the kernel's spelling (process.arch's when nettrace has no name). */
export function hostBpfArch(): string {
  return KERNEL_ARCH[process.arch] ?? process.arch;
}

/** Attach kinds whose programs read pt_regs. */
export function readsRegisters(kind: AttachKind): boolean {
  return kind === 'kprobe' || kind === 'kretprobe' || kind === 'kprobe.multi' || kind === 'kretprobe.multi';
}
