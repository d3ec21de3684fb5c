// Generated from plugins/kvm-irqfd-stats-arm/bpf/kvm_irqfd_stats_arm.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { type StructLayout } from '@nettrace/core';

/** What plugins/kvm-irqfd-stats-arm/bpf/kvm_irqfd_stats_arm.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load),
 * counters (NT_COUNTERS, read with ctx.counters()). */
export const contract = {
  object: new URL('./kvm_irqfd_stats_arm.bpf.o', import.meta.url),
  programs: {
    nt_kia_wake_fe: 'fentry/irqfd_wakeup',
    nt_kia_wake_kp: 'kprobe/irqfd_wakeup',
    nt_kia_inat_fe: 'fentry/kvm_arch_set_irq_inatomic',
    nt_kia_inat_kp: 'kprobe/kvm_arch_set_irq_inatomic',
    nt_kia_inat_fx: 'fexit/kvm_arch_set_irq_inatomic',
    nt_kia_inat_kr: 'kretprobe/kvm_arch_set_irq_inatomic',
    nt_kia_msi_fe: 'fentry/kvm_set_msi',
    nt_kia_msi_kp: 'kprobe/kvm_set_msi',
    nt_kia_sirq_tp: 'tracepoint/kvm/kvm_set_irq',
    nt_kia_kick_fe: 'fentry/kvm_vcpu_kick',
    nt_kia_kick_kp: 'kprobe/kvm_vcpu_kick',
    nt_kia_vsig_fe: 'fentry/vhost_add_used_and_signal_n',
    nt_kia_vsig_kp: 'kprobe/vhost_add_used_and_signal_n',
    nt_kia_vq_fe: 'fentry/vgic_queue_irq_unlock',
    nt_kia_vq_kp: 'kprobe/vgic_queue_irq_unlock',
    nt_kia_lr2_fe: 'fentry/vgic_v2_populate_lr',
    nt_kia_lr2_kp: 'kprobe/vgic_v2_populate_lr',
    nt_kia_lr3_fe: 'fentry/vgic_v3_populate_lr',
    nt_kia_lr3_kp: 'kprobe/vgic_v3_populate_lr',
  },
  maps: {
    wakes: { type: 'hash', keySize: 44, valueSize: 72, maxEntries: 4096 },
    slow_path: { type: 'hash', keySize: 4, valueSize: 8, maxEntries: 4096 },
    vcpu_kicks: { type: 'hash', keySize: 4, valueSize: 8, maxEntries: 1024 },
    inflight: { type: 'lru_hash', keySize: 4, valueSize: 64, maxEntries: 4096 },
    signals: { type: 'lru_hash', keySize: 4, valueSize: 16, maxEntries: 4096 },
    counters: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 4 },
    vgic_queued: { type: 'hash', keySize: 4, valueSize: 8, maxEntries: 4096 },
    vgic_lr: { type: 'hash', keySize: 8, valueSize: 8, maxEntries: 4096 },
  },
  variables: {
    cfg_category: { section: '.rodata', type: 'u8', size: 1 },
    cfg_qemu_pid: { section: '.rodata', type: 'u32', size: 4 },
    cfg_subcategory: { section: '.rodata', type: 'u8', size: 1 },
    cfg_vhost_comm: { section: '.rodata', type: 's8[16]', size: 16 },
    cfg_vhost_tid: { section: '.rodata', type: 'u32', size: 4 },
  },
  counters: ['wakeups_seen', 'other_vm', 'filtered', 'table_full'],
} as const;

/** BTF struct vgic_lr_key (8 bytes). */
export interface VgicLrKey {
  intid: number;
  version: number;
}
export const VgicLrKeySize = 8;
export function decodeVgicLrKey(v: DataView, o: number): VgicLrKey {
  return {
    intid: v.getUint32(o + 0, true),
    version: v.getUint32(o + 4, true),
  };
}
/** Byte offset of each member of struct vgic_lr_key. */
export const VgicLrKeyOffsets = {
  intid: 0,
  version: 4,
} as const;
/** A zeroed VgicLrKey (nested structs and arrays preallocated) for decodeVgicLrKeyInto(). */
export function createVgicLrKey(): VgicLrKey {
  return {
    intid: 0,
    version: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeVgicLrKeyInto(t: VgicLrKey, v: DataView, o: number): VgicLrKey {
  t.intid = v.getUint32(o + 0, true);
  t.version = v.getUint32(o + 4, true);
  return t;
}
export function readVgicLrKeyIntid(v: DataView, o: number): number {
  return v.getUint32(o + 0, true);
}
export function readVgicLrKeyVersion(v: DataView, o: number): number {
  return v.getUint32(o + 4, true);
}
export const VgicLrKeyLayout: StructLayout<VgicLrKey> = { name: 'vgic_lr_key', size: 8, decode: decodeVgicLrKey, create: createVgicLrKey, decodeInto: decodeVgicLrKeyInto };
