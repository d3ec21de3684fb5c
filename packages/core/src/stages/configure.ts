// Writes a profile's tables and the run's mode into a stage plugin's object (rodata of
// bpf-headers/nettrace/stages.bpf.h), from the plugin's options and the hooks the planner attached.
import { UsageError } from '../errors.js';
import type { ConfigureContext, Configurer } from '../plugin/contract.js';
import type { ObjectContract } from '../plugin/object-contract.js';
import type { InterfaceValue } from '../plugin/options.js';
import { type DeviceRole, DIRECTIONS, type Direction, type Profile, type StageTables, stageTables } from './profile.js';

export interface StageMode {
  /** Stream every completed session (details plugins). */
  details?: boolean;
  /** Aggregate pairs and totals in the kernel (summary plugins). */
  aggregate?: boolean;
  /** Read skb metadata (device, length, hash, queue) at every stage. */
  meta?: boolean;
  /** Details: stream only sessions whose total reaches this. */
  thresholdNs?: number;
  /** A kernel stack at every stage (mark.stack_id in the shared `stacks` map). */
  stacks?: boolean;
  /** Packets in flight tracked at once. */
  maxSessions?: number;
  /** Count the hops into queued stages by (from CPU, to CPU) in the kernel (`stage_cpu_pairs`). */
  cpuPairs?: boolean;
}

/** Per direction, the bit of each queued stage: the hops cfg_stage_cpu_pair_into has counted by CPU pair. */
function queuedStageBits(p: Profile): Uint8Array {
  const bits = new Uint16Array(DIRECTIONS.length);
  DIRECTIONS.forEach((d, i) => {
    for (const [pos, s] of (p[d] ?? []).entries()) if (s.queued) bits[i] |= 1 << pos;
  });
  return new Uint8Array(bits.buffer);
}

/** `--direction tx|rx|both` (undefined: both) as the directions the profile has. */
export function directionsOf(p: Profile, direction: string | undefined): Direction[] {
  const wanted = direction === undefined || direction === 'both' ? DIRECTIONS : [direction as Direction];
  const out = wanted.filter((d) => p[d]?.length);
  if (!out.length)
    throw new UsageError(`--direction ${direction}: this tool follows only the ${DIRECTIONS.filter((d) => p[d]).join(' and ')} path`);
  return out;
}

/** Interface options by role, as the table wants them. */
export function devicesOf(options: Partial<Record<DeviceRole, InterfaceValue | undefined>>): Partial<Record<DeviceRole, number[]>> {
  const out: Partial<Record<DeviceRole, number[]>> = {};
  for (const [role, v] of Object.entries(options) as [DeviceRole, InterfaceValue | undefined][])
    if (v) out[role] = v.ifindexes ?? [v.ifindex];
  return out;
}

const ROLE_OPTION: Record<DeviceRole, string> = {
  phy: '--phy-interface (the physical NIC)',
  internal: '--internal-interface (the OVS internal port)',
  vm: "--vm-interface (the VM's tap)",
};

/** What a stage plugin's options mean for the engine: directions, devices by role (refusing a
 * missing required one), and the options themselves (for stages enabled by an option). */
export function stageRun(
  id: string,
  p: Profile,
  options: Record<string, unknown> & { direction?: string },
  devices: Partial<Record<DeviceRole, InterfaceValue | undefined>>,
  /** Roles that must be given, or role -> how to name its option when it is not the usual one. */
  required: DeviceRole[] | Partial<Record<DeviceRole, string>>,
) {
  const need: [DeviceRole, string][] = Array.isArray(required)
    ? required.map((r) => [r, ROLE_OPTION[r]])
    : (Object.entries(required) as [DeviceRole, string][]);
  for (const [role, option] of need) if (!devices[role]) throw new UsageError(`${id} needs ${option}`);
  return { directions: directionsOf(p, options.direction), devices: devicesOf(devices), options };
}

/** Writes the tables into any stage plugin's object: every one includes stages.bpf.h, so its
 * contract has these variables and the `stage_sessions` map. */
export function configureStages<C extends ObjectContract>(
  config: Configurer<C>,
  p: Profile,
  run: { directions: readonly Direction[]; devices: Partial<Record<DeviceRole, number[]>>; options: Record<string, unknown> },
  ctx: ConfigureContext,
  mode: StageMode,
): StageTables {
  const cfg = config as unknown as Configurer;
  const t = stageTables(p, { ...run, attached: (h) => ctx.attached(h) });
  cfg.set('cfg_stage_of', t.of);
  cfg.set('cfg_stage_hook_roles', t.hookRoles);
  cfg.set('cfg_stage_first', t.first);
  cfg.set('cfg_stage_last', t.last);
  cfg.set('cfg_stage_after', t.after);
  cfg.set('cfg_stage_role_ifindex', t.roleIfindex);
  cfg.set('cfg_stage_round_trip', p.roundTrip ? 1 : 0);
  cfg.set('cfg_stage_details', mode.details ? 1 : 0);
  cfg.set('cfg_stage_aggregate', mode.aggregate ? 1 : 0);
  cfg.set('cfg_stage_meta', mode.meta ? 1 : 0);
  cfg.set('cfg_stage_stacks', mode.stacks ? 1 : 0);
  if (!mode.stacks) cfg.maxEntries('stacks', 1); // the stack table only costs memory when used
  cfg.set('cfg_stage_threshold_ns', BigInt(Math.round(mode.thresholdNs ?? 0)));
  // Both directions of one flow must match: each address and port may be on either side (a
  // server's port is the destination one way and the source the other).
  cfg.set('cfg_either_direction', 2);
  if (mode.maxSessions) cfg.maxEntries('stage_sessions', mode.maxSessions);
  if (mode.cpuPairs) cfg.set('cfg_stage_cpu_pair_into', queuedStageBits(p));
  return t;
}
