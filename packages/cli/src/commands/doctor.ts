// `nettrace doctor [plugin...]`: what this kernel and process can do, then per installed plugin
// whether it runs, runs degraded, or cannot run (and why).
import { existsSync } from 'node:fs';
import { release } from 'node:os';
import {
  describePlan,
  features,
  type KernelBtf,
  kernelBtfFromEnv,
  kernelSymbols,
  missingRuntimePrograms,
  type PlannedHook,
  planHooks,
  requireBpfPrivileges,
} from '@nettrace/core';
import { simpleOptions } from '../args.js';
import { discoverFor, discoverPlugins, findPlugin } from '../discover.js';
import type { Io } from '../io.js';
import { statusOf } from './list.js';

export const doctorHelp = `Usage: nettrace doctor [plugin...] [--output table|json] [--plugin <dir>]

Checks the kernel and privileges, then whether each installed plugin can run here. With
NETTRACE_BTF set, plans are made against that BTF file, as nettrace run would.`;

// A function each module defines: found in kallsyms without a module tag means built in.
const WATCHED_MODULES: Record<string, string> = {
  tun: 'tun_net_xmit',
  vhost_net: 'vhost_net_open',
  openvswitch: 'ovs_dp_process_packet',
  kvm: 'kvm_vcpu_kick',
  nf_conntrack: 'nf_conntrack_in',
};

function moduleState(name: string, symbol: string): string {
  if (features.loadedModules().includes(name)) return 'loaded';
  if (kernelSymbols().has(symbol) || existsSync(`/sys/module/${name}`)) return 'built in';
  return 'absent';
}

/** Why this process cannot load BPF programs (run's own message), or null when it can. */
function missingPrivileges(): string | null {
  try {
    requireBpfPrivileges('nettrace');
    return null;
  } catch (err) {
    return (err as Error).message.replace(/^nettrace /, '');
  }
}

/** What this kernel and process offer; `btf` is the kernel BTF plans are made with (NETTRACE_BTF,
 * as `run` would use it, else sysfs). */
export function kernelReport(btf: KernelBtf = kernelBtfFromEnv()) {
  const priv = features.privileges();
  const fentry = features.fentrySupport(btf);
  const tpBtf = features.tpBtfSupport(btf);
  return {
    kernel: release(),
    btf: { vmlinux: features.hasVmlinuxBtf(), modules: features.moduleBtf(), external: btf.external ?? null },
    tracefs: features.tracefsMounted() ? features.tracefsRoot() : null,
    kprobes: features.hasKprobes(),
    kprobe_multi: features.hasKprobeMulti(),
    fentry: fentry.ok,
    fentry_reason: fentry.reason ?? null,
    tp_btf: tpBtf.ok,
    ring_buffer: features.hasRingBuffer(),
    privileges: { ...priv, missing: missingPrivileges() },
    perf_event_paranoid: features.readSysctl('/proc/sys/kernel/perf_event_paranoid') ?? null,
    unprivileged_bpf_disabled: features.readSysctl('/proc/sys/kernel/unprivileged_bpf_disabled') ?? null,
    lockdown: features.readSysctl('/sys/kernel/security/lockdown') ?? 'none (no securityfs lockdown file)',
    modules: Object.fromEntries(Object.entries(WATCHED_MODULES).map(([m, sym]) => [m, moduleState(m, sym)])),
    // Programs some features start (pahole for `btf build`, ip/nsenter for --netns), absent here.
    missing_programs: missingRuntimePrograms().map((p) => ({ program: p.name, package: p.package, needed_for: p.optional ?? 'nettrace' })),
  };
}

const yes = (b: boolean) => (b ? 'yes' : 'no');

/** One planned hook for `--output json`: the rung chosen (with the symbol it resolved to: a
 * compiler clone for a kprobe) and why each earlier one was rejected. */
function hookJson(h: PlannedHook) {
  const c = h.chosen;
  return {
    hook: h.hook,
    optional: h.optional,
    ...(h.notNeeded ? { not_needed: h.notNeeded } : {}),
    chosen: c ? { kind: c.kind, target: c.target, resolved: c.resolvedTarget, module: c.module ?? null, program: c.program } : null,
    rejected: h.rejected.map((r) => ({ kind: r.alternative.kind, target: r.alternative.target, reason: r.reason })),
  };
}

export function doctorCommand(argv: string[], pluginDirs: string[], io: Io): number {
  const { output, help, positional } = simpleOptions(argv, 'doctor');
  if (help) {
    io.out(doctorHelp);
    return 0;
  }
  const btf = kernelBtfFromEnv();
  const k = kernelReport(btf);
  // Named plugins that all come from --plugin dirs: no need to scan the installed ones.
  const d = positional.length ? discoverFor(pluginDirs, positional) : discoverPlugins(pluginDirs);
  const selected = positional.length ? positional.map((id) => findPlugin(d, id)) : d.plugins;
  const plugins = selected.map((p) => {
    const plan = planHooks(p.manifest.hooks, btf);
    return { id: p.id, ...statusOf(plan), plan: describePlan(plan), hooks: plan.hooks.map(hookJson) };
  });
  if (output === 'json') {
    io.out(JSON.stringify({ ...k, plugins }));
    return 0;
  }
  // First: without the capabilities every hook below would read as unavailable for that reason.
  const p = k.privileges;
  io.out(
    `privileges        root: ${yes(p.root)}, CAP_BPF: ${yes(p.capBpf)}, CAP_PERFMON: ${yes(p.capPerfmon)}, CAP_SYS_ADMIN: ${yes(p.capSysAdmin)}${p.missing ? ` — MISSING: ${p.missing}; no plugin can load` : ''}`,
  );
  io.out(`kernel            ${k.kernel}`);
  io.out(`BTF               vmlinux: ${yes(k.btf.vmlinux)}; modules with BTF: ${k.btf.modules.join(', ') || 'none'}`);
  if (k.btf.external) io.out(`                  external (NETTRACE_BTF): ${k.btf.external}`);
  else if (k.btf.vmlinux && !k.btf.modules.length)
    io.out('                  (plugins that read module structs need an external BTF here: `nettrace btf build`, then --btf FILE)');
  io.out(`tracefs           ${k.tracefs ?? 'NOT MOUNTED (fix: mount -t tracefs nodev /sys/kernel/tracing)'}`);
  io.out(`kprobes           ${yes(k.kprobes)}${k.kprobes ? '' : ' (CONFIG_KPROBES/KPROBE_EVENTS unset: kprobe hooks cannot attach)'}`);
  io.out(`kprobe.multi      ${yes(k.kprobe_multi)}`);
  io.out(`fentry/fexit      ${yes(k.fentry)}${k.fentry ? '' : ` (load refused: ${k.fentry_reason})`}`);
  io.out(`tp_btf            ${yes(k.tp_btf)}`);
  io.out(`ring buffer       ${yes(k.ring_buffer)}`);
  io.out(`sysctl            perf_event_paranoid=${k.perf_event_paranoid}, unprivileged_bpf_disabled=${k.unprivileged_bpf_disabled}`);
  io.out(`lockdown          ${k.lockdown}`);
  io.out(
    `modules           ${Object.entries(k.modules)
      .map(([m, s]) => `${m}: ${s}`)
      .join(', ')}`,
  );
  io.out(
    `programs          ${
      k.missing_programs.length
        ? k.missing_programs
            .map((m) => `${m.program} missing (needed for ${m.needed_for}; fix: apt-get install ${m.package})`)
            .join('\n                  ')
        : 'every program a feature may start is installed'
    }`,
  );
  io.out('\nplugins:');
  for (const pl of plugins) {
    io.out(`  ${pl.id.padEnd(30)} ${pl.status}`);
    if (pl.status !== 'runnable') for (const line of pl.plan) io.out(`      ${line}`);
  }
  return 0;
}
