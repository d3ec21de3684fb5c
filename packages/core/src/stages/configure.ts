// Writes a profile's tables and the run's mode into a stage plugin's object (rodata of
// bpf-headers/nettrace/stages.bpf.h), from the plugin's options and the hooks the planner attached.
import { UsageError } from '../errors.js';
import type { ConfigureContext, Configurer } from '../plugin/contract.js';
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
  /** Packets in flight tracked at once. */
  maxSessions?: number;
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
  for (const [role, v] of Object.entries(options) as [DeviceRole, InterfaceValue | undefined][]) if (v) out[role] = [v.ifindex];
  return out;
}

export function configureStages(
  cfg: Configurer,
  p: Profile,
  run: { directions: readonly Direction[]; devices: Partial<Record<DeviceRole, number[]>>; options: Record<string, unknown> },
  ctx: ConfigureContext,
  mode: StageMode,
): StageTables {
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
  cfg.set('cfg_stage_threshold_ns', BigInt(Math.round(mode.thresholdNs ?? 0)));
  // Request and reply of one flow must both match when -s/-d name the two ends.
  cfg.set('cfg_either_direction', 1);
  if (mode.maxSessions) cfg.maxEntries('stage_sessions', mode.maxSessions);
  return t;
}
