// Generated from plugins/kvm-irqfd-stats/bpf/kvm_irqfd_stats.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { readCString, type StructLayout } from '@nettrace/core';

/** What plugins/kvm-irqfd-stats/bpf/kvm_irqfd_stats.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load),
 * counters (NT_COUNTERS, read with ctx.counters()). */
export const contract = {
  object: new URL('./kvm_irqfd_stats.bpf.o', import.meta.url),
  programs: {
    nt_kis_wake_fe: 'fentry/irqfd_wakeup',
    nt_kis_wake_kp: 'kprobe/irqfd_wakeup',
    nt_kis_inat_fe: 'fentry/kvm_arch_set_irq_inatomic',
    nt_kis_inat_kp: 'kprobe/kvm_arch_set_irq_inatomic',
    nt_kis_inat_fx: 'fexit/kvm_arch_set_irq_inatomic',
    nt_kis_inat_kr: 'kretprobe/kvm_arch_set_irq_inatomic',
    nt_kis_msi_fe: 'fentry/kvm_set_msi',
    nt_kis_msi_kp: 'kprobe/kvm_set_msi',
    nt_kis_sirq_tp: 'tracepoint/kvm/kvm_set_irq',
    nt_kis_kick_fe: 'fentry/kvm_vcpu_kick',
    nt_kis_kick_kp: 'kprobe/kvm_vcpu_kick',
    nt_kis_vsig_fe: 'fentry/vhost_add_used_and_signal_n',
    nt_kis_vsig_kp: 'kprobe/vhost_add_used_and_signal_n',
    nt_kis_msi_tp: 'tracepoint/kvm/kvm_msi_set_irq',
  },
  maps: {
    wakes: { type: 'hash', keySize: 44, valueSize: 72, maxEntries: 4096 },
    slow_path: { type: 'hash', keySize: 4, valueSize: 8, maxEntries: 4096 },
    vcpu_kicks: { type: 'hash', keySize: 4, valueSize: 8, maxEntries: 1024 },
    inflight: { type: 'lru_hash', keySize: 4, valueSize: 64, maxEntries: 4096 },
    signals: { type: 'lru_hash', keySize: 4, valueSize: 16, maxEntries: 4096 },
    counters: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 4 },
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

/** BTF struct wake_key (44 bytes). */
export interface WakeKey {
  gsi: number;
  cpu: number;
  tid: number;
  tgid: number;
  msi_dest: number;
  msi_vector: number;
  category: number;
  subcategory: number;
  comm: string;
}
export const WakeKeySize = 44;
export function decodeWakeKey(v: DataView, o: number): WakeKey {
  return {
    gsi: v.getUint32(o + 0, true),
    cpu: v.getUint32(o + 4, true),
    tid: v.getUint32(o + 8, true),
    tgid: v.getUint32(o + 12, true),
    msi_dest: v.getUint32(o + 16, true),
    msi_vector: v.getUint32(o + 20, true),
    category: v.getUint8(o + 24),
    subcategory: v.getUint8(o + 25),
    comm: readCString(v, o + 28, 16),
  };
}
/** Byte offset of each member of struct wake_key. */
export const WakeKeyOffsets = {
  gsi: 0,
  cpu: 4,
  tid: 8,
  tgid: 12,
  msi_dest: 16,
  msi_vector: 20,
  category: 24,
  subcategory: 25,
  comm: 28,
} as const;
/** A zeroed WakeKey (nested structs and arrays preallocated) for decodeWakeKeyInto(). */
export function createWakeKey(): WakeKey {
  return {
    gsi: 0,
    cpu: 0,
    tid: 0,
    tgid: 0,
    msi_dest: 0,
    msi_vector: 0,
    category: 0,
    subcategory: 0,
    comm: '',
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeWakeKeyInto(t: WakeKey, v: DataView, o: number): WakeKey {
  t.gsi = v.getUint32(o + 0, true);
  t.cpu = v.getUint32(o + 4, true);
  t.tid = v.getUint32(o + 8, true);
  t.tgid = v.getUint32(o + 12, true);
  t.msi_dest = v.getUint32(o + 16, true);
  t.msi_vector = v.getUint32(o + 20, true);
  t.category = v.getUint8(o + 24);
  t.subcategory = v.getUint8(o + 25);
  t.comm = readCString(v, o + 28, 16);
  return t;
}
export function readWakeKeyGsi(v: DataView, o: number): number {
  return v.getUint32(o + 0, true);
}
export function readWakeKeyCpu(v: DataView, o: number): number {
  return v.getUint32(o + 4, true);
}
export function readWakeKeyTid(v: DataView, o: number): number {
  return v.getUint32(o + 8, true);
}
export function readWakeKeyTgid(v: DataView, o: number): number {
  return v.getUint32(o + 12, true);
}
export function readWakeKeyMsiDest(v: DataView, o: number): number {
  return v.getUint32(o + 16, true);
}
export function readWakeKeyMsiVector(v: DataView, o: number): number {
  return v.getUint32(o + 20, true);
}
export function readWakeKeyCategory(v: DataView, o: number): number {
  return v.getUint8(o + 24);
}
export function readWakeKeySubcategory(v: DataView, o: number): number {
  return v.getUint8(o + 25);
}
export const WakeKeyLayout: StructLayout<WakeKey> = { name: 'wake_key', size: 44, decode: decodeWakeKey, create: createWakeKey, decodeInto: decodeWakeKeyInto };

/** BTF struct wake_val (72 bytes). */
export interface WakeVal {
  wakeups: number;
  inatomic: number;
  inline_ok: number;
  deferred: number;
  undelivered: number;
  vcpus: number;
  kicks: number;
  first_ns: number;
  last_ns: number;
}
export const WakeValSize = 72;
export function decodeWakeVal(v: DataView, o: number): WakeVal {
  return {
    wakeups: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    inatomic: (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296),
    inline_ok: (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296),
    deferred: (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296),
    undelivered: (v.getUint32(o + 32, true) + v.getUint32(o + 36, true) * 4294967296),
    vcpus: (v.getUint32(o + 40, true) + v.getUint32(o + 44, true) * 4294967296),
    kicks: (v.getUint32(o + 48, true) + v.getUint32(o + 52, true) * 4294967296),
    first_ns: (v.getUint32(o + 56, true) + v.getUint32(o + 60, true) * 4294967296),
    last_ns: (v.getUint32(o + 64, true) + v.getUint32(o + 68, true) * 4294967296),
  };
}
/** Byte offset of each member of struct wake_val. */
export const WakeValOffsets = {
  wakeups: 0,
  inatomic: 8,
  inline_ok: 16,
  deferred: 24,
  undelivered: 32,
  vcpus: 40,
  kicks: 48,
  first_ns: 56,
  last_ns: 64,
} as const;
/** A zeroed WakeVal (nested structs and arrays preallocated) for decodeWakeValInto(). */
export function createWakeVal(): WakeVal {
  return {
    wakeups: 0,
    inatomic: 0,
    inline_ok: 0,
    deferred: 0,
    undelivered: 0,
    vcpus: 0,
    kicks: 0,
    first_ns: 0,
    last_ns: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeWakeValInto(t: WakeVal, v: DataView, o: number): WakeVal {
  t.wakeups = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.inatomic = (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
  t.inline_ok = (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
  t.deferred = (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296);
  t.undelivered = (v.getUint32(o + 32, true) + v.getUint32(o + 36, true) * 4294967296);
  t.vcpus = (v.getUint32(o + 40, true) + v.getUint32(o + 44, true) * 4294967296);
  t.kicks = (v.getUint32(o + 48, true) + v.getUint32(o + 52, true) * 4294967296);
  t.first_ns = (v.getUint32(o + 56, true) + v.getUint32(o + 60, true) * 4294967296);
  t.last_ns = (v.getUint32(o + 64, true) + v.getUint32(o + 68, true) * 4294967296);
  return t;
}
export function readWakeValWakeups(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readWakeValInatomic(v: DataView, o: number): number {
  return (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
}
export function readWakeValInlineOk(v: DataView, o: number): number {
  return (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
}
export function readWakeValDeferred(v: DataView, o: number): number {
  return (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296);
}
export function readWakeValUndelivered(v: DataView, o: number): number {
  return (v.getUint32(o + 32, true) + v.getUint32(o + 36, true) * 4294967296);
}
export function readWakeValVcpus(v: DataView, o: number): number {
  return (v.getUint32(o + 40, true) + v.getUint32(o + 44, true) * 4294967296);
}
export function readWakeValKicks(v: DataView, o: number): number {
  return (v.getUint32(o + 48, true) + v.getUint32(o + 52, true) * 4294967296);
}
export function readWakeValFirstNs(v: DataView, o: number): number {
  return (v.getUint32(o + 56, true) + v.getUint32(o + 60, true) * 4294967296);
}
export function readWakeValLastNs(v: DataView, o: number): number {
  return (v.getUint32(o + 64, true) + v.getUint32(o + 68, true) * 4294967296);
}
export const WakeValLayout: StructLayout<WakeVal> = { name: 'wake_val', size: 72, decode: decodeWakeVal, create: createWakeVal, decodeInto: decodeWakeValInto };
