// The stage hook points (enum nt_stage_hook, bpf-headers/nettrace/stages.bpf.h, reaching us through
// the generated NtStageHook) with their hook ladders. The programs are declared by
// bpf-headers/nettrace/stage_hooks.bpf.h in the sections functionHook() and tracepointHook() look
// for; resolving a stage plugin's hooks against its contract checks every one is in its object.
import { functionHook, type HookDeclaration, type HookOptions, tracepointPrograms } from '../plugin/hooks.js';
import { NtStageHook } from '../shared_types.gen.js';

export type HookPointId = (typeof NtStageHook)[Exclude<keyof typeof NtStageHook, 'NT_SH_COUNT'>];

export interface HookPoint {
  id: HookPointId;
  /** Hook name in plans and messages: the kernel function or the tracepoint. */
  name: string;
  short: string;
  /** A kernel function (fentry, then kprobe) or a tracepoint `category/event` (tp_btf, then classic). */
  fn?: string;
  tp?: string;
  module?: string;
}

const H = NtStageHook;
const fn = (id: HookPointId, short: string, name: string, module?: string): HookPoint => ({ id, name, short, fn: name, module });
const tp = (id: HookPointId, short: string, target: string): HookPoint => ({ id, name: target.replace('/', ':'), short, tp: target });

export const hookPoints: readonly HookPoint[] = [
  tp(H.NT_SH_NETIF_RECEIVE_SKB, 'rcv', 'net/netif_receive_skb'),
  tp(H.NT_SH_NET_DEV_QUEUE, 'queue', 'net/net_dev_queue'),
  tp(H.NT_SH_QDISC_DEQUEUE, 'deq', 'qdisc/qdisc_dequeue'),
  tp(H.NT_SH_NET_DEV_START_XMIT, 'xmit', 'net/net_dev_start_xmit'),
  tp(H.NT_SH_NETIF_RX, 'netifrx', 'net/netif_rx'),
  fn(H.NT_SH_IP_LOCAL_OUT, 'iplout', '__ip_local_out'),
  fn(H.NT_SH_IP_OUTPUT, 'ipout', 'ip_output'),
  fn(H.NT_SH_OVS_VPORT_RECEIVE, 'vprecv', 'ovs_vport_receive', 'openvswitch'),
  fn(H.NT_SH_OVS_DP_PROCESS, 'dpproc', 'ovs_dp_process_packet', 'openvswitch'),
  fn(H.NT_SH_OVS_DP_UPCALL, 'upcall', 'ovs_dp_upcall', 'openvswitch'),
  fn(H.NT_SH_OVS_KEY_EXTRACT_US, 'extract', 'ovs_flow_key_extract_userspace', 'openvswitch'),
  fn(H.NT_SH_OVS_CT_EXECUTE, 'ctexec', 'ovs_ct_execute', 'openvswitch'),
  fn(H.NT_SH_NF_CONNTRACK_IN, 'ctin', 'nf_conntrack_in', 'nf_conntrack'),
  fn(H.NT_SH_OVS_VPORT_SEND, 'vpsend', 'ovs_vport_send', 'openvswitch'),
  fn(H.NT_SH_NETDEV_FRAME_HOOK, 'frame', 'netdev_frame_hook', 'openvswitch'),
  fn(H.NT_SH_INTERNAL_DEV_RECV, 'intrecv', 'internal_dev_recv', 'openvswitch'),
  fn(H.NT_SH_ENQUEUE_TO_BACKLOG, 'backlog', 'enqueue_to_backlog'),
  fn(H.NT_SH_NETIF_RECEIVE_SKB_FN, 'nrskb', '__netif_receive_skb'),
  fn(H.NT_SH_IP_RCV, 'iprcv', 'ip_rcv'),
  fn(H.NT_SH_IP_LOCAL_DELIVER, 'iplocal', 'ip_local_deliver'),
  fn(H.NT_SH_TCP_V4_RCV, 'tcprcv', 'tcp_v4_rcv'),
  fn(H.NT_SH_UDP_RCV, 'udprcv', 'udp_rcv'),
  fn(H.NT_SH_ICMP_RCV, 'icmprcv', 'icmp_rcv'),
  fn(H.NT_SH_NETIF_RX_FN, 'netifrxf', 'netif_rx'),
  fn(H.NT_SH_NETIF_RX_INTERNAL, 'netifrxi', 'netif_rx_internal'),
  fn(H.NT_SH_NETIF_RECEIVE_SKB_CORE, 'nrcore', '__netif_receive_skb_core'),
];

export function hookPoint(id: HookPointId): HookPoint {
  const h = hookPoints.find((p) => p.id === id);
  if (!h) throw new Error(`no stage hook point ${id}`);
  return h;
}

/** A hook point as a plugin declares it: functionHook() (fentry, then kprobe, clones too) for a
 * function, found in the object's contract by section; for a tracepoint, its stage_hooks.bpf.h
 * programs by name (nt_s_<short>_b, then _t), so a plugin may add programs of its own on the same
 * tracepoint (system-network-performance-metrics' interface counters). */
export function hookDeclaration(h: HookPoint, options: HookOptions): HookDeclaration {
  if (h.fn) return functionHook(h.name, h.fn, { ...options, ...(h.module ? { module: h.module } : {}) });
  return tracepointPrograms(h.name, h.tp as string, { tp_btf: `nt_s_${h.short}_b`, tracepoint: `nt_s_${h.short}_t` }, options);
}
