// Generated from plugins/qdisc-drop-trace/bpf/qdisc_drop_trace.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { readCString, type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto, type StructLayout } from '@nettrace/core';
export { type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto };

/** What plugins/qdisc-drop-trace/bpf/qdisc_drop_trace.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load),
 * counters (NT_COUNTERS, read with ctx.counters()). */
export const contract = {
  object: new URL('./qdisc_drop_trace.bpf.o', import.meta.url),
  programs: {
    nt_qdt_ndq_btf: 'tp_btf/net_dev_queue',
    nt_qdt_ndq_tp: 'tracepoint/net/net_dev_queue',
    nt_qdt_btf: 'tp_btf/kfree_skb',
    nt_qdt_tp: 'tracepoint/skb/kfree_skb',
    nt_qdt_enq_fx: 'fexit/dev_qdisc_enqueue',
    nt_qdt_xmit_fe: 'fentry/__dev_queue_xmit',
    nt_qdt_xmit_kp: 'kprobe/__dev_queue_xmit',
    nt_qdt_xmit_fx: 'fexit/__dev_queue_xmit',
    nt_qdt_xmit_kr: 'kretprobe/__dev_queue_xmit',
  },
  maps: {
    events: { type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: 1048576 },
    events_lost: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 1 },
    events_perf: { type: 'perf_event_array', keySize: 4, valueSize: 4, maxEntries: 0 },
    events_scratch: { type: 'percpu_array', keySize: 4, valueSize: 1024, maxEntries: 1 },
    stacks: { type: 'stack_trace', keySize: 4, valueSize: 256, maxEntries: 4096 },
    counters: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 7 },
    qdiscs: { type: 'hash', keySize: 16, valueSize: 80, maxEntries: 1024 },
    xmit_frames: { type: 'lru_hash', keySize: 8, valueSize: 968, maxEntries: 4096 },
  },
  variables: {
    cfg_dst_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_dst_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_either_direction: { section: '.rodata', type: 'u8', size: 1 },
    cfg_ifindex: { section: '.rodata', type: 'u32', size: 4 },
    cfg_lines: { section: '.rodata', type: 'u8', size: 1 },
    cfg_netns_ino: { section: '.rodata', type: 'u32', size: 4 },
    cfg_perf_buffer: { section: '.rodata', type: 'u8', size: 1 },
    cfg_pid: { section: '.rodata', type: 'u32', size: 4 },
    cfg_protocol: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_src_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_stack: { section: '.rodata', type: 'u8', size: 1 },
    cfg_wakeup_bytes: { section: '.rodata', type: 'u64', size: 8 },
    xmit_frames_empty: { section: '.rodata', type: 'struct xmit_frames_stack', size: 968 },
  },
  counters: ['reason_drops', 'enqueue_rc_drops', 'xmit_rc_drops', 'cn_returns', 'unmatched_returns', 'too_deep', 'untracked'],
} as const;

/** BTF struct nt_qdisc_id (24 bytes). */
export interface NtQdiscId {
  handle: number;
  parent: number;
  kind: string;
}
export const NtQdiscIdSize = 24;
export function decodeNtQdiscId(v: DataView, o: number): NtQdiscId {
  return {
    handle: v.getUint32(o + 0, true),
    parent: v.getUint32(o + 4, true),
    kind: readCString(v, o + 8, 16),
  };
}
/** Byte offset of each member of struct nt_qdisc_id. */
export const NtQdiscIdOffsets = {
  handle: 0,
  parent: 4,
  kind: 8,
} as const;
/** A zeroed NtQdiscId (nested structs and arrays preallocated) for decodeNtQdiscIdInto(). */
export function createNtQdiscId(): NtQdiscId {
  return {
    handle: 0,
    parent: 0,
    kind: '',
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeNtQdiscIdInto(t: NtQdiscId, v: DataView, o: number): NtQdiscId {
  t.handle = v.getUint32(o + 0, true);
  t.parent = v.getUint32(o + 4, true);
  t.kind = readCString(v, o + 8, 16);
  return t;
}
export function readNtQdiscIdHandle(v: DataView, o: number): number {
  return v.getUint32(o + 0, true);
}
export function readNtQdiscIdParent(v: DataView, o: number): number {
  return v.getUint32(o + 4, true);
}
export const NtQdiscIdLayout: StructLayout<NtQdiscId> = { name: 'nt_qdisc_id', size: 24, decode: decodeNtQdiscId, create: createNtQdiscId, decodeInto: decodeNtQdiscIdInto };

/** BTF struct pkt (104 bytes). */
export interface Pkt {
  netns: number;
  ifindex: number;
  len: number;
  qdisc: NtQdiscId;
  ifname: string;
  flow: NtFlow;
}
export const PktSize = 104;
export function decodePkt(v: DataView, o: number): Pkt {
  return {
    netns: v.getUint32(o + 0, true),
    ifindex: v.getUint32(o + 4, true),
    len: v.getUint32(o + 8, true),
    qdisc: decodeNtQdiscId(v, o + 16),
    ifname: readCString(v, o + 40, 16),
    flow: decodeNtFlow(v, o + 56),
  };
}
/** Byte offset of each member of struct pkt. */
export const PktOffsets = {
  netns: 0,
  ifindex: 4,
  len: 8,
  qdisc: 16,
  ifname: 40,
  flow: 56,
} as const;
/** A zeroed Pkt (nested structs and arrays preallocated) for decodePktInto(). */
export function createPkt(): Pkt {
  return {
    netns: 0,
    ifindex: 0,
    len: 0,
    qdisc: createNtQdiscId(),
    ifname: '',
    flow: createNtFlow(),
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodePktInto(t: Pkt, v: DataView, o: number): Pkt {
  t.netns = v.getUint32(o + 0, true);
  t.ifindex = v.getUint32(o + 4, true);
  t.len = v.getUint32(o + 8, true);
  decodeNtQdiscIdInto(t.qdisc, v, o + 16);
  t.ifname = readCString(v, o + 40, 16);
  decodeNtFlowInto(t.flow, v, o + 56);
  return t;
}
export function readPktNetns(v: DataView, o: number): number {
  return v.getUint32(o + 0, true);
}
export function readPktIfindex(v: DataView, o: number): number {
  return v.getUint32(o + 4, true);
}
export function readPktLen(v: DataView, o: number): number {
  return v.getUint32(o + 8, true);
}
export const PktLayout: StructLayout<Pkt> = { name: 'pkt', size: 104, decode: decodePkt, create: createPkt, decodeInto: decodePktInto };

/** BTF struct qdisc_event (144 bytes). */
export interface QdiscEvent {
  ts_ns: number;
  line: number;
  source: number;
  code: number;
  stack_id: number;
  pid: number;
  comm: string;
  pkt: Pkt;
}
export const QdiscEventSize = 144;
export function decodeQdiscEvent(v: DataView, o: number): QdiscEvent {
  return {
    ts_ns: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    line: v.getUint8(o + 8),
    source: v.getUint8(o + 9),
    code: v.getUint32(o + 12, true),
    stack_id: v.getInt32(o + 16, true),
    pid: v.getUint32(o + 20, true),
    comm: readCString(v, o + 24, 16),
    pkt: decodePkt(v, o + 40),
  };
}
/** Byte offset of each member of struct qdisc_event. */
export const QdiscEventOffsets = {
  ts_ns: 0,
  line: 8,
  source: 9,
  code: 12,
  stack_id: 16,
  pid: 20,
  comm: 24,
  pkt: 40,
} as const;
/** A zeroed QdiscEvent (nested structs and arrays preallocated) for decodeQdiscEventInto(). */
export function createQdiscEvent(): QdiscEvent {
  return {
    ts_ns: 0,
    line: 0,
    source: 0,
    code: 0,
    stack_id: 0,
    pid: 0,
    comm: '',
    pkt: createPkt(),
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeQdiscEventInto(t: QdiscEvent, v: DataView, o: number): QdiscEvent {
  t.ts_ns = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.line = v.getUint8(o + 8);
  t.source = v.getUint8(o + 9);
  t.code = v.getUint32(o + 12, true);
  t.stack_id = v.getInt32(o + 16, true);
  t.pid = v.getUint32(o + 20, true);
  t.comm = readCString(v, o + 24, 16);
  decodePktInto(t.pkt, v, o + 40);
  return t;
}
export function readQdiscEventTsNs(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readQdiscEventLine(v: DataView, o: number): number {
  return v.getUint8(o + 8);
}
export function readQdiscEventSource(v: DataView, o: number): number {
  return v.getUint8(o + 9);
}
export function readQdiscEventCode(v: DataView, o: number): number {
  return v.getUint32(o + 12, true);
}
export function readQdiscEventStackId(v: DataView, o: number): number {
  return v.getInt32(o + 16, true);
}
export function readQdiscEventPid(v: DataView, o: number): number {
  return v.getUint32(o + 20, true);
}
export const QdiscEventLayout: StructLayout<QdiscEvent> = { name: 'qdisc_event', size: 144, decode: decodeQdiscEvent, create: createQdiscEvent, decodeInto: decodeQdiscEventInto };

/** BTF struct qdisc_key (16 bytes). */
export interface QdiscKey {
  netns: number;
  ifindex: number;
  handle: number;
}
export const QdiscKeySize = 16;
export function decodeQdiscKey(v: DataView, o: number): QdiscKey {
  return {
    netns: v.getUint32(o + 0, true),
    ifindex: v.getUint32(o + 4, true),
    handle: v.getUint32(o + 8, true),
  };
}
/** Byte offset of each member of struct qdisc_key. */
export const QdiscKeyOffsets = {
  netns: 0,
  ifindex: 4,
  handle: 8,
} as const;
/** A zeroed QdiscKey (nested structs and arrays preallocated) for decodeQdiscKeyInto(). */
export function createQdiscKey(): QdiscKey {
  return {
    netns: 0,
    ifindex: 0,
    handle: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeQdiscKeyInto(t: QdiscKey, v: DataView, o: number): QdiscKey {
  t.netns = v.getUint32(o + 0, true);
  t.ifindex = v.getUint32(o + 4, true);
  t.handle = v.getUint32(o + 8, true);
  return t;
}
export function readQdiscKeyNetns(v: DataView, o: number): number {
  return v.getUint32(o + 0, true);
}
export function readQdiscKeyIfindex(v: DataView, o: number): number {
  return v.getUint32(o + 4, true);
}
export function readQdiscKeyHandle(v: DataView, o: number): number {
  return v.getUint32(o + 8, true);
}
export const QdiscKeyLayout: StructLayout<QdiscKey> = { name: 'qdisc_key', size: 16, decode: decodeQdiscKey, create: createQdiscKey, decodeInto: decodeQdiscKeyInto };

/** BTF struct qdisc_val (80 bytes). */
export interface QdiscVal {
  offered: number;
  offered_bytes: number;
  drops: number;
  drop_bytes: number;
  cn_returns: number;
  parent: number;
  ifname: string;
  kind: string;
}
export const QdiscValSize = 80;
export function decodeQdiscVal(v: DataView, o: number): QdiscVal {
  return {
    offered: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    offered_bytes: (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296),
    drops: (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296),
    drop_bytes: (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296),
    cn_returns: (v.getUint32(o + 32, true) + v.getUint32(o + 36, true) * 4294967296),
    parent: v.getUint32(o + 40, true),
    ifname: readCString(v, o + 48, 16),
    kind: readCString(v, o + 64, 16),
  };
}
/** Byte offset of each member of struct qdisc_val. */
export const QdiscValOffsets = {
  offered: 0,
  offered_bytes: 8,
  drops: 16,
  drop_bytes: 24,
  cn_returns: 32,
  parent: 40,
  ifname: 48,
  kind: 64,
} as const;
/** A zeroed QdiscVal (nested structs and arrays preallocated) for decodeQdiscValInto(). */
export function createQdiscVal(): QdiscVal {
  return {
    offered: 0,
    offered_bytes: 0,
    drops: 0,
    drop_bytes: 0,
    cn_returns: 0,
    parent: 0,
    ifname: '',
    kind: '',
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeQdiscValInto(t: QdiscVal, v: DataView, o: number): QdiscVal {
  t.offered = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.offered_bytes = (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
  t.drops = (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
  t.drop_bytes = (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296);
  t.cn_returns = (v.getUint32(o + 32, true) + v.getUint32(o + 36, true) * 4294967296);
  t.parent = v.getUint32(o + 40, true);
  t.ifname = readCString(v, o + 48, 16);
  t.kind = readCString(v, o + 64, 16);
  return t;
}
export function readQdiscValOffered(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readQdiscValOfferedBytes(v: DataView, o: number): number {
  return (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
}
export function readQdiscValDrops(v: DataView, o: number): number {
  return (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
}
export function readQdiscValDropBytes(v: DataView, o: number): number {
  return (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296);
}
export function readQdiscValCnReturns(v: DataView, o: number): number {
  return (v.getUint32(o + 32, true) + v.getUint32(o + 36, true) * 4294967296);
}
export function readQdiscValParent(v: DataView, o: number): number {
  return v.getUint32(o + 40, true);
}
export const QdiscValLayout: StructLayout<QdiscVal> = { name: 'qdisc_val', size: 80, decode: decodeQdiscVal, create: createQdiscVal, decodeInto: decodeQdiscValInto };
