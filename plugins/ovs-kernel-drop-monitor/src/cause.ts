// The cause column: the kernel's drop reason for kfree_skb drops; for the packets OVS frees as
// "consumed" although its actions dropped them (kernels before 6.7), what the datapath did.
import { DropKind } from './ovs_kernel_drop_monitor.gen.js';

/** `reason` is the kernel's label of the drop reason ("-": the kernel gives none, before 5.17). */
export function dropCause(kind: number, reason: string): string {
  switch (kind) {
    case DropKind.KIND_METER:
      return 'meter drop (consumed)';
    case DropKind.KIND_NO_OUTPUT:
      return 'no output action (consumed)';
    default:
      return reason === '-' ? 'kfree_skb (no reason before 5.17)' : reason;
  }
}
