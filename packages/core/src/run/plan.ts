// The run plan: everything decided about a run before any plugin code or BPF object is loaded —
// the run options, which BTF describes the kernel, the hook plan, and the event channel. Made
// once, by planRun, from a plugin or its manifest (the CLI plans from the manifest, so a plugin
// that cannot run here fails before its code is imported), then passed down to open, load,
// attach, kernel-enum look-ups and the runner. One code path, one set of messages.
import { release } from 'node:os';
import { KernelSupportError } from '../errors.js';
import { hostBpfArch, readsRegisters } from '../kernel/arch.js';
import { type KernelBtf, kernelBtf, requireKernelBtf } from '../kernel/btf.js';
import { hasRingBuffer, privileges, tracefsRoot } from '../kernel/features.js';
import { requireModuleTypes } from '../kernel/privilege-limits.js';
import type { HookSpec } from '../plugin/contract.js';
import { activeHooks } from '../plugin/hooks.js';
import { describePlan, type HookPlan, planHooks } from '../plugin/planner.js';
import { type ChannelOptions, type RunOptions, runOptionsFrom } from './options.js';

/** A plugin, or its manifest (`output` is then just the kind). */
export interface PlanTarget {
  id: string;
  hooks: HookSpec[];
  output: 'report' | 'stream' | { kind: 'report' | 'stream' };
  /** The architecture its object's kprobes read registers for (the manifest's, from the build);
   * unknown: this host's. */
  bpfArch?: string;
}

/** A streaming plugin's channel: BPF ring buffer, or per-CPU perf buffers (forced with
 * --perf-buffer, or because the kernel has no ring buffer: before 5.8). */
export interface ChannelPlan extends ChannelOptions {
  kind: 'ring' | 'perf';
}

export interface RunPlan {
  readonly plugin: string;
  readonly options: RunOptions;
  /** The kernel's types: sysfs, or the --btf / NETTRACE_BTF file. */
  readonly btf: KernelBtf;
  readonly hooks: HookPlan;
  /** Undefined for report-only plugins. */
  readonly channel?: ChannelPlan;
}

/**
 * Plans a run of `target` with the parsed command-line `values` on this kernel. Throws a
 * UsageError for bad runner options (exit 2) and a KernelSupportError when the plugin cannot run
 * here: no BTF, a required hook without a usable alternative, no privileges (exit 1).
 */
export function planRun(target: PlanTarget, values: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): RunPlan {
  const options = runOptionsFrom(values, env);
  // First: without privileges every program is refused, which would read as missing hooks.
  requireBpfPrivileges(`nettrace run ${target.id}`);
  tracefsRoot(); // libbpf finds tracepoints through tracefs: mount it first if needed
  const btf = kernelBtf(options.btf?.path, options.btf?.origin);
  try {
    requireKernelBtf(btf);
    // Modules of the hooks this run can choose from: an option may rule some out (`unless`).
    const active = activeHooks(target.hooks, values);
    const modules = [...new Set(active.flatMap((h) => h.alternatives.flatMap((a) => (a.module ? [a.module] : []))))];
    requireModuleTypes(target.id, modules, !!btf.external);
    const hooks = planHooks(active, btf, foreignRegisterReads(active, target.bpfArch));
    if (hooks.missing.length) throw cannotRunHere(target.id, hooks);
    const streams = (typeof target.output === 'string' ? target.output : target.output.kind) === 'stream';
    const channel = streams ? planChannel(options.channel) : undefined;
    return { plugin: target.id, options, btf, hooks, channel };
  } catch (err) {
    btf.release();
    throw err;
  }
}

/** Throws, naming what is missing, unless this process may load and attach BPF programs:
 * CAP_BPF + CAP_PERFMON (5.8+) or CAP_SYS_ADMIN (what root has). Capabilities, not the uid: a
 * uid-0 process stripped of them is refused by the kernel all the same. */
export function requireBpfPrivileges(command: string): void {
  const p = privileges();
  if (p.capSysAdmin || (p.capBpf && p.capPerfmon)) return;
  const missing = [!p.capBpf && 'CAP_BPF', !p.capPerfmon && 'CAP_PERFMON'].filter(Boolean).join(' and ');
  throw new KernelSupportError(
    `${command} needs root, or the capabilities CAP_BPF and CAP_PERFMON (this process lacks ${missing})`,
    'run it with sudo, or grant the capabilities (systemd: AmbientCapabilities=CAP_BPF CAP_PERFMON CAP_NET_ADMIN; or setpriv --inh-caps/--ambient-caps)',
  );
}

/** The error for a plan with required hooks that no alternative can serve on this kernel. */
export function cannotRunHere(id: string, hooks: HookPlan): KernelSupportError {
  return new KernelSupportError(
    `${id} cannot run on this kernel (${release()}):\n  ${describePlan({ ...hooks, hooks: hooks.missing }).join('\n  ')}`,
    'see `nettrace doctor`; kprobe, fentry and module hooks need a kernel that provides them (e.g. the hypervisor host kernel)',
  );
}

/** The programs that would read another architecture's registers here (an object built for x86 on
 * an arm64 host): refused, so that a fentry or tracepoint alternative is taken or the run says why
 * it cannot, instead of attaching a kprobe that decodes garbage. */
function foreignRegisterReads(hooks: HookSpec[], bpfArch: string | undefined): Map<string, string> {
  const host = hostBpfArch();
  const refused = new Map<string, string>();
  if (!bpfArch || bpfArch === host) return refused;
  for (const h of hooks)
    for (const a of h.alternatives)
      if (readsRegisters(a.kind))
        refused.set(
          a.program,
          `the object was built for ${bpfArch} registers and this host is ${host} (fix: rebuild the plugin for ${host}: package.json nettrace.bpfArch)`,
        );
  return refused;
}

function planChannel(c: ChannelOptions): ChannelPlan {
  return { ...c, kind: c.perfBuffer || !hasRingBuffer() ? 'perf' : 'ring' };
}
