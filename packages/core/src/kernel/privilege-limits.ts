// What a kernel still keeps from a process that has CAP_BPF and CAP_PERFMON but not CAP_SYS_ADMIN
// (nettrace's least privilege), per attach kind, found in the test kernels:
//  - fentry/fexit on a module function: the program must name the module's BTF object, whose fd the
//    kernel gives only to CAP_SYS_ADMIN (BPF_BTF_GET_FD_BY_ID); libbpf then cannot find the target.
//  - perf events (kprobes, classic tracepoints) where kernel.perf_event_paranoid is 3, Debian's extra
//    level: perf_event_open needs CAP_SYS_ADMIN there.
//  - CO-RE reads of a module's types where the kernel publishes module BTF: libbpf asks the kernel
//    for it the same way. An external BTF (--btf, which holds the modules' types) avoids that.
// The planner rejects such alternatives with this reason, so the hook's next one is taken; a plugin
// that reads module types is refused up front with the two ways out.
import { existsSync } from 'node:fs';
import { KernelSupportError } from '../errors.js';
import type { HookAlternative } from '../plugin/hooks.js';
import { privileges, readSysctl } from './features.js';

const PERF_EVENT_KINDS = new Set(['kprobe', 'kretprobe', 'kprobe.multi', 'kretprobe.multi', 'tracepoint']);

/** Why this alternative cannot attach with this process's capabilities, or undefined. */
export function privilegeLimit(alt: HookAlternative): string | undefined {
  if (privileges().capSysAdmin) return undefined;
  if ((alt.kind === 'fentry' || alt.kind === 'fexit') && alt.module)
    return `${alt.kind} on a module function needs CAP_SYS_ADMIN (the kernel gives module BTF only to it)`;
  if (PERF_EVENT_KINDS.has(alt.kind) && Number(readSysctl('/proc/sys/kernel/perf_event_paranoid')) >= 3)
    return `kernel.perf_event_paranoid is 3 (perf events only with CAP_SYS_ADMIN): grant it, or sysctl kernel.perf_event_paranoid=2`;
  return undefined;
}

/** Throws unless this process can have its module types relocated: a plugin whose hooks name a
 * module reads that module's structs, which without CAP_SYS_ADMIN only an external BTF provides. */
export function requireModuleTypes(id: string, modules: readonly string[], externalBtf: boolean): void {
  if (externalBtf || !modules.length || privileges().capSysAdmin) return;
  const published = modules.filter((m) => existsSync(`/sys/kernel/btf/${m}`));
  if (!published.length) return; // no module BTF here at all: the usual --btf refusal explains it
  throw new KernelSupportError(
    `${id} reads the types of module ${published.join(', ')}, which this kernel gives only to CAP_SYS_ADMIN (this process has CAP_BPF and CAP_PERFMON)`,
    `grant CAP_SYS_ADMIN, or run with --btf FILE holding the module types (\`nettrace btf build --modules ${published.join(',')}\`)`,
  );
}
