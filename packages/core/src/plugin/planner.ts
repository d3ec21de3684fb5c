// The hook planner: resolves each declared hook against the running kernel before load, picks
// the first alternative that can work here, and explains every rejected one. Types are looked up
// in the KernelBtf it is given (the run's: sysfs or --btf), never in a process-wide choice.
import { existsSync } from 'node:fs';
import type { KernelBtf } from '../kernel/btf.js';
import {
  fentrySupport,
  hasKprobeMulti,
  hasKprobes,
  hasTracepoint,
  hasVmlinuxBtf,
  loadedModules,
  tpBtfSupport,
} from '../kernel/features.js';
import { kernelSymbols } from '../kernel/ksyms.js';
import { privilegeLimit } from '../kernel/privilege-limits.js';
import type { HookAlternative, HookSpec } from './hooks.js';

export interface PlannedHook {
  hook: string;
  optional: boolean;
  degrades?: string;
  chosen?: HookAlternative & { resolvedTarget: string };
  rejected: { alternative: HookAlternative; reason: string }[];
  /** Set when the hook is not needed with the alternatives chosen for the others (HookSpec.pairedWith). */
  notNeeded?: string;
}

export interface HookPlan {
  hooks: PlannedHook[];
  /** Required hooks with no usable alternative: the plugin cannot run. */
  missing: PlannedHook[];
  /** Optional hooks that are missing, and hooks that got an alternative that `degrades`: the run
   * is degraded. */
  degraded: PlannedHook[];
}

/** Symbols a kprobe can go on for `name`: itself or a compiler clone, exact name first. A `.cold`
 * symbol is the split-off unlikely part of a function, not an entry point: never a target. */
function probeableSymbols(name: string): string[] {
  return kernelSymbols()
    .resolve(name)
    .filter((s) => !/\.cold(\.\d+)?$/.test(s));
}

/** Why a function is missing: its module is absent (fixable), only a compiler clone exists
 * (fentry needs BTF, which clones do not have; a kprobe can take the clone), or the kernel has no
 * such symbol. */
function missingFunction(alt: HookAlternative, where: string): string {
  if (alt.module && !loadedModules().includes(alt.module) && !existsSync(`/sys/module/${alt.module}`))
    return `function ${alt.target} is not available: kernel module ${alt.module} is not loaded (fix: modprobe ${alt.module})`;
  if (alt.kind === 'fentry' || alt.kind === 'fexit') {
    const clones = probeableSymbols(alt.target).filter((s) => s !== alt.target);
    if (clones.length)
      return `function ${alt.target} is not in ${where}: this kernel has only its compiler clone ${clones.join(', ')}, which has no BTF (a kprobe can attach to it)`;
  }
  return `function ${alt.target} is not in ${where} (inlined or renamed on this kernel)`;
}

/** Alternatives the user (or a test) steers clear of: NETTRACE_AVOID lists attach kinds and/or
 * program names, e.g. `fentry,fexit` on a kernel whose trampolines misbehave, or a program name to
 * prove the next rung of a ladder. */
function avoided(alt: HookAlternative): boolean {
  const list = (process.env.NETTRACE_AVOID ?? '').split(',').map((s) => s.trim());
  return list.includes(alt.kind) || list.includes(alt.program);
}

/** Returns the target to attach to, or throws the reason this alternative cannot work here. */
function check(alt: HookAlternative, btf: KernelBtf): string {
  if (avoided(alt)) throw new Error(`avoided by NETTRACE_AVOID=${process.env.NETTRACE_AVOID}`);
  const limit = privilegeLimit(alt);
  if (limit) throw new Error(limit);
  if (alt.requires) {
    const { enum: name, value, why } = alt.requires;
    if (!btf.enumMembers(name)?.some(([n]) => n === value)) throw new Error(`this kernel has no ${value} in enum ${name} (${why})`);
  }
  const eventName = alt.target.split('/').pop() ?? alt.target;
  switch (alt.kind) {
    case 'tracepoint':
      if (!hasTracepoint(alt.target)) throw new Error(`tracepoint ${alt.target} does not exist on this kernel`);
      return alt.target;
    case 'raw_tp':
      if (!hasTracepoint(alt.target)) throw new Error(`tracepoint ${alt.target} does not exist on this kernel`);
      return eventName;
    case 'tp_btf': {
      if (!hasVmlinuxBtf()) throw new Error('tp_btf needs the kernel to publish its BTF (/sys/kernel/btf/vmlinux)');
      const s = tpBtfSupport(btf);
      if (!s.ok) throw new Error(`tp_btf programs are refused here (${s.reason})`);
      if (!btf.hasType(`btf_trace_${eventName}`, 'typedef', alt.module)) throw new Error(`no BTF for tracepoint ${alt.target}`);
      return eventName;
    }
    case 'fentry':
    case 'fexit': {
      if (!hasVmlinuxBtf()) throw new Error('fentry/fexit need the kernel to publish its BTF (/sys/kernel/btf/vmlinux)');
      const s = fentrySupport(btf);
      if (!s.ok) throw new Error(`fentry/fexit programs are refused by this kernel (${s.reason})`);
      if (alt.module && !existsSync(`/sys/kernel/btf/${alt.module}`) && existsSync(`/sys/module/${alt.module}`))
        throw new Error(`this kernel has no BTF for module ${alt.module} (module BTF needs 5.11+ with CONFIG_DEBUG_INFO_BTF_MODULES)`);
      if (!btf.hasType(alt.target, 'func', alt.module)) throw new Error(missingFunction(alt, 'the kernel BTF'));
      return alt.target;
    }
    case 'kprobe':
    case 'kretprobe': {
      if (!hasKprobes()) throw new Error('kprobes are not available on this kernel (CONFIG_KPROBES / CONFIG_KPROBE_EVENTS unset)');
      const found = probeableSymbols(alt.target)[0];
      if (!found) throw new Error(missingFunction(alt, '/proc/kallsyms'));
      return found;
    }
    case 'kprobe.multi':
    case 'kretprobe.multi': {
      if (!hasKprobes()) throw new Error('kprobes are not available on this kernel (CONFIG_KPROBES / CONFIG_KPROBE_EVENTS unset)');
      if (!hasKprobeMulti()) throw new Error('kprobe.multi needs CONFIG_FPROBE, which this kernel lacks');
      // A glob is matched by libbpf at attach; a list of functions is resolved here like kprobes.
      if (!alt.target.includes(',')) return alt.target;
      const names = alt.target.split(',').filter(Boolean);
      const resolved = names.map((n) => probeableSymbols(n)[0]);
      const missing = names.filter((_, i) => !resolved[i]);
      if (missing.length) throw new Error(`not in /proc/kallsyms: ${missing.join(', ')} (inlined or renamed on this kernel)`);
      return resolved.join(',');
    }
    default:
      throw new Error(`unsupported hook kind ${alt.kind}`);
  }
}

/** The plan of `hooks` on this kernel, with the types of `btf`. `refused`: programs found unusable
 * after an attempt (program → reason), e.g. an fentry the kernel attached but never armed; the plan
 * takes the next alternative of their hooks. */
export function planHooks(hooks: HookSpec[], btf: KernelBtf, refused: ReadonlyMap<string, string> = new Map()): HookPlan {
  const planned: PlannedHook[] = [];
  for (const h of hooks) {
    const p: PlannedHook = { hook: h.name, optional: Boolean(h.optional), degrades: h.degrades, rejected: [] };
    planned.push(p);
    if (h.pairedWith) {
      const { hook, target } = h.pairedWith;
      const dep = planned.find((d) => d.hook === hook)?.chosen;
      if (dep?.target !== target) {
        p.notNeeded = `${hook} uses ${dep ? describeAlternative(dep) : 'no alternative'}`;
        continue;
      }
    }
    for (const alt of h.alternatives) {
      const reason = refused.get(alt.program);
      if (reason) {
        p.rejected.push({ alternative: alt, reason });
        continue;
      }
      try {
        p.chosen = { ...alt, resolvedTarget: check(alt, btf) };
        break;
      } catch (err) {
        p.rejected.push({ alternative: alt, reason: (err as Error).message });
      }
    }
  }
  return {
    hooks: planned,
    missing: planned.filter((p) => !p.chosen && !p.optional && !p.notNeeded),
    degraded: planned.filter((p) => (!p.chosen && p.optional && !p.notNeeded) || p.chosen?.degrades),
  };
}

export function describeAlternative(a: HookAlternative): string {
  return `${a.kind}:${a.target}${a.module ? ` [${a.module}]` : ''}`;
}

/** Chosen fentry/fexit programs whose function has no armed direct call after attach (see
 * kernel/trampolines.ts), with the reason to give; empty when all are armed or tracing cannot tell. */
export function unarmedTrampolines(plan: HookPlan, armed: Set<string> | undefined): { program: string; reason: string }[] {
  if (!armed) return [];
  return plan.hooks.flatMap((h) => {
    const c = h.chosen;
    if (!c || (c.kind !== 'fentry' && c.kind !== 'fexit') || armed.has(c.resolvedTarget)) return [];
    return [
      {
        program: c.program,
        reason: `${c.kind} on ${c.resolvedTarget} attached, but this kernel never armed its trampoline (no direct call in tracing's enabled_functions), so it would never run`,
      },
    ];
  });
}

/** What a degraded run lacks, one line per hook (a missing optional hook, or a lesser alternative). */
export function degradedNotes(plan: HookPlan): string[] {
  return plan.degraded.map((d) =>
    d.chosen?.degrades
      ? `${d.hook} via ${describeAlternative(d.chosen)}: ${d.chosen.degrades}`
      : `${d.hook} missing: ${d.degrades ?? 'partial output'}`,
  );
}

/** One line per hook, for `info`, `doctor` and errors. */
export function describePlan(plan: HookPlan): string[] {
  return plan.hooks.map((p) => {
    if (p.notNeeded) return `${p.hook}: not needed (${p.notNeeded})`;
    if (p.chosen) {
      const clone = p.chosen.resolvedTarget !== p.chosen.target && p.chosen.kind.startsWith('k') ? ` (as ${p.chosen.resolvedTarget})` : '';
      return `${p.hook}: ${describeAlternative(p.chosen)}${clone}${p.chosen.degrades ? ` (DEGRADED: ${p.chosen.degrades})` : ''}`;
    }
    const why = p.rejected.map((r) => `${describeAlternative(r.alternative)}: ${r.reason}`).join('; ');
    const state = p.optional ? `MISSING (optional${p.degrades ? `, loses ${p.degrades}` : ''})` : 'UNAVAILABLE';
    return `${p.hook}: ${state} — ${why}`;
  });
}
