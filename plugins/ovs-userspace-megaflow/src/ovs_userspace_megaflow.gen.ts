// Generated from plugins/ovs-userspace-megaflow/bpf/ovs_userspace_megaflow.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { readBytes, readCString, type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto, type StructLayout } from '@nettrace/core';
export { type NtFlow, createNtFlow, decodeNtFlow, decodeNtFlowInto };

/** What plugins/ovs-userspace-megaflow/bpf/ovs_userspace_megaflow.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load),
 * counters (NT_COUNTERS, read with ctx.counters()). */
export const contract = {
  object: new URL('./ovs_userspace_megaflow.bpf.o', import.meta.url),
  programs: {
    nt_mf_tp_upcall: 'tracepoint/openvswitch/ovs_dp_upcall',
    nt_mf_fe_upcall: 'fentry/ovs_dp_upcall',
    nt_mf_kp_upcall: 'kprobe/ovs_dp_upcall',
    nt_mf_fe_flow: 'fentry/ovs_flow_cmd_new',
    nt_mf_kp_flow: 'kprobe/ovs_flow_cmd_new',
  },
  maps: {
    events: { type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: 1048576 },
    events_lost: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 1 },
    events_perf: { type: 'perf_event_array', keySize: 4, valueSize: 4, maxEntries: 0 },
    events_scratch: { type: 'percpu_array', keySize: 4, valueSize: 1024, maxEntries: 1 },
    upcalls: { type: 'lru_hash', keySize: 36, valueSize: 16, maxEntries: 10240 },
    counters: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 3 },
  },
  variables: {
    cfg_dst_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_dst_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_either_direction: { section: '.rodata', type: 'u8', size: 1 },
    cfg_emit_flows: { section: '.rodata', type: 'u8', size: 1 },
    cfg_emit_upcalls: { section: '.rodata', type: 'u8', size: 1 },
    cfg_eth_dst: { section: '.rodata', type: 'u8[6]', size: 6 },
    cfg_eth_src: { section: '.rodata', type: 'u8[6]', size: 6 },
    cfg_eth_type: { section: '.rodata', type: 'u16', size: 2 },
    cfg_ifindex: { section: '.rodata', type: 'u32', size: 4 },
    cfg_perf_buffer: { section: '.rodata', type: 'u8', size: 1 },
    cfg_pid: { section: '.rodata', type: 'u32', size: 4 },
    cfg_protocol: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_src_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_wakeup_bytes: { section: '.rodata', type: 'u64', size: 8 },
  },
  counters: ['upcalls', 'flow_news', 'truncated'],
} as const;

/** BTF enum mf_event_type. */
export const MfEventType = {
  MF_UPCALL: 1,
  MF_FLOW_NEW: 2,
} as const;
export type MfEventType = (typeof MfEventType)[keyof typeof MfEventType];

/** BTF struct flow_event (1008 bytes). */
export interface FlowEvent {
  type: number;
  truncated: number;
  pid: number;
  ts_ns: number;
  snd_portid: number;
  msg_len: number;
  key_len: number;
  mask_len: number;
  actions_len: number;
  comm: string;
  key: Uint8Array;
  mask: Uint8Array;
  actions: Uint8Array;
}
export const FlowEventSize = 1008;
export function decodeFlowEvent(v: DataView, o: number): FlowEvent {
  return {
    type: v.getUint8(o + 0),
    truncated: v.getUint8(o + 1),
    pid: v.getUint32(o + 4, true),
    ts_ns: (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296),
    snd_portid: v.getUint32(o + 16, true),
    msg_len: v.getUint32(o + 20, true),
    key_len: v.getUint16(o + 24, true),
    mask_len: v.getUint16(o + 26, true),
    actions_len: v.getUint16(o + 28, true),
    comm: readCString(v, o + 32, 16),
    key: readBytes(v, o + 48, 384),
    mask: readBytes(v, o + 432, 384),
    actions: readBytes(v, o + 816, 192),
  };
}
/** Byte offset of each member of struct flow_event. */
export const FlowEventOffsets = {
  type: 0,
  truncated: 1,
  pid: 4,
  ts_ns: 8,
  snd_portid: 16,
  msg_len: 20,
  key_len: 24,
  mask_len: 26,
  actions_len: 28,
  comm: 32,
  key: 48,
  mask: 432,
  actions: 816,
} as const;
/** A zeroed FlowEvent (nested structs and arrays preallocated) for decodeFlowEventInto(). */
export function createFlowEvent(): FlowEvent {
  return {
    type: 0,
    truncated: 0,
    pid: 0,
    ts_ns: 0,
    snd_portid: 0,
    msg_len: 0,
    key_len: 0,
    mask_len: 0,
    actions_len: 0,
    comm: '',
    key: new Uint8Array(384),
    mask: new Uint8Array(384),
    actions: new Uint8Array(192),
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeFlowEventInto(t: FlowEvent, v: DataView, o: number): FlowEvent {
  t.type = v.getUint8(o + 0);
  t.truncated = v.getUint8(o + 1);
  t.pid = v.getUint32(o + 4, true);
  t.ts_ns = (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
  t.snd_portid = v.getUint32(o + 16, true);
  t.msg_len = v.getUint32(o + 20, true);
  t.key_len = v.getUint16(o + 24, true);
  t.mask_len = v.getUint16(o + 26, true);
  t.actions_len = v.getUint16(o + 28, true);
  t.comm = readCString(v, o + 32, 16);
  for (let i0 = 0; i0 < 384; i0++) t.key[i0] = v.getUint8(o + 48 + i0);
  for (let i0 = 0; i0 < 384; i0++) t.mask[i0] = v.getUint8(o + 432 + i0);
  for (let i0 = 0; i0 < 192; i0++) t.actions[i0] = v.getUint8(o + 816 + i0);
  return t;
}
export function readFlowEventType(v: DataView, o: number): number {
  return v.getUint8(o + 0);
}
export function readFlowEventTruncated(v: DataView, o: number): number {
  return v.getUint8(o + 1);
}
export function readFlowEventPid(v: DataView, o: number): number {
  return v.getUint32(o + 4, true);
}
export function readFlowEventTsNs(v: DataView, o: number): number {
  return (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
}
export function readFlowEventSndPortid(v: DataView, o: number): number {
  return v.getUint32(o + 16, true);
}
export function readFlowEventMsgLen(v: DataView, o: number): number {
  return v.getUint32(o + 20, true);
}
export function readFlowEventKeyLen(v: DataView, o: number): number {
  return v.getUint16(o + 24, true);
}
export function readFlowEventMaskLen(v: DataView, o: number): number {
  return v.getUint16(o + 26, true);
}
export function readFlowEventActionsLen(v: DataView, o: number): number {
  return v.getUint16(o + 28, true);
}
export const FlowEventLayout: StructLayout<FlowEvent> = { name: 'flow_event', size: 1008, decode: decodeFlowEvent, create: createFlowEvent, decodeInto: decodeFlowEventInto };

/** BTF struct pair_key (36 bytes). */
export interface PairKey {
  family: number;
  protocol: number;
  saddr: Uint8Array;
  daddr: Uint8Array;
}
export const PairKeySize = 36;
export function decodePairKey(v: DataView, o: number): PairKey {
  return {
    family: v.getUint8(o + 0),
    protocol: v.getUint8(o + 1),
    saddr: readBytes(v, o + 4, 16),
    daddr: readBytes(v, o + 20, 16),
  };
}
/** Byte offset of each member of struct pair_key. */
export const PairKeyOffsets = {
  family: 0,
  protocol: 1,
  saddr: 4,
  daddr: 20,
} as const;
/** A zeroed PairKey (nested structs and arrays preallocated) for decodePairKeyInto(). */
export function createPairKey(): PairKey {
  return {
    family: 0,
    protocol: 0,
    saddr: new Uint8Array(16),
    daddr: new Uint8Array(16),
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodePairKeyInto(t: PairKey, v: DataView, o: number): PairKey {
  t.family = v.getUint8(o + 0);
  t.protocol = v.getUint8(o + 1);
  for (let i0 = 0; i0 < 16; i0++) t.saddr[i0] = v.getUint8(o + 4 + i0);
  for (let i0 = 0; i0 < 16; i0++) t.daddr[i0] = v.getUint8(o + 20 + i0);
  return t;
}
export function readPairKeyFamily(v: DataView, o: number): number {
  return v.getUint8(o + 0);
}
export function readPairKeyProtocol(v: DataView, o: number): number {
  return v.getUint8(o + 1);
}
export const PairKeyLayout: StructLayout<PairKey> = { name: 'pair_key', size: 36, decode: decodePairKey, create: createPairKey, decodeInto: decodePairKeyInto };

/** BTF struct pair_val (16 bytes). */
export interface PairVal {
  upcalls: number;
  bytes: number;
}
export const PairValSize = 16;
export function decodePairVal(v: DataView, o: number): PairVal {
  return {
    upcalls: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    bytes: (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296),
  };
}
/** Byte offset of each member of struct pair_val. */
export const PairValOffsets = {
  upcalls: 0,
  bytes: 8,
} as const;
/** A zeroed PairVal (nested structs and arrays preallocated) for decodePairValInto(). */
export function createPairVal(): PairVal {
  return {
    upcalls: 0,
    bytes: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodePairValInto(t: PairVal, v: DataView, o: number): PairVal {
  t.upcalls = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.bytes = (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
  return t;
}
export function readPairValUpcalls(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readPairValBytes(v: DataView, o: number): number {
  return (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
}
export const PairValLayout: StructLayout<PairVal> = { name: 'pair_val', size: 16, decode: decodePairVal, create: createPairVal, decodeInto: decodePairValInto };

/** BTF struct upcall_event (136 bytes). */
export interface UpcallEvent {
  type: number;
  cmd: number;
  in_port: number;
  pid: number;
  ts_ns: number;
  portid: number;
  ifindex: number;
  skb_mark: number;
  recirc_id: number;
  len: number;
  eth_type: number;
  eth_src: Uint8Array;
  eth_dst: Uint8Array;
  flow: NtFlow;
  comm: string;
  ifname: string;
}
export const UpcallEventSize = 136;
export function decodeUpcallEvent(v: DataView, o: number): UpcallEvent {
  return {
    type: v.getUint8(o + 0),
    cmd: v.getUint8(o + 1),
    in_port: v.getUint16(o + 2, true),
    pid: v.getUint32(o + 4, true),
    ts_ns: (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296),
    portid: v.getUint32(o + 16, true),
    ifindex: v.getUint32(o + 20, true),
    skb_mark: v.getUint32(o + 24, true),
    recirc_id: v.getUint32(o + 28, true),
    len: v.getUint32(o + 32, true),
    eth_type: v.getUint16(o + 36, true),
    eth_src: readBytes(v, o + 38, 6),
    eth_dst: readBytes(v, o + 44, 6),
    flow: decodeNtFlow(v, o + 52),
    comm: readCString(v, o + 100, 16),
    ifname: readCString(v, o + 116, 16),
  };
}
/** Byte offset of each member of struct upcall_event. */
export const UpcallEventOffsets = {
  type: 0,
  cmd: 1,
  in_port: 2,
  pid: 4,
  ts_ns: 8,
  portid: 16,
  ifindex: 20,
  skb_mark: 24,
  recirc_id: 28,
  len: 32,
  eth_type: 36,
  eth_src: 38,
  eth_dst: 44,
  flow: 52,
  comm: 100,
  ifname: 116,
} as const;
/** A zeroed UpcallEvent (nested structs and arrays preallocated) for decodeUpcallEventInto(). */
export function createUpcallEvent(): UpcallEvent {
  return {
    type: 0,
    cmd: 0,
    in_port: 0,
    pid: 0,
    ts_ns: 0,
    portid: 0,
    ifindex: 0,
    skb_mark: 0,
    recirc_id: 0,
    len: 0,
    eth_type: 0,
    eth_src: new Uint8Array(6),
    eth_dst: new Uint8Array(6),
    flow: createNtFlow(),
    comm: '',
    ifname: '',
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeUpcallEventInto(t: UpcallEvent, v: DataView, o: number): UpcallEvent {
  t.type = v.getUint8(o + 0);
  t.cmd = v.getUint8(o + 1);
  t.in_port = v.getUint16(o + 2, true);
  t.pid = v.getUint32(o + 4, true);
  t.ts_ns = (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
  t.portid = v.getUint32(o + 16, true);
  t.ifindex = v.getUint32(o + 20, true);
  t.skb_mark = v.getUint32(o + 24, true);
  t.recirc_id = v.getUint32(o + 28, true);
  t.len = v.getUint32(o + 32, true);
  t.eth_type = v.getUint16(o + 36, true);
  for (let i0 = 0; i0 < 6; i0++) t.eth_src[i0] = v.getUint8(o + 38 + i0);
  for (let i0 = 0; i0 < 6; i0++) t.eth_dst[i0] = v.getUint8(o + 44 + i0);
  decodeNtFlowInto(t.flow, v, o + 52);
  t.comm = readCString(v, o + 100, 16);
  t.ifname = readCString(v, o + 116, 16);
  return t;
}
export function readUpcallEventType(v: DataView, o: number): number {
  return v.getUint8(o + 0);
}
export function readUpcallEventCmd(v: DataView, o: number): number {
  return v.getUint8(o + 1);
}
export function readUpcallEventInPort(v: DataView, o: number): number {
  return v.getUint16(o + 2, true);
}
export function readUpcallEventPid(v: DataView, o: number): number {
  return v.getUint32(o + 4, true);
}
export function readUpcallEventTsNs(v: DataView, o: number): number {
  return (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
}
export function readUpcallEventPortid(v: DataView, o: number): number {
  return v.getUint32(o + 16, true);
}
export function readUpcallEventIfindex(v: DataView, o: number): number {
  return v.getUint32(o + 20, true);
}
export function readUpcallEventSkbMark(v: DataView, o: number): number {
  return v.getUint32(o + 24, true);
}
export function readUpcallEventRecircId(v: DataView, o: number): number {
  return v.getUint32(o + 28, true);
}
export function readUpcallEventLen(v: DataView, o: number): number {
  return v.getUint32(o + 32, true);
}
export function readUpcallEventEthType(v: DataView, o: number): number {
  return v.getUint16(o + 36, true);
}
export const UpcallEventLayout: StructLayout<UpcallEvent> = { name: 'upcall_event', size: 136, decode: decodeUpcallEvent, create: createUpcallEvent, decodeInto: decodeUpcallEventInto };
