// Drop reasons (skb:kfree_skb, bpf-headers/nettrace/kfree_skb.bpf.h) as names from the running
// kernel (enum skb_drop_reason in BTF, else the tracepoint format), never a compiled-in table.
// Subsystems (6.6+: openvswitch, mac80211) number their reasons in the upper 16 bits and name them
// in enums of their own modules; those are merged in where the module's BTF is present.
import { KernelEnum } from './kernel-enums.js';

const SUBSYS_SHIFT = 16;

/** The enum and module that name each drop-reason subsystem's reasons (the kernel's
 * include/net/dropreason.h lists the subsystems; each module declares its enum). */
const SUBSYSTEM_ENUMS: Record<string, { enum: string; module: string }> = {
  SKB_DROP_REASON_SUBSYS_OPENVSWITCH: { enum: 'ovs_drop_reason', module: 'openvswitch' },
  SKB_DROP_REASON_SUBSYS_MAC80211_UNUSABLE: { enum: 'mac80211_drop_reason', module: 'mac80211' },
};

/** The label of a reason code: the kernel's name without SKB_DROP_REASON_; "-" when the kernel
 * reports none (before 5.17); a subsystem's reason by its own enum's name (OVS_DROP_METER) when
 * its module's BTF told it, else as "SUBSYS<n>:<code>". */
export function dropReasonLabel(reasons: KernelEnum | undefined, code: number): string {
  if (code === 0) return '-';
  const name = reasons?.values.get(code);
  if (code >>> SUBSYS_SHIFT && name === undefined) return `SUBSYS${code >>> SUBSYS_SHIFT}:${code & 0xffff}`;
  return reasons ? reasons.label(code, 'SKB_DROP_REASON_') : String(code);
}

/** Merged enums by the core enum they extend: reports and event rows ask again and again. */
const merged = new WeakMap<KernelEnum, KernelEnum>();

type EnumLookup = (name: string, fallback?: { event: string; field: string }, module?: string) => KernelEnum | undefined;

/** The drop-reason enum of the running kernel (undefined before 5.17, which has none), with the
 * reasons of the subsystems whose modules are loaded merged in (their codes carry the subsystem). */
export function dropReasons(kernelEnum: EnumLookup): KernelEnum | undefined {
  // Per look-up function (a run context's: one per report or event batch): event rows ask for every
  // drop, and two keyed enum look-ups per event were ~7 % of eth-drop's CPU per event under a flood.
  if (byLookup.has(kernelEnum)) return byLookup.get(kernelEnum);
  const reasons = findDropReasons(kernelEnum);
  byLookup.set(kernelEnum, reasons);
  return reasons;
}

const byLookup = new WeakMap<EnumLookup, KernelEnum | undefined>();

function findDropReasons(kernelEnum: EnumLookup): KernelEnum | undefined {
  const core = kernelEnum('skb_drop_reason', { event: 'skb/kfree_skb', field: 'reason' });
  const subsystems = core && kernelEnum('skb_drop_reason_subsys');
  if (!core || !subsystems) return core;
  const known = merged.get(core);
  if (known) return known;
  const values = new Map(core.values);
  for (const name of subsystems.values.values()) {
    const where = SUBSYSTEM_ENUMS[name];
    const own = where && kernelEnum(where.enum, undefined, where.module);
    if (own) for (const [code, label] of own.values) values.set(code, label);
  }
  const result = values.size === core.values.size ? core : new KernelEnum(core.name, values, core.source);
  merged.set(core, result);
  return result;
}
