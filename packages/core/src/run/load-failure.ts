// Turns a load failure caused by a type the kernel's BTF lacks into an error that names the type,
// the module and the fix. The usual case: a kernel without module BTF (5.10, or
// CONFIG_DEBUG_INFO_BTF_MODULES unset), where reads of module-private structs cannot be relocated.
import { existsSync } from 'node:fs';
import { BpfError, KernelSupportError } from '../errors.js';
import type { HookPlan } from '../plugin/planner.js';

// libbpf rewrites the verifier log at a poisoned instruction into this line.
const UNRESOLVED =
  /failed to resolve CO-RE relocation (?:<byte_off> )?\[\d+\] (struct|union|enum|typedef) ([A-Za-z_][A-Za-z0-9_]*?)(?:___[A-Za-z0-9_]+)?[.\s]/;

/** Modules the chosen hooks live in that publish no BTF of their own. */
function modulesWithoutBtf(plan: HookPlan): string[] {
  const mods = new Set<string>();
  for (const h of plan.hooks) {
    const m = h.chosen?.module;
    if (m && !existsSync(`/sys/kernel/btf/${m}`)) mods.add(m);
  }
  return [...mods].sort();
}

export function explainLoadFailure(err: unknown, plan: HookPlan, externalBtf: string | undefined): unknown {
  if (!(err instanceof BpfError)) return err;
  const m = UNRESOLVED.exec(err.libbpfLog);
  if (!m) return err;
  const type = `${m[1]} ${m[2]}`;
  const modules = modulesWithoutBtf(plan);
  const build = `nettrace btf build --modules ${modules.join(',') || '<module>'}`;
  if (externalBtf)
    return new KernelSupportError(
      `${externalBtf} does not describe ${type}, which this plugin reads`,
      modules.length
        ? `rebuild it with the module types: \`${build} -O ${externalBtf}\``
        : 'it must be the BTF of this exact kernel, with the types of the modules the plugin hooks (`nettrace btf build`)',
    );
  if (!modules.length) return err;
  return new KernelSupportError(
    `this kernel publishes no BTF for ${modules.length > 1 ? 'modules' : 'module'} ${modules.join(', ')} (no /sys/kernel/btf/${modules[0]}: 5.10 and older, or CONFIG_DEBUG_INFO_BTF_MODULES unset), so ${type}, which this plugin reads, cannot be located`,
    `build a BTF file with the module types: \`${build}\` (needs pahole and the kernel's debug package), then run with --btf <file>`,
  );
}
