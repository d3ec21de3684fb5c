// Drop reasons (skb:kfree_skb, bpf-headers/nettrace/kfree_skb.bpf.h) as names from the running
// kernel (enum skb_drop_reason in BTF, else the tracepoint format), never a compiled-in table.
import type { KernelEnum } from './kernel-enums.js';

const SUBSYS_SHIFT = 16;

/** The label of a reason code: the kernel's name without SKB_DROP_REASON_; "-" when the kernel
 * reports none (before 5.17); subsystem reasons (upper 16 bits set, e.g. openvswitch, mac80211)
 * as "SUBSYS<n>:<code>" since their names live in other enums. */
export function dropReasonLabel(reasons: KernelEnum | undefined, code: number): string {
  if (code === 0) return '-';
  if (code >>> SUBSYS_SHIFT) return `SUBSYS${code >>> SUBSYS_SHIFT}:${code & 0xffff}`;
  return reasons ? reasons.label(code, 'SKB_DROP_REASON_') : String(code);
}

/** The drop-reason enum of the running kernel (undefined before 5.17, which has none). */
export function dropReasons(
  kernelEnum: (name: string, fallback?: { event: string; field: string }) => KernelEnum | undefined,
): KernelEnum | undefined {
  return kernelEnum('skb_drop_reason', { event: 'skb/kfree_skb', field: 'reason' });
}
