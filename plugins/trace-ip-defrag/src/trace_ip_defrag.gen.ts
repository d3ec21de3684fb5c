// Generated from plugins/trace-ip-defrag/bpf/trace_ip_defrag.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { readBytes, readCString, type StructLayout } from '@nettrace/core';

/** What plugins/trace-ip-defrag/bpf/trace_ip_defrag.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load),
 * counters (NT_COUNTERS, read with ctx.counters()). */
export const contract = {
  object: new URL('./trace_ip_defrag.bpf.o', import.meta.url),
  programs: {
    nt_df_entry_fe: 'fentry/ip_defrag',
    nt_df_entry_kp: 'kprobe/ip_defrag',
    nt_df_ret_fx: 'fexit/ip_defrag',
    nt_df_ret_kr: 'kretprobe/ip_defrag',
    nt_df_free_btf: 'tp_btf/kfree_skb',
    nt_df_free_tp: 'tracepoint/skb/kfree_skb',
    nt_df_expire_fe: 'fentry/ip_expire',
    nt_df_expire_kp: 'kprobe/ip_expire',
  },
  maps: {
    events: { type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: 1048576 },
    events_lost: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 1 },
    events_perf: { type: 'perf_event_array', keySize: 4, valueSize: 4, maxEntries: 0 },
    events_scratch: { type: 'percpu_array', keySize: 4, valueSize: 1024, maxEntries: 1 },
    stacks: { type: 'stack_trace', keySize: 4, valueSize: 256, maxEntries: 4096 },
    counters: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 8 },
    datagrams: { type: 'lru_hash', keySize: 16, valueSize: 64, maxEntries: 10240 },
    defrag_frames: { type: 'lru_hash', keySize: 8, valueSize: 840, maxEntries: 4096 },
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
    defrag_frames_empty: { section: '.rodata', type: 'struct defrag_frames_stack', size: 840 },
  },
  counters: ['fragments', 'queued', 'reassembled', 'dropped', 'timeouts', 'unmatched_returns', 'too_deep', 'untracked'],
} as const;

/** BTF struct defrag_event (88 bytes). */
export interface DefragEvent {
  ts_ns: number;
  key: DgramKey;
  line: number;
  outcome: number;
  more: number;
  offset: number;
  len: number;
  error: number;
  reason: number;
  ifindex: number;
  netns: number;
  stack_id: number;
  pid: number;
  ifname: string;
  comm: string;
}
export const DefragEventSize = 88;
export function decodeDefragEvent(v: DataView, o: number): DefragEvent {
  return {
    ts_ns: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    key: decodeDgramKey(v, o + 8),
    line: v.getUint8(o + 24),
    outcome: v.getUint8(o + 25),
    more: v.getUint8(o + 26),
    offset: v.getUint16(o + 28, true),
    len: v.getUint16(o + 30, true),
    error: v.getInt32(o + 32, true),
    reason: v.getUint32(o + 36, true),
    ifindex: v.getUint32(o + 40, true),
    netns: v.getUint32(o + 44, true),
    stack_id: v.getInt32(o + 48, true),
    pid: v.getUint32(o + 52, true),
    ifname: readCString(v, o + 56, 16),
    comm: readCString(v, o + 72, 16),
  };
}
/** Byte offset of each member of struct defrag_event. */
export const DefragEventOffsets = {
  ts_ns: 0,
  key: 8,
  line: 24,
  outcome: 25,
  more: 26,
  offset: 28,
  len: 30,
  error: 32,
  reason: 36,
  ifindex: 40,
  netns: 44,
  stack_id: 48,
  pid: 52,
  ifname: 56,
  comm: 72,
} as const;
/** A zeroed DefragEvent (nested structs and arrays preallocated) for decodeDefragEventInto(). */
export function createDefragEvent(): DefragEvent {
  return {
    ts_ns: 0,
    key: createDgramKey(),
    line: 0,
    outcome: 0,
    more: 0,
    offset: 0,
    len: 0,
    error: 0,
    reason: 0,
    ifindex: 0,
    netns: 0,
    stack_id: 0,
    pid: 0,
    ifname: '',
    comm: '',
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeDefragEventInto(t: DefragEvent, v: DataView, o: number): DefragEvent {
  t.ts_ns = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  decodeDgramKeyInto(t.key, v, o + 8);
  t.line = v.getUint8(o + 24);
  t.outcome = v.getUint8(o + 25);
  t.more = v.getUint8(o + 26);
  t.offset = v.getUint16(o + 28, true);
  t.len = v.getUint16(o + 30, true);
  t.error = v.getInt32(o + 32, true);
  t.reason = v.getUint32(o + 36, true);
  t.ifindex = v.getUint32(o + 40, true);
  t.netns = v.getUint32(o + 44, true);
  t.stack_id = v.getInt32(o + 48, true);
  t.pid = v.getUint32(o + 52, true);
  t.ifname = readCString(v, o + 56, 16);
  t.comm = readCString(v, o + 72, 16);
  return t;
}
export function readDefragEventTsNs(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readDefragEventLine(v: DataView, o: number): number {
  return v.getUint8(o + 24);
}
export function readDefragEventOutcome(v: DataView, o: number): number {
  return v.getUint8(o + 25);
}
export function readDefragEventMore(v: DataView, o: number): number {
  return v.getUint8(o + 26);
}
export function readDefragEventOffset(v: DataView, o: number): number {
  return v.getUint16(o + 28, true);
}
export function readDefragEventLen(v: DataView, o: number): number {
  return v.getUint16(o + 30, true);
}
export function readDefragEventError(v: DataView, o: number): number {
  return v.getInt32(o + 32, true);
}
export function readDefragEventReason(v: DataView, o: number): number {
  return v.getUint32(o + 36, true);
}
export function readDefragEventIfindex(v: DataView, o: number): number {
  return v.getUint32(o + 40, true);
}
export function readDefragEventNetns(v: DataView, o: number): number {
  return v.getUint32(o + 44, true);
}
export function readDefragEventStackId(v: DataView, o: number): number {
  return v.getInt32(o + 48, true);
}
export function readDefragEventPid(v: DataView, o: number): number {
  return v.getUint32(o + 52, true);
}
export const DefragEventLayout: StructLayout<DefragEvent> = { name: 'defrag_event', size: 88, decode: decodeDefragEvent, create: createDefragEvent, decodeInto: decodeDefragEventInto };

/** BTF struct dgram_key (16 bytes). */
export interface DgramKey {
  saddr: Uint8Array;
  daddr: Uint8Array;
  user: number;
  id: number;
  protocol: number;
}
export const DgramKeySize = 16;
export function decodeDgramKey(v: DataView, o: number): DgramKey {
  return {
    saddr: readBytes(v, o + 0, 4),
    daddr: readBytes(v, o + 4, 4),
    user: v.getUint32(o + 8, true),
    id: v.getUint16(o + 12, true),
    protocol: v.getUint8(o + 14),
  };
}
/** Byte offset of each member of struct dgram_key. */
export const DgramKeyOffsets = {
  saddr: 0,
  daddr: 4,
  user: 8,
  id: 12,
  protocol: 14,
} as const;
/** A zeroed DgramKey (nested structs and arrays preallocated) for decodeDgramKeyInto(). */
export function createDgramKey(): DgramKey {
  return {
    saddr: new Uint8Array(4),
    daddr: new Uint8Array(4),
    user: 0,
    id: 0,
    protocol: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeDgramKeyInto(t: DgramKey, v: DataView, o: number): DgramKey {
  for (let i0 = 0; i0 < 4; i0++) t.saddr[i0] = v.getUint8(o + 0 + i0);
  for (let i0 = 0; i0 < 4; i0++) t.daddr[i0] = v.getUint8(o + 4 + i0);
  t.user = v.getUint32(o + 8, true);
  t.id = v.getUint16(o + 12, true);
  t.protocol = v.getUint8(o + 14);
  return t;
}
export function readDgramKeyUser(v: DataView, o: number): number {
  return v.getUint32(o + 8, true);
}
export function readDgramKeyId(v: DataView, o: number): number {
  return v.getUint16(o + 12, true);
}
export function readDgramKeyProtocol(v: DataView, o: number): number {
  return v.getUint8(o + 14);
}
export const DgramKeyLayout: StructLayout<DgramKey> = { name: 'dgram_key', size: 16, decode: decodeDgramKey, create: createDgramKey, decodeInto: decodeDgramKeyInto };

/** BTF struct dgram_val (64 bytes). */
export interface DgramVal {
  fragments: number;
  bytes: number;
  reassembled: number;
  timeouts: number;
  dropped: number;
  first_ns: number;
  last_ns: number;
  last_reason: number;
  last_errno: number;
}
export const DgramValSize = 64;
export function decodeDgramVal(v: DataView, o: number): DgramVal {
  return {
    fragments: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    bytes: (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296),
    reassembled: (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296),
    timeouts: (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296),
    dropped: (v.getUint32(o + 32, true) + v.getUint32(o + 36, true) * 4294967296),
    first_ns: (v.getUint32(o + 40, true) + v.getUint32(o + 44, true) * 4294967296),
    last_ns: (v.getUint32(o + 48, true) + v.getUint32(o + 52, true) * 4294967296),
    last_reason: v.getUint32(o + 56, true),
    last_errno: v.getInt32(o + 60, true),
  };
}
/** Byte offset of each member of struct dgram_val. */
export const DgramValOffsets = {
  fragments: 0,
  bytes: 8,
  reassembled: 16,
  timeouts: 24,
  dropped: 32,
  first_ns: 40,
  last_ns: 48,
  last_reason: 56,
  last_errno: 60,
} as const;
/** A zeroed DgramVal (nested structs and arrays preallocated) for decodeDgramValInto(). */
export function createDgramVal(): DgramVal {
  return {
    fragments: 0,
    bytes: 0,
    reassembled: 0,
    timeouts: 0,
    dropped: 0,
    first_ns: 0,
    last_ns: 0,
    last_reason: 0,
    last_errno: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeDgramValInto(t: DgramVal, v: DataView, o: number): DgramVal {
  t.fragments = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.bytes = (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
  t.reassembled = (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
  t.timeouts = (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296);
  t.dropped = (v.getUint32(o + 32, true) + v.getUint32(o + 36, true) * 4294967296);
  t.first_ns = (v.getUint32(o + 40, true) + v.getUint32(o + 44, true) * 4294967296);
  t.last_ns = (v.getUint32(o + 48, true) + v.getUint32(o + 52, true) * 4294967296);
  t.last_reason = v.getUint32(o + 56, true);
  t.last_errno = v.getInt32(o + 60, true);
  return t;
}
export function readDgramValFragments(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readDgramValBytes(v: DataView, o: number): number {
  return (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
}
export function readDgramValReassembled(v: DataView, o: number): number {
  return (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
}
export function readDgramValTimeouts(v: DataView, o: number): number {
  return (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296);
}
export function readDgramValDropped(v: DataView, o: number): number {
  return (v.getUint32(o + 32, true) + v.getUint32(o + 36, true) * 4294967296);
}
export function readDgramValFirstNs(v: DataView, o: number): number {
  return (v.getUint32(o + 40, true) + v.getUint32(o + 44, true) * 4294967296);
}
export function readDgramValLastNs(v: DataView, o: number): number {
  return (v.getUint32(o + 48, true) + v.getUint32(o + 52, true) * 4294967296);
}
export function readDgramValLastReason(v: DataView, o: number): number {
  return v.getUint32(o + 56, true);
}
export function readDgramValLastErrno(v: DataView, o: number): number {
  return v.getInt32(o + 60, true);
}
export const DgramValLayout: StructLayout<DgramVal> = { name: 'dgram_val', size: 64, decode: decodeDgramVal, create: createDgramVal, decodeInto: decodeDgramValInto };
