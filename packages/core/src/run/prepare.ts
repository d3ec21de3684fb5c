// Opens an object and arms it for a hook plan: only the chosen programs load, and programs whose
// BTF target is decided at load (fentry/fexit/tp_btf) get the target the planner resolved.
import { readFileSync } from 'node:fs';
import { BpfObject } from '../bpf/object.js';
import type { HookPlan } from '../plugin/planner.js';

export function openForPlan(objectPath: string, plan: HookPlan, options: { name: string; btfPath?: string }): BpfObject {
  const obj = BpfObject.open(readFileSync(objectPath), options);
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

/** Attaches every chosen program of the plan. */
export function attachPlan(obj: BpfObject, plan: HookPlan): void {
  for (const h of plan.hooks) if (h.chosen) obj.attach(h.chosen.program, h.chosen.kind, h.chosen.resolvedTarget);
}
