// Generated from plugins/iface-netstat/bpf/iface_netstat.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { readCString, type NtHist, createNtHist, decodeNtHist, decodeNtHistInto, type StructLayout } from '@nettrace/core';
export { type NtHist, createNtHist, decodeNtHist, decodeNtHistInto };

/** What plugins/iface-netstat/bpf/iface_netstat.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load),
 * counters (NT_COUNTERS, read with ctx.counters()). */
export const contract = {
  object: new URL('./iface_netstat.bpf.o', import.meta.url),
  programs: {
    nt_ins_tx_btf: 'tp_btf/net_dev_start_xmit',
    nt_ins_tx_tp: 'tracepoint/net/net_dev_start_xmit',
    nt_ins_rx_btf: 'tp_btf/netif_receive_skb',
    nt_ins_rx_tp: 'tracepoint/net/netif_receive_skb',
  },
  maps: {
    queues: { type: 'hash', keySize: 28, valueSize: 528, maxEntries: 1024 },
    counters: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 1 },
  },
  variables: {
    cfg_dst_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_dst_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_either_direction: { section: '.rodata', type: 'u8', size: 1 },
    cfg_ifindex: { section: '.rodata', type: 'u32', size: 4 },
    cfg_netns_ino: { section: '.rodata', type: 'u32', size: 4 },
    cfg_pid: { section: '.rodata', type: 'u32', size: 4 },
    cfg_protocol: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_src_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_port: { section: '.rodata', type: 'u16', size: 2 },
  },
  counters: ['untracked'],
} as const;

/** BTF struct queue_key (28 bytes). */
export interface QueueKey {
  netns: number;
  ifindex: number;
  queue: number;
  direction: number;
  ifname: string;
}
export const QueueKeySize = 28;
export function decodeQueueKey(v: DataView, o: number): QueueKey {
  return {
    netns: v.getUint32(o + 0, true),
    ifindex: v.getUint32(o + 4, true),
    queue: v.getUint16(o + 8, true),
    direction: v.getUint8(o + 10),
    ifname: readCString(v, o + 12, 16),
  };
}
/** Byte offset of each member of struct queue_key. */
export const QueueKeyOffsets = {
  netns: 0,
  ifindex: 4,
  queue: 8,
  direction: 10,
  ifname: 12,
} as const;
/** A zeroed QueueKey (nested structs and arrays preallocated) for decodeQueueKeyInto(). */
export function createQueueKey(): QueueKey {
  return {
    netns: 0,
    ifindex: 0,
    queue: 0,
    direction: 0,
    ifname: '',
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeQueueKeyInto(t: QueueKey, v: DataView, o: number): QueueKey {
  t.netns = v.getUint32(o + 0, true);
  t.ifindex = v.getUint32(o + 4, true);
  t.queue = v.getUint16(o + 8, true);
  t.direction = v.getUint8(o + 10);
  t.ifname = readCString(v, o + 12, 16);
  return t;
}
export function readQueueKeyNetns(v: DataView, o: number): number {
  return v.getUint32(o + 0, true);
}
export function readQueueKeyIfindex(v: DataView, o: number): number {
  return v.getUint32(o + 4, true);
}
export function readQueueKeyQueue(v: DataView, o: number): number {
  return v.getUint16(o + 8, true);
}
export function readQueueKeyDirection(v: DataView, o: number): number {
  return v.getUint8(o + 10);
}
export const QueueKeyLayout: StructLayout<QueueKey> = { name: 'queue_key', size: 28, decode: decodeQueueKey, create: createQueueKey, decodeInto: decodeQueueKeyInto };

/** BTF struct queue_val (528 bytes). */
export interface QueueVal {
  packets: number;
  bytes: number;
  sizes: NtHist;
}
export const QueueValSize = 528;
export function decodeQueueVal(v: DataView, o: number): QueueVal {
  return {
    packets: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    bytes: (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296),
    sizes: decodeNtHist(v, o + 16),
  };
}
/** Byte offset of each member of struct queue_val. */
export const QueueValOffsets = {
  packets: 0,
  bytes: 8,
  sizes: 16,
} as const;
/** A zeroed QueueVal (nested structs and arrays preallocated) for decodeQueueValInto(). */
export function createQueueVal(): QueueVal {
  return {
    packets: 0,
    bytes: 0,
    sizes: createNtHist(),
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeQueueValInto(t: QueueVal, v: DataView, o: number): QueueVal {
  t.packets = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.bytes = (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
  decodeNtHistInto(t.sizes, v, o + 16);
  return t;
}
export function readQueueValPackets(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readQueueValBytes(v: DataView, o: number): number {
  return (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
}
export const QueueValLayout: StructLayout<QueueVal> = { name: 'queue_val', size: 528, decode: decodeQueueVal, create: createQueueVal, decodeInto: decodeQueueValInto };
