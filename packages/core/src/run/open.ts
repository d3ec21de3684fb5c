// Opens an object for a hook plan, loads it and attaches it: only the chosen programs load,
// programs whose BTF target is decided at load (fentry/fexit/tp_btf) get the target the planner
// resolved, and CO-RE relocates against the plan's BTF (the --btf file when one was given).
import { readFileSync } from 'node:fs';
import { BpfObject } from '../bpf/object.js';
import { BpfError, LIBBPF_ERRORS, SetupError } from '../errors.js';
import type { KernelBtf } from '../kernel/btf.js';
import type { HookPlan } from '../plugin/planner.js';
import { explainLoadFailure } from './load-failure.js';

export function openForPlan(objectPath: string, plan: HookPlan, options: { name: string; btf: KernelBtf }): BpfObject {
  const obj = openObjectFile(objectPath, options);
  try {
    const chosen = new Set(plan.hooks.flatMap((h) => (h.chosen ? [h.chosen.program] : [])));
    for (const p of obj.programs()) obj.setAutoload(p.name, chosen.has(p.name));
    for (const h of plan.hooks) {
      const c = h.chosen;
      if (c && (c.kind === 'fentry' || c.kind === 'fexit' || c.kind === 'tp_btf')) obj.setAttachTarget(c.program, c.resolvedTarget);
    }
    return obj;
  } catch (err) {
    obj.close();
    throw err;
  }
}

/** Opens the plugin's object file; one that libbpf cannot parse is a damaged installation. */
function openObjectFile(objectPath: string, options: { name: string; btf: KernelBtf }): BpfObject {
  try {
    return BpfObject.open(readFileSync(objectPath), { name: options.name, btfPath: options.btf.external });
  } catch (err) {
    // Errors about the file itself (format, byte order, sections); libbpf's internal ones are not.
    const damaged = err instanceof BpfError && err.op === 'open' && err.errno !== 4004 ? LIBBPF_ERRORS[err.errno] : undefined;
    if (!damaged) throw err;
    const what = damaged[1];
    throw new SetupError(
      `the BPF object of ${options.name} is damaged: ${what} (${objectPath}); reinstall the plugin's package (or rebuild it)`,
      { cause: err },
    );
  }
}

/**
 * Loads the object; a failure to relocate a module type is explained (which module lacks BTF,
 * how to build it). The plan's parsed BTF is freed first: libbpf parses the kernel's BTF again
 * for the load, and the two copies need not sit in memory together (peak RSS).
 */
export function loadForPlan(obj: BpfObject, plan: HookPlan, btf: KernelBtf): void {
  btf.release();
  try {
    obj.load();
  } catch (err) {
    throw explainLoadFailure(err, plan, btf.external);
  }
}

/** Attaches every chosen program of the plan. */
export function attachPlan(obj: BpfObject, plan: HookPlan): void {
  for (const h of plan.hooks) if (h.chosen) obj.attach(h.chosen.program, h.chosen.kind, h.chosen.resolvedTarget);
}

/** The kernel's ENOTSUPP (internal, not in Node's errno table): no BPF trampoline for this. */
const ENOTSUPP = 524;

/**
 * Attaches every chosen program, like attachPlan(), but an fentry/fexit the kernel loads and then
 * cannot attach (ENOTSUPP: arm64 before 6.0 has no BPF trampolines) is returned with the reason
 * instead of failing the run, for the caller to plan again with the hook's next alternative.
 */
export function attachPlanOrRefuse(obj: BpfObject, plan: HookPlan): { program: string; reason: string }[] {
  const refused: { program: string; reason: string }[] = [];
  for (const h of plan.hooks) {
    const c = h.chosen;
    if (!c) continue;
    try {
      obj.attach(c.program, c.kind, c.resolvedTarget);
    } catch (err) {
      if ((c.kind !== 'fentry' && c.kind !== 'fexit') || !(err instanceof BpfError) || Math.abs(err.errno) !== ENOTSUPP) throw err;
      refused.push({
        program: c.program,
        reason: `${c.kind} on ${c.resolvedTarget} loaded, but this kernel cannot attach it (ENOTSUPP: no BPF trampoline for it)`,
      });
    }
  }
  return refused;
}
