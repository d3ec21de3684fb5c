// Generated from plugins/ovs-kernel-drop-monitor/bpf/ovs_kernel_drop_monitor.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { readCString, type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto, type StructLayout } from '@nettrace/core';
export { type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto };

/** What plugins/ovs-kernel-drop-monitor/bpf/ovs_kernel_drop_monitor.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load),
 * counters (NT_COUNTERS, read with ctx.counters()). */
export const contract = {
  object: new URL('./ovs_kernel_drop_monitor.bpf.o', import.meta.url),
  programs: {
    nt_okd_fe_exec: 'fentry/ovs_execute_actions',
    nt_okd_kp_exec: 'kprobe/ovs_execute_actions',
    nt_okd_fx_exec: 'fexit/ovs_execute_actions',
    nt_okd_kr_exec: 'kretprobe/ovs_execute_actions',
    nt_okd_fe_meter: 'fentry/ovs_meter_execute',
    nt_okd_kp_meter: 'kprobe/ovs_meter_execute',
    nt_okd_fx_meter: 'fexit/ovs_meter_execute',
    nt_okd_kr_meter: 'kretprobe/ovs_meter_execute',
    nt_okd_fe_send: 'fentry/ovs_vport_send',
    nt_okd_kp_send: 'kprobe/ovs_vport_send',
    nt_okd_tp_upc: 'tracepoint/openvswitch/ovs_dp_upcall',
    nt_okd_fe_upc: 'fentry/ovs_dp_upcall',
    nt_okd_kp_upc: 'kprobe/ovs_dp_upcall',
    nt_okd_btf_free: 'tp_btf/kfree_skb',
    nt_okd_tp_free: 'tracepoint/skb/kfree_skb',
    nt_okd_btf_cons: 'tp_btf/consume_skb',
    nt_okd_tp_cons: 'tracepoint/skb/consume_skb',
  },
  maps: {
    stacks: { type: 'stack_trace', keySize: 4, valueSize: 256, maxEntries: 4096 },
    events: { type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: 1048576 },
    events_lost: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 1 },
    events_perf: { type: 'perf_event_array', keySize: 4, valueSize: 4, maxEntries: 0 },
    events_scratch: { type: 'percpu_array', keySize: 4, valueSize: 1024, maxEntries: 1 },
    tracked: { type: 'lru_hash', keySize: 8, valueSize: 72, maxEntries: 8192 },
    drops: { type: 'lru_hash', keySize: 64, valueSize: 40, maxEntries: 10240 },
    counters: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 4 },
    exec_frames: { type: 'lru_hash', keySize: 8, valueSize: 72, maxEntries: 4096 },
    meter_frames: { type: 'lru_hash', keySize: 8, valueSize: 72, maxEntries: 4096 },
    scratch: { type: 'percpu_array', keySize: 4, valueSize: 72, maxEntries: 1 },
  },
  variables: {
    cfg_dst_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_dst_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_either_direction: { section: '.rodata', type: 'u8', size: 1 },
    cfg_ifindex: { section: '.rodata', type: 'u32', size: 4 },
    cfg_netns_ino: { section: '.rodata', type: 'u32', size: 4 },
    cfg_perf_buffer: { section: '.rodata', type: 'u8', size: 1 },
    cfg_pid: { section: '.rodata', type: 'u32', size: 4 },
    cfg_protocol: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_src_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_trace: { section: '.rodata', type: 'u8', size: 1 },
    cfg_wakeup_bytes: { section: '.rodata', type: 'u64', size: 8 },
    exec_frames_empty: { section: '.rodata', type: 'struct exec_frames_stack', size: 72 },
    meter_frames_empty: { section: '.rodata', type: 'struct meter_frames_stack', size: 72 },
  },
  counters: ['drops', 'executions', 'untracked', 'handed_free'],
} as const;

/** BTF enum drop_kind. */
export const DropKind = {
  KIND_KFREE: 0,
  KIND_METER: 1,
  KIND_NO_OUTPUT: 2,
  KIND_OVS_REASON: 3,
} as const;
export type DropKind = (typeof DropKind)[keyof typeof DropKind];

/** BTF struct drop_event (128 bytes). */
export interface DropEvent {
  ts_ns: number;
  location: bigint;
  reason: number;
  kind: number;
  stack_id: number;
  pid: number;
  cpu: number;
  in_ifindex: number;
  len: number;
  comm: string;
  in_ifname: string;
  flow: NtFlow;
}
export const DropEventSize = 128;
export function decodeDropEvent(v: DataView, o: number): DropEvent {
  return {
    ts_ns: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    location: v.getBigUint64(o + 8, true),
    reason: v.getUint32(o + 16, true),
    kind: v.getUint32(o + 20, true),
    stack_id: v.getInt32(o + 24, true),
    pid: v.getUint32(o + 28, true),
    cpu: v.getUint32(o + 32, true),
    in_ifindex: v.getUint32(o + 36, true),
    len: v.getUint32(o + 40, true),
    comm: readCString(v, o + 48, 16),
    in_ifname: readCString(v, o + 64, 16),
    flow: decodeNtFlow(v, o + 80),
  };
}
/** Byte offset of each member of struct drop_event. */
export const DropEventOffsets = {
  ts_ns: 0,
  location: 8,
  reason: 16,
  kind: 20,
  stack_id: 24,
  pid: 28,
  cpu: 32,
  in_ifindex: 36,
  len: 40,
  comm: 48,
  in_ifname: 64,
  flow: 80,
} as const;
/** A zeroed DropEvent (nested structs and arrays preallocated) for decodeDropEventInto(). */
export function createDropEvent(): DropEvent {
  return {
    ts_ns: 0,
    location: 0n,
    reason: 0,
    kind: 0,
    stack_id: 0,
    pid: 0,
    cpu: 0,
    in_ifindex: 0,
    len: 0,
    comm: '',
    in_ifname: '',
    flow: createNtFlow(),
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeDropEventInto(t: DropEvent, v: DataView, o: number): DropEvent {
  t.ts_ns = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.location = v.getBigUint64(o + 8, true);
  t.reason = v.getUint32(o + 16, true);
  t.kind = v.getUint32(o + 20, true);
  t.stack_id = v.getInt32(o + 24, true);
  t.pid = v.getUint32(o + 28, true);
  t.cpu = v.getUint32(o + 32, true);
  t.in_ifindex = v.getUint32(o + 36, true);
  t.len = v.getUint32(o + 40, true);
  t.comm = readCString(v, o + 48, 16);
  t.in_ifname = readCString(v, o + 64, 16);
  decodeNtFlowInto(t.flow, v, o + 80);
  return t;
}
export function readDropEventTsNs(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readDropEventLocation(v: DataView, o: number): bigint {
  return v.getBigUint64(o + 8, true);
}
export function readDropEventReason(v: DataView, o: number): number {
  return v.getUint32(o + 16, true);
}
export function readDropEventKind(v: DataView, o: number): number {
  return v.getUint32(o + 20, true);
}
export function readDropEventStackId(v: DataView, o: number): number {
  return v.getInt32(o + 24, true);
}
export function readDropEventPid(v: DataView, o: number): number {
  return v.getUint32(o + 28, true);
}
export function readDropEventCpu(v: DataView, o: number): number {
  return v.getUint32(o + 32, true);
}
export function readDropEventInIfindex(v: DataView, o: number): number {
  return v.getUint32(o + 36, true);
}
export function readDropEventLen(v: DataView, o: number): number {
  return v.getUint32(o + 40, true);
}
export const DropEventLayout: StructLayout<DropEvent> = { name: 'drop_event', size: 128, decode: decodeDropEvent, create: createDropEvent, decodeInto: decodeDropEventInto };

/** BTF struct drop_key (64 bytes). */
export interface DropKey {
  reason: number;
  kind: number;
  stack_id: number;
  in_ifindex: number;
  flow: NtFlow;
}
export const DropKeySize = 64;
export function decodeDropKey(v: DataView, o: number): DropKey {
  return {
    reason: v.getUint32(o + 0, true),
    kind: v.getUint32(o + 4, true),
    stack_id: v.getInt32(o + 8, true),
    in_ifindex: v.getUint32(o + 12, true),
    flow: decodeNtFlow(v, o + 16),
  };
}
/** Byte offset of each member of struct drop_key. */
export const DropKeyOffsets = {
  reason: 0,
  kind: 4,
  stack_id: 8,
  in_ifindex: 12,
  flow: 16,
} as const;
/** A zeroed DropKey (nested structs and arrays preallocated) for decodeDropKeyInto(). */
export function createDropKey(): DropKey {
  return {
    reason: 0,
    kind: 0,
    stack_id: 0,
    in_ifindex: 0,
    flow: createNtFlow(),
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeDropKeyInto(t: DropKey, v: DataView, o: number): DropKey {
  t.reason = v.getUint32(o + 0, true);
  t.kind = v.getUint32(o + 4, true);
  t.stack_id = v.getInt32(o + 8, true);
  t.in_ifindex = v.getUint32(o + 12, true);
  decodeNtFlowInto(t.flow, v, o + 16);
  return t;
}
export function readDropKeyReason(v: DataView, o: number): number {
  return v.getUint32(o + 0, true);
}
export function readDropKeyKind(v: DataView, o: number): number {
  return v.getUint32(o + 4, true);
}
export function readDropKeyStackId(v: DataView, o: number): number {
  return v.getInt32(o + 8, true);
}
export function readDropKeyInIfindex(v: DataView, o: number): number {
  return v.getUint32(o + 12, true);
}
export const DropKeyLayout: StructLayout<DropKey> = { name: 'drop_key', size: 64, decode: decodeDropKey, create: createDropKey, decodeInto: decodeDropKeyInto };

/** BTF struct drop_val (40 bytes). */
export interface DropVal {
  count: number;
  bytes: number;
  last_ns: number;
  in_ifname: string;
}
export const DropValSize = 40;
export function decodeDropVal(v: DataView, o: number): DropVal {
  return {
    count: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    bytes: (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296),
    last_ns: (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296),
    in_ifname: readCString(v, o + 24, 16),
  };
}
/** Byte offset of each member of struct drop_val. */
export const DropValOffsets = {
  count: 0,
  bytes: 8,
  last_ns: 16,
  in_ifname: 24,
} as const;
/** A zeroed DropVal (nested structs and arrays preallocated) for decodeDropValInto(). */
export function createDropVal(): DropVal {
  return {
    count: 0,
    bytes: 0,
    last_ns: 0,
    in_ifname: '',
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeDropValInto(t: DropVal, v: DataView, o: number): DropVal {
  t.count = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.bytes = (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
  t.last_ns = (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
  t.in_ifname = readCString(v, o + 24, 16);
  return t;
}
export function readDropValCount(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readDropValBytes(v: DataView, o: number): number {
  return (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
}
export function readDropValLastNs(v: DataView, o: number): number {
  return (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
}
export const DropValLayout: StructLayout<DropVal> = { name: 'drop_val', size: 40, decode: decodeDropVal, create: createDropVal, decodeInto: decodeDropValInto };
