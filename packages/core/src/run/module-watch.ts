// A module whose functions or tracepoints a run hooks can be unloaded while it runs (rmmod of an
// idle tun or vhost_net). A kprobe on it then never fires again, silently; an fentry/fexit holds a
// reference so the unload is refused. Each report checks the modules of the chosen hooks: one that
// is gone is said once on stderr and marks the run degraded from then on (the table's DEGRADED
// line, JSON `degraded`, serve's /healthz), so a run never reports zeros as if nothing happened.
import { existsSync } from 'node:fs';
import type { HookPlan } from '../plugin/planner.js';

export function watchModules(plan: HookPlan, log: (line: string) => void): () => string[] {
  const watched = new Map<string, string[]>();
  for (const h of plan.hooks) {
    const m = h.chosen?.module;
    if (m) watched.set(m, [...(watched.get(m) ?? []), h.hook]);
  }
  const gone: string[] = [];
  return () => {
    for (const [module, hooks] of watched) {
      if (existsSync(`/sys/module/${module}`)) continue;
      watched.delete(module);
      const note = `${hooks.join(', ')}: module ${module} was unloaded during the run; ${hooks.length > 1 ? 'these hooks' : 'this hook'} no longer fire${hooks.length > 1 ? '' : 's'}`;
      log(note);
      gone.push(note);
    }
    return gone;
  };
}
