// A stage profile is data: per direction, the stages of a path in order, each stamped by hook
// points (hook-points.ts), optionally only on one device role or one leg of a round trip. From it
// come the plugin's hooks (all optional: a profile runs on the stages a kernel has) and, once the
// planner has decided which hooks are attached, the rodata tables of bpf-headers/nettrace/stages.bpf.h.
import { KernelSupportError } from '../errors.js';
import type { HookDeclaration } from '../plugin/hooks.js';
import type { ObjectContract } from '../plugin/object-contract.js';
import { NtStageDims } from '../shared_types.gen.js';
import { type HookPointId, hookDeclaration, hookPoint, hookPoints } from './hook-points.js';

export type Direction = 'tx' | 'rx';
export const DIRECTIONS: readonly Direction[] = ['tx', 'rx'];
/** Devices a stage may be bound to; the numbers are the roles of stages.bpf.h. */
export type DeviceRole = 'phy' | 'internal' | 'vm';
export const ROLE_NUMBER: Record<DeviceRole, number> = { phy: 1, internal: 2, vm: 3 };

export interface StageSpec {
  /** Shown in reports: short, kebab-case. */
  name: string;
  /** Hook points that stamp the stage, all together (e.g. the TCP and the UDP send). */
  hooks: HookPointId[];
  /** Used only when none of `hooks` is attached on this kernel (a tracepoint near the same point). */
  fallback?: HookPointId[];
  /** Only packets on this device (the option naming it must be given, else the stage is off). */
  device?: DeviceRole;
  /** Round trips: the packet that stamps it (the echo request or its reply). */
  leg?: 'request' | 'reply';
  /** Stamped only once this earlier stage was (e.g. conntrack inside OVS's ct() action). */
  after?: string;
  /** Only when this plugin option is true (e.g. `enableCt`). */
  enabledBy?: string;
  /** What reaching this stage means. */
  what: string;
  /** The hop into this stage includes waiting in a queue (a CPU backlog, a qdisc, ovs-vswitchd):
   * where latency piles up under load, and where a packet may change CPU. */
  queued?: boolean;
}

export interface Profile {
  id: string;
  /** ICMP echo replies join their request's session (kernel-icmp-rtt and friends). */
  roundTrip?: boolean;
  tx?: readonly StageSpec[];
  rx?: readonly StageSpec[];
}

const stagesOf = (p: Profile, d: Direction): readonly StageSpec[] => p[d] ?? [];

/** One hook declaration per hook point the profile uses: every one optional, its `degrades` naming the
 * stages it stamps. */
export function profileHooks<C extends ObjectContract = ObjectContract, W extends string = string>(p: Profile): HookDeclaration<C, W>[] {
  const uses = new Map<HookPointId, { stages: string[]; enabledBy: Set<string | undefined> }>();
  for (const d of DIRECTIONS)
    for (const s of stagesOf(p, d))
      for (const [id, how] of [...s.hooks.map((h) => [h, ''] as const), ...(s.fallback ?? []).map((h) => [h, ' (fallback)'] as const)]) {
        const u = uses.get(id) ?? { stages: [], enabledBy: new Set() };
        u.stages.push(`${d}:${s.name}${how}`);
        u.enabledBy.add(s.enabledBy);
        uses.set(id, u);
      }
  return hookPoints
    .filter((h) => uses.has(h.id))
    .map((h) => {
      const u = uses.get(h.id)!;
      const only = u.enabledBy.size === 1 ? [...u.enabledBy][0] : undefined;
      return hookDeclaration(h, { optional: true, degrades: `stage ${u.stages.join(', ')}`, ...(only ? { when: only } : {}) });
    }) as HookDeclaration<C, W>[];
}

export interface StageSetup {
  directions: readonly Direction[];
  /** ifindexes per role (at most two: a bond's members). */
  devices: Partial<Record<DeviceRole, number[]>>;
  /** Whether the hook plan attached the hook of this name. */
  attached(hook: string): boolean;
  /** Plugin option values (for `enabledBy`). */
  options: Record<string, unknown>;
}

export interface ActiveStage {
  position: number;
  spec: StageSpec;
  hooks: HookPointId[];
}

export interface StageTables {
  of: Uint8Array;
  hookRoles: Uint8Array;
  first: Uint8Array;
  last: Uint8Array;
  after: Uint8Array;
  roleIfindex: Uint8Array;
  /** Per direction: the stages this run observes, and why the others are not. */
  active: Record<Direction, ActiveStage[]>;
  missing: Record<Direction, { stage: string; why: string }[]>;
}

const { NT_STAGE_MAX, NT_STAGE_DIRS, NT_STAGE_ROLES, NT_STAGE_LEGS } = NtStageDims;
const HOOKS = hookPoints.length;

/** Why a stage is not part of this run, or undefined when it is (with the hooks that stamp it). */
function resolveStage(s: StageSpec, setup: StageSetup): { hooks: HookPointId[] } | { why: string } {
  if (s.enabledBy && !setup.options[s.enabledBy]) return { why: `only with its option (${s.enabledBy})` };
  if (s.device && !setup.devices[s.device]?.length) return { why: `needs the ${s.device} interface option` };
  const present = (ids: HookPointId[] = []) => ids.filter((id) => setup.attached(hookPoint(id).name));
  const hooks = present(s.hooks).length ? present(s.hooks) : present(s.fallback);
  if (!hooks.length)
    return { why: `no hook on this kernel (${[...s.hooks, ...(s.fallback ?? [])].map((h) => hookPoint(h).name).join(', ')})` };
  return { hooks };
}

/** The rodata tables for this run (pure). Throws when a direction has fewer than two stages. */
export function stageTables(p: Profile, setup: StageSetup): StageTables {
  const t: StageTables = {
    of: new Uint8Array(HOOKS * NT_STAGE_DIRS * NT_STAGE_ROLES * NT_STAGE_LEGS),
    hookRoles: new Uint8Array(HOOKS),
    first: new Uint8Array(NT_STAGE_DIRS),
    last: new Uint8Array(NT_STAGE_DIRS),
    after: new Uint8Array(NT_STAGE_DIRS * NT_STAGE_MAX),
    roleIfindex: new Uint8Array(NT_STAGE_ROLES * 2 * 4),
    active: { tx: [], rx: [] },
    missing: { tx: [], rx: [] },
  };
  const view = new DataView(t.roleIfindex.buffer);
  for (const [role, list] of Object.entries(setup.devices) as [DeviceRole, number[]][])
    for (const [i, ifindex] of (list ?? []).slice(0, 2).entries()) view.setUint32((ROLE_NUMBER[role] * 2 + i) * 4, ifindex, true);
  setup.directions.forEach((d) => {
    const dir = DIRECTIONS.indexOf(d);
    const stages = stagesOf(p, d);
    if (stages.length > NT_STAGE_MAX) throw new Error(`profile ${p.id}: more than ${NT_STAGE_MAX} ${d} stages`);
    stages.forEach((s, position) => {
      const r = resolveStage(s, setup);
      if ('why' in r) {
        t.missing[d].push({ stage: s.name, why: r.why });
        return;
      }
      if (s.after) {
        const a = stages.findIndex((x) => x.name === s.after);
        if (a < 0 || a >= position) throw new Error(`profile ${p.id}: stage ${s.name} comes after unknown or later stage ${s.after}`);
        if (!t.active[d].some((x) => x.position === a)) {
          t.missing[d].push({ stage: s.name, why: `only counted after stage ${s.after}, which is not observed` });
          return;
        }
        t.after[dir * NT_STAGE_MAX + position] = a + 1;
      }
      t.active[d].push({ position, spec: s, hooks: r.hooks });
      const role = s.device ? ROLE_NUMBER[s.device] : 0;
      const leg = s.leg === 'reply' ? 1 : 0;
      for (const id of r.hooks) {
        const i = ((id * NT_STAGE_DIRS + dir) * NT_STAGE_ROLES + role) * NT_STAGE_LEGS + leg;
        if (t.of[i]) throw new Error(`profile ${p.id}: ${hookPoint(id).name} stamps two ${d} stages on the same device and leg`);
        t.of[i] = position + 1;
        t.hookRoles[id] |= 1 << role;
      }
    });
    const active = t.active[d];
    if (active.length < 2) {
      const why = t.missing[d].map((m) => `${m.stage}: ${m.why}`).join('; ');
      throw new KernelSupportError(
        `${p.id}: the ${d} path needs at least two stages, this run can observe ${active.length ? active.map((a) => a.spec.name).join(', ') : 'none'} (${why})`,
        'load the modules the missing hooks need, name the interfaces the stages are bound to, or run on a kernel with kprobes/fentry',
      );
    }
    t.first[dir] = active[0].position + 1;
    t.last[dir] = active[active.length - 1].position + 1;
  });
  return t;
}
