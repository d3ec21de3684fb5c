// The run plan: everything decided about a run before any plugin code or BPF object is loaded —
// the run options, which BTF describes the kernel, the hook plan, and the event channel. Made
// once, by planRun, from a plugin or its manifest (the CLI plans from the manifest, so a plugin
// that cannot run here fails before its code is imported), then passed down to open, load,
// attach, kernel-enum look-ups and the runner. One code path, one set of messages.
import { release } from 'node:os';
import { KernelSupportError } from '../errors.js';
import { type KernelBtf, kernelBtf, requireKernelBtf } from '../kernel/btf.js';
import { hasRingBuffer, privileges, tracefsRoot } from '../kernel/features.js';
import type { HookSpec } from '../plugin/contract.js';
import { activeHooks } from '../plugin/hooks.js';
import { describePlan, type HookPlan, planHooks } from '../plugin/planner.js';
import { type ChannelOptions, type RunOptions, runOptionsFrom } from './options.js';

/** A plugin, or its manifest (`output` is then just the kind). */
export interface PlanTarget {
  id: string;
  hooks: HookSpec[];
  output: 'report' | 'stream' | { kind: 'report' | 'stream' };
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
  tracefsRoot(); // libbpf finds tracepoints through tracefs: mount it first if needed
  const btf = kernelBtf(options.btf?.path, options.btf?.origin);
  try {
    requireKernelBtf(btf);
    const hooks = planHooks(activeHooks(target.hooks, values), btf);
    if (hooks.missing.length) throw cannotRunHere(target.id, hooks);
    const priv = privileges();
    if (!priv.root && !(priv.capBpf && priv.capPerfmon))
      throw new KernelSupportError(
        'nettrace needs root, or CAP_BPF + CAP_PERFMON, to load BPF programs',
        `run: sudo nettrace run ${target.id} ...`,
      );
    const streams = (typeof target.output === 'string' ? target.output : target.output.kind) === 'stream';
    const channel = streams ? planChannel(options.channel) : undefined;
    return { plugin: target.id, options, btf, hooks, channel };
  } catch (err) {
    btf.release();
    throw err;
  }
}

/** The error for a plan with required hooks that no alternative can serve on this kernel. */
export function cannotRunHere(id: string, hooks: HookPlan): KernelSupportError {
  return new KernelSupportError(
    `${id} cannot run on this kernel (${release()}):\n  ${describePlan({ ...hooks, hooks: hooks.missing }).join('\n  ')}`,
    'see `nettrace doctor`; kprobe, fentry and module hooks need a kernel that provides them (e.g. the hypervisor host kernel)',
  );
}

function planChannel(c: ChannelOptions): ChannelPlan {
  return { ...c, kind: c.perfBuffer || !hasRingBuffer() ? 'perf' : 'ring' };
}
