// Generated from plugins/system-network-performance-metrics/bpf/system_network_performance_metrics.bpf.c (its compiled object) by @nettrace/plugin-tools (gen-types.mjs). Do not edit.
import { type StructLayout } from '@nettrace/core';

/** What plugins/system-network-performance-metrics/bpf/system_network_performance_metrics.bpf.c declares, read from the compiled object:
 * program → ELF section, maps, global variables (configure() sets them before load),
 * counters (NT_COUNTERS, read with ctx.counters()). */
export const contract = {
  object: new URL('./system_network_performance_metrics.bpf.o', import.meta.url),
  programs: {
    nt_s_rcv_b: 'tp_btf/netif_receive_skb',
    nt_ifc_rx_b: 'tp_btf/netif_receive_skb',
    nt_s_rcv_t: 'tracepoint/net/netif_receive_skb',
    nt_ifc_rx_t: 'tracepoint/net/netif_receive_skb',
    nt_s_queue_b: 'tp_btf/net_dev_queue',
    nt_s_queue_t: 'tracepoint/net/net_dev_queue',
    nt_s_netifrx_b: 'tp_btf/netif_rx',
    nt_s_netifrx_t: 'tracepoint/net/netif_rx',
    nt_s_xmit_b: 'tp_btf/net_dev_start_xmit',
    nt_ifc_tx_b: 'tp_btf/net_dev_start_xmit',
    nt_s_xmit_t: 'tracepoint/net/net_dev_start_xmit',
    nt_ifc_tx_t: 'tracepoint/net/net_dev_start_xmit',
    nt_s_deq_b: 'tp_btf/qdisc_dequeue',
    nt_s_deq_t: 'tracepoint/qdisc/qdisc_dequeue',
    nt_s_iplout_f: 'fentry/__ip_local_out',
    nt_s_iplout_k: 'kprobe/__ip_local_out',
    nt_s_ipout_f: 'fentry/ip_output',
    nt_s_ipout_k: 'kprobe/ip_output',
    nt_s_backlog_f: 'fentry/enqueue_to_backlog',
    nt_s_backlog_k: 'kprobe/enqueue_to_backlog',
    nt_s_nrskb_f: 'fentry/__netif_receive_skb',
    nt_s_nrskb_k: 'kprobe/__netif_receive_skb',
    nt_s_iprcv_f: 'fentry/ip_rcv',
    nt_s_iprcv_k: 'kprobe/ip_rcv',
    nt_s_iplocal_f: 'fentry/ip_local_deliver',
    nt_s_iplocal_k: 'kprobe/ip_local_deliver',
    nt_s_tcprcv_f: 'fentry/tcp_v4_rcv',
    nt_s_tcprcv_k: 'kprobe/tcp_v4_rcv',
    nt_s_udprcv_f: 'fentry/udp_rcv',
    nt_s_udprcv_k: 'kprobe/udp_rcv',
    nt_s_icmprcv_f: 'fentry/icmp_rcv',
    nt_s_icmprcv_k: 'kprobe/icmp_rcv',
    nt_s_vprecv_f: 'fentry/ovs_vport_receive',
    nt_s_vprecv_k: 'kprobe/ovs_vport_receive',
    nt_s_dpproc_f: 'fentry/ovs_dp_process_packet',
    nt_s_dpproc_k: 'kprobe/ovs_dp_process_packet',
    nt_s_upcall_f: 'fentry/ovs_dp_upcall',
    nt_s_upcall_k: 'kprobe/ovs_dp_upcall',
    nt_s_extract_f: 'fentry/ovs_flow_key_extract_userspace',
    nt_s_extract_k: 'kprobe/ovs_flow_key_extract_userspace',
    nt_s_ctexec_f: 'fentry/ovs_ct_execute',
    nt_s_ctexec_k: 'kprobe/ovs_ct_execute',
    nt_s_ctin_f: 'fentry/nf_conntrack_in',
    nt_s_ctin_k: 'kprobe/nf_conntrack_in',
    nt_s_vpsend_f: 'fentry/ovs_vport_send',
    nt_s_vpsend_k: 'kprobe/ovs_vport_send',
    nt_s_frame_f: 'fentry/netdev_frame_hook',
    nt_s_frame_k: 'kprobe/netdev_frame_hook',
    nt_s_intrecv_f: 'fentry/internal_dev_recv',
    nt_s_intrecv_k: 'kprobe/internal_dev_recv',
    nt_s_netifrxf_f: 'fentry/netif_rx',
    nt_s_netifrxf_k: 'kprobe/netif_rx',
    nt_s_netifrxi_f: 'fentry/netif_rx_internal',
    nt_s_netifrxi_k: 'kprobe/netif_rx_internal',
    nt_s_nrcore_k: 'kprobe/__netif_receive_skb_core',
    nt_ifc_drop_b: 'tp_btf/kfree_skb',
    nt_ifc_drop_t: 'tracepoint/skb/kfree_skb',
  },
  maps: {
    events: { type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: 1048576 },
    events_lost: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 1 },
    events_perf: { type: 'perf_event_array', keySize: 4, valueSize: 4, maxEntries: 0 },
    events_scratch: { type: 'percpu_array', keySize: 4, valueSize: 1024, maxEntries: 1 },
    stacks: { type: 'stack_trace', keySize: 4, valueSize: 256, maxEntries: 4096 },
    stage_sessions: { type: 'lru_hash', keySize: 64, valueSize: 632, maxEntries: 10240 },
    stage_pairs: { type: 'percpu_hash', keySize: 4, valueSize: 544, maxEntries: 512 },
    stage_totals: { type: 'percpu_array', keySize: 4, valueSize: 544, maxEntries: 2 },
    stage_cpu_pairs: { type: 'hash', keySize: 12, valueSize: 8, maxEntries: 4096 },
    counters: { type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 15 },
    ifc_counts: { type: 'hash', keySize: 4, valueSize: 40, maxEntries: 4 },
  },
  variables: {
    cfg_dst_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_dst_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_dst_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_either_direction: { section: '.rodata', type: 'u8', size: 1 },
    cfg_ifc_ifindex: { section: '.rodata', type: 'u32[4]', size: 16 },
    cfg_ifindex: { section: '.rodata', type: 'u32', size: 4 },
    cfg_netns_ino: { section: '.rodata', type: 'u32', size: 4 },
    cfg_perf_buffer: { section: '.rodata', type: 'u8', size: 1 },
    cfg_pid: { section: '.rodata', type: 'u32', size: 4 },
    cfg_protocol: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip: { section: '.rodata', type: 'u8[16]', size: 16 },
    cfg_src_ip_family: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_ip_set: { section: '.rodata', type: 'u8', size: 1 },
    cfg_src_port: { section: '.rodata', type: 'u16', size: 2 },
    cfg_stage_after: { section: '.rodata', type: 'u8[32]', size: 32 },
    cfg_stage_aggregate: { section: '.rodata', type: 'u8', size: 1 },
    cfg_stage_cpu_pair_into: { section: '.rodata', type: 'u16[2]', size: 4 },
    cfg_stage_details: { section: '.rodata', type: 'u8', size: 1 },
    cfg_stage_first: { section: '.rodata', type: 'u8[2]', size: 2 },
    cfg_stage_hook_roles: { section: '.rodata', type: 'u8[26]', size: 26 },
    cfg_stage_last: { section: '.rodata', type: 'u8[2]', size: 2 },
    cfg_stage_meta: { section: '.rodata', type: 'u8', size: 1 },
    cfg_stage_of: { section: '.rodata', type: 'u8[416]', size: 416 },
    cfg_stage_role_ifindex: { section: '.rodata', type: 'u32[8]', size: 32 },
    cfg_stage_round_trip: { section: '.rodata', type: 'u8', size: 1 },
    cfg_stage_stacks: { section: '.rodata', type: 'u8', size: 1 },
    cfg_stage_threshold_ns: { section: '.rodata', type: 'u64', size: 8 },
    cfg_wakeup_bytes: { section: '.rodata', type: 'u64', size: 8 },
  },
  counters: ['tx_started', 'tx_completed', 'tx_replaced', 'tx_not_found', 'tx_cross_cpu', 'tx_gso', 'tx_below_threshold', 'rx_started', 'rx_completed', 'rx_replaced', 'rx_not_found', 'rx_cross_cpu', 'rx_gso', 'rx_below_threshold', 'parse_failed'],
} as const;

/** BTF struct ifc_counts (40 bytes). */
export interface IfcCounts {
  tx_packets: number;
  tx_bytes: number;
  rx_packets: number;
  rx_bytes: number;
  drops: number;
}
export const IfcCountsSize = 40;
export function decodeIfcCounts(v: DataView, o: number): IfcCounts {
  return {
    tx_packets: (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296),
    tx_bytes: (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296),
    rx_packets: (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296),
    rx_bytes: (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296),
    drops: (v.getUint32(o + 32, true) + v.getUint32(o + 36, true) * 4294967296),
  };
}
/** Byte offset of each member of struct ifc_counts. */
export const IfcCountsOffsets = {
  tx_packets: 0,
  tx_bytes: 8,
  rx_packets: 16,
  rx_bytes: 24,
  drops: 32,
} as const;
/** A zeroed IfcCounts (nested structs and arrays preallocated) for decodeIfcCountsInto(). */
export function createIfcCounts(): IfcCounts {
  return {
    tx_packets: 0,
    tx_bytes: 0,
    rx_packets: 0,
    rx_bytes: 0,
    drops: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeIfcCountsInto(t: IfcCounts, v: DataView, o: number): IfcCounts {
  t.tx_packets = (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
  t.tx_bytes = (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
  t.rx_packets = (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
  t.rx_bytes = (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296);
  t.drops = (v.getUint32(o + 32, true) + v.getUint32(o + 36, true) * 4294967296);
  return t;
}
export function readIfcCountsTxPackets(v: DataView, o: number): number {
  return (v.getUint32(o + 0, true) + v.getUint32(o + 4, true) * 4294967296);
}
export function readIfcCountsTxBytes(v: DataView, o: number): number {
  return (v.getUint32(o + 8, true) + v.getUint32(o + 12, true) * 4294967296);
}
export function readIfcCountsRxPackets(v: DataView, o: number): number {
  return (v.getUint32(o + 16, true) + v.getUint32(o + 20, true) * 4294967296);
}
export function readIfcCountsRxBytes(v: DataView, o: number): number {
  return (v.getUint32(o + 24, true) + v.getUint32(o + 28, true) * 4294967296);
}
export function readIfcCountsDrops(v: DataView, o: number): number {
  return (v.getUint32(o + 32, true) + v.getUint32(o + 36, true) * 4294967296);
}
export const IfcCountsLayout: StructLayout<IfcCounts> = { name: 'ifc_counts', size: 40, decode: decodeIfcCounts, create: createIfcCounts, decodeInto: decodeIfcCountsInto };

/** BTF struct ifc_key (4 bytes). */
export interface IfcKey {
  ifindex: number;
}
export const IfcKeySize = 4;
export function decodeIfcKey(v: DataView, o: number): IfcKey {
  return {
    ifindex: v.getUint32(o + 0, true),
  };
}
/** Byte offset of each member of struct ifc_key. */
export const IfcKeyOffsets = {
  ifindex: 0,
} as const;
/** A zeroed IfcKey (nested structs and arrays preallocated) for decodeIfcKeyInto(). */
export function createIfcKey(): IfcKey {
  return {
    ifindex: 0,
  };
}
/** Decodes into `t` in place: no allocation except for strings and pointers (bigint). */
export function decodeIfcKeyInto(t: IfcKey, v: DataView, o: number): IfcKey {
  t.ifindex = v.getUint32(o + 0, true);
  return t;
}
export function readIfcKeyIfindex(v: DataView, o: number): number {
  return v.getUint32(o + 0, true);
}
export const IfcKeyLayout: StructLayout<IfcKey> = { name: 'ifc_key', size: 4, decode: decodeIfcKey, create: createIfcKey, decodeInto: decodeIfcKeyInto };
