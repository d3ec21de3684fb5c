// Generated from plugins/tun-tx-to-kvm-irq/bpf/tun_tx_to_kvm_irq.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto, type NtHist, createNtHist, decodeNtHist, decodeNtHistInto, type NtTunQueue, createNtTunQueue, decodeNtTunQueue, decodeNtTunQueueInto, type StructLayout } from '@nettrace/core';
export { type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto, type NtHist, createNtHist, decodeNtHist, decodeNtHistInto, type NtTunQueue, createNtTunQueue, decodeNtTunQueue, decodeNtTunQueueInto };

/** What plugins/tun-tx-to-kvm-irq/bpf/tun_tx_to_kvm_irq.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load),
 * counters (NT_COUNTERS, read with ctx.counters()). */
export const contract = {
  object: new URL('./tun_tx_to_kvm_irq.bpf.o', import.meta.url),
  programs: {
    nt_ttk_xmit_fe: 'fentry/tun_net_xmit',
    nt_ttk_xmit_kp: 'kprobe/tun_net_xmit',
    nt_ttk_sig_fe: 'fentry/vhost_add_used_and_signal_n',
    nt_ttk_sig_kp: 'kprobe/vhost_add_used_and_signal_n',
    nt_ttk_sig_fx: 'fexit/vhost_add_used_and_signal_n',
    nt_ttk_sig_kr: 'kretprobe/vhost_add_used_and_signal_n',
    nt_efd_sig_fe: 'fentry/eventfd_signal',
    nt_efd_sig_kp: 'kprobe/eventfd_signal',
    nt_efd_msk_fe: 'fentry/eventfd_signal_mask',
    nt_efd_msk_kp: 'kprobe/eventfd_signal_mask',
    nt_ttk_wake_fe: 'fentry/irqfd_wakeup',
    nt_ttk_wake_kp: 'kprobe/irqfd_wakeup',
  },
  maps: {
    events: { type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: 1048576 },
    events_lost: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 1 },
    events_perf: { type: 'perf_event_array', keySize: 4, valueSize: 4, maxEntries: 0 },
    events_scratch: { type: 'percpu_array', keySize: 4, valueSize: 1024, maxEntries: 1 },
    nt_signal_calls: { type: 'lru_hash', keySize: 4, valueSize: 64, maxEntries: 1024 },
    counters: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 2 },
    queues: { type: 'hash', keySize: 28, valueSize: 1096, maxEntries: 1024 },
    pending: { type: 'hash', keySize: 28, valueSize: 16, maxEntries: 1024 },
    chains: { type: 'lru_hash', keySize: 4, valueSize: 64, maxEntries: 1024 },
    scratch: { type: 'percpu_array', keySize: 4, valueSize: 136, maxEntries: 1 },
  },
  variables: {
    cfg_dst_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_dst_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_either_direction: { section: '.rodata', type: 'u8', size: 1 },
    cfg_icmp_id: { section: '.rodata', type: 'u16', size: 2 },
    cfg_icmp_id_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_icmp_seq: { section: '.rodata', type: 'u16', size: 2 },
    cfg_icmp_seq_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_ifindex: { section: '.rodata', type: 'u32', size: 4 },
    cfg_netns_ino: { section: '.rodata', type: 'u32', size: 4 },
    cfg_perf_buffer: { section: '.rodata', type: 'u8', size: 1 },
    cfg_pid: { section: '.rodata', type: 'u32', size: 4 },
    cfg_protocol: { section: '.rodata', type: 'u8', size: 1 },
    cfg_queue: { section: '.rodata', type: 'u16', size: 2 },
    cfg_queue_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_src_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_wakeup_bytes: { section: '.rodata', type: 'u64', size: 8 },
  },
  counters: ['unparsed', 'untracked'],
} as const;

/** BTF enum ttk_event_type. */
export const TtkEventType = {
  EV_XMIT: 0,
  EV_SIGNAL: 1,
} as const;
export type TtkEventType = (typeof TtkEventType)[keyof typeof TtkEventType];

/** BTF struct event (136 bytes). */
export interface Event {
  ts_ns: number;
  eventfd: bigint;
  signal_to_irqfd_ns: number;
  xmit_to_irqfd_ns: number;
  queue: NtTunQueue;
  flow: NtFlow;
  ring_pending: number;
  used: number;
  packets: number;
  gsi: number;
  tid: number;
  type: number;
  ring_full: number;
  signalled: number;
  event_idx: number;
  irqfd: number;
}
export const EventSize = 136;
export function decodeEvent(v: DataView, o: number): Event {
  return {
    ts_ns: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    eventfd: v.getBigUint64(o + 8, true),
    signal_to_irqfd_ns: (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296),
    xmit_to_irqfd_ns: (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296),
    queue: decodeNtTunQueue(v, o + 32),
    flow: decodeNtFlow(v, o + 60),
    ring_pending: v.getUint32(o + 108, true),
    used: v.getUint32(o + 112, true),
    packets: v.getUint32(o + 116, true),
    gsi: v.getUint32(o + 120, true),
    tid: v.getUint32(o + 124, true),
    type: v.getUint8(o + 128),
    ring_full: v.getUint8(o + 129),
    signalled: v.getUint8(o + 130),
    event_idx: v.getUint8(o + 131),
    irqfd: v.getUint8(o + 132),
  };
}
/** Byte offset of each member of struct event. */
export const EventOffsets = {
  ts_ns: 0,
  eventfd: 8,
  signal_to_irqfd_ns: 16,
  xmit_to_irqfd_ns: 24,
  queue: 32,
  flow: 60,
  ring_pending: 108,
  used: 112,
  packets: 116,
  gsi: 120,
  tid: 124,
  type: 128,
  ring_full: 129,
  signalled: 130,
  event_idx: 131,
  irqfd: 132,
} as const;
/** A zeroed Event (nested structs and arrays preallocated) for decodeEventInto(). */
export function createEvent(): Event {
  return {
    ts_ns: 0,
    eventfd: 0n,
    signal_to_irqfd_ns: 0,
    xmit_to_irqfd_ns: 0,
    queue: createNtTunQueue(),
    flow: createNtFlow(),
    ring_pending: 0,
    used: 0,
    packets: 0,
    gsi: 0,
    tid: 0,
    type: 0,
    ring_full: 0,
    signalled: 0,
    event_idx: 0,
    irqfd: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeEventInto(t: Event, v: DataView, o: number): Event {
  t.ts_ns = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.eventfd = v.getBigUint64(o + 8, true);
  t.signal_to_irqfd_ns = (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
  t.xmit_to_irqfd_ns = (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296);
  decodeNtTunQueueInto(t.queue, v, o + 32);
  decodeNtFlowInto(t.flow, v, o + 60);
  t.ring_pending = v.getUint32(o + 108, true);
  t.used = v.getUint32(o + 112, true);
  t.packets = v.getUint32(o + 116, true);
  t.gsi = v.getUint32(o + 120, true);
  t.tid = v.getUint32(o + 124, true);
  t.type = v.getUint8(o + 128);
  t.ring_full = v.getUint8(o + 129);
  t.signalled = v.getUint8(o + 130);
  t.event_idx = v.getUint8(o + 131);
  t.irqfd = v.getUint8(o + 132);
  return t;
}
export function readEventTsNs(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readEventEventfd(v: DataView, o: number): bigint {
  return v.getBigUint64(o + 8, true);
}
export function readEventSignalToIrqfdNs(v: DataView, o: number): number {
  return (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
}
export function readEventXmitToIrqfdNs(v: DataView, o: number): number {
  return (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296);
}
export function readEventRingPending(v: DataView, o: number): number {
  return v.getUint32(o + 108, true);
}
export function readEventUsed(v: DataView, o: number): number {
  return v.getUint32(o + 112, true);
}
export function readEventPackets(v: DataView, o: number): number {
  return v.getUint32(o + 116, true);
}
export function readEventGsi(v: DataView, o: number): number {
  return v.getUint32(o + 120, true);
}
export function readEventTid(v: DataView, o: number): number {
  return v.getUint32(o + 124, true);
}
export function readEventType(v: DataView, o: number): number {
  return v.getUint8(o + 128);
}
export function readEventRingFull(v: DataView, o: number): number {
  return v.getUint8(o + 129);
}
export function readEventSignalled(v: DataView, o: number): number {
  return v.getUint8(o + 130);
}
export function readEventEventIdx(v: DataView, o: number): number {
  return v.getUint8(o + 131);
}
export function readEventIrqfd(v: DataView, o: number): number {
  return v.getUint8(o + 132);
}
export const EventLayout: StructLayout<Event> = { name: 'event', size: 136, decode: decodeEvent, create: createEvent, decodeInto: decodeEventInto };

/** BTF struct queue_val (1096 bytes). */
export interface QueueVal {
  xmits: number;
  signals: number;
  used: number;
  interrupts: number;
  irqfd: number;
  suppressed: number;
  no_eventfd: number;
  signal_to_irqfd_sum_us: number;
  xmit_to_irqfd_sum_us: number;
  signal_to_irqfd_us: NtHist;
  xmit_to_irqfd_us: NtHist;
}
export const QueueValSize = 1096;
export function decodeQueueVal(v: DataView, o: number): QueueVal {
  return {
    xmits: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    signals: (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296),
    used: (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296),
    interrupts: (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296),
    irqfd: (v.getUint32(o + 32, true) + v.getUint32(o + 36, true) * 4294967296),
    suppressed: (v.getUint32(o + 40, true) + v.getUint32(o + 44, true) * 4294967296),
    no_eventfd: (v.getUint32(o + 48, true) + v.getUint32(o + 52, true) * 4294967296),
    signal_to_irqfd_sum_us: (v.getUint32(o + 56, true) + v.getUint32(o + 60, true) * 4294967296),
    xmit_to_irqfd_sum_us: (v.getUint32(o + 64, true) + v.getUint32(o + 68, true) * 4294967296),
    signal_to_irqfd_us: decodeNtHist(v, o + 72),
    xmit_to_irqfd_us: decodeNtHist(v, o + 584),
  };
}
/** Byte offset of each member of struct queue_val. */
export const QueueValOffsets = {
  xmits: 0,
  signals: 8,
  used: 16,
  interrupts: 24,
  irqfd: 32,
  suppressed: 40,
  no_eventfd: 48,
  signal_to_irqfd_sum_us: 56,
  xmit_to_irqfd_sum_us: 64,
  signal_to_irqfd_us: 72,
  xmit_to_irqfd_us: 584,
} as const;
/** A zeroed QueueVal (nested structs and arrays preallocated) for decodeQueueValInto(). */
export function createQueueVal(): QueueVal {
  return {
    xmits: 0,
    signals: 0,
    used: 0,
    interrupts: 0,
    irqfd: 0,
    suppressed: 0,
    no_eventfd: 0,
    signal_to_irqfd_sum_us: 0,
    xmit_to_irqfd_sum_us: 0,
    signal_to_irqfd_us: createNtHist(),
    xmit_to_irqfd_us: createNtHist(),
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeQueueValInto(t: QueueVal, v: DataView, o: number): QueueVal {
  t.xmits = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.signals = (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
  t.used = (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
  t.interrupts = (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296);
  t.irqfd = (v.getUint32(o + 32, true) + v.getUint32(o + 36, true) * 4294967296);
  t.suppressed = (v.getUint32(o + 40, true) + v.getUint32(o + 44, true) * 4294967296);
  t.no_eventfd = (v.getUint32(o + 48, true) + v.getUint32(o + 52, true) * 4294967296);
  t.signal_to_irqfd_sum_us = (v.getUint32(o + 56, true) + v.getUint32(o + 60, true) * 4294967296);
  t.xmit_to_irqfd_sum_us = (v.getUint32(o + 64, true) + v.getUint32(o + 68, true) * 4294967296);
  decodeNtHistInto(t.signal_to_irqfd_us, v, o + 72);
  decodeNtHistInto(t.xmit_to_irqfd_us, v, o + 584);
  return t;
}
export function readQueueValXmits(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readQueueValSignals(v: DataView, o: number): number {
  return (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
}
export function readQueueValUsed(v: DataView, o: number): number {
  return (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
}
export function readQueueValInterrupts(v: DataView, o: number): number {
  return (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296);
}
export function readQueueValIrqfd(v: DataView, o: number): number {
  return (v.getUint32(o + 32, true) + v.getUint32(o + 36, true) * 4294967296);
}
export function readQueueValSuppressed(v: DataView, o: number): number {
  return (v.getUint32(o + 40, true) + v.getUint32(o + 44, true) * 4294967296);
}
export function readQueueValNoEventfd(v: DataView, o: number): number {
  return (v.getUint32(o + 48, true) + v.getUint32(o + 52, true) * 4294967296);
}
export function readQueueValSignalToIrqfdSumUs(v: DataView, o: number): number {
  return (v.getUint32(o + 56, true) + v.getUint32(o + 60, true) * 4294967296);
}
export function readQueueValXmitToIrqfdSumUs(v: DataView, o: number): number {
  return (v.getUint32(o + 64, true) + v.getUint32(o + 68, true) * 4294967296);
}
export const QueueValLayout: StructLayout<QueueVal> = { name: 'queue_val', size: 1096, decode: decodeQueueVal, create: createQueueVal, decodeInto: decodeQueueValInto };
