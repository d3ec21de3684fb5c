/* SPDX-License-Identifier: GPL-2.0 */
/* The programs of every stage hook point (enum nt_stage_hook in stages.bpf.h): thin wrappers that
 * find the skb (and device) of their hook and call nt_stage_hit(). A plugin's object
 * includes this file; the host loads only the programs its profile's hook plan chose.
 *
 * Names: nt_s_<short>_<rung>, rung f = fentry, k = kprobe (also on .isra/.constprop clones), b =
 * tp_btf, t = classic tracepoint. The TypeScript catalog (@nettrace/core stages/hook-points.ts)
 * uses the same <short> names; a test checks every one it names is in the object. */
#pragma once
#include "stages.bpf.h"
#include "modules/openvswitch.bpf.h"

/* fentry + kprobe programs for a kernel function; `args` is its parameter list (as far as needed),
 * skb/dev are expressions over those parameters. */
#define NT_STAGE_FN(short, func, hook, at, skb, dev, args...)                                      \
    SEC("fentry/" #func)                                                                           \
    int BPF_PROG(nt_s_##short##_f, args) {                                                         \
        return nt_stage_hit(ctx, (skb), NT_STAGE_WHERE(hook, at), (dev));                          \
    }                                                                                              \
    SEC("kprobe/" #func)                                                                           \
    int BPF_KPROBE(nt_s_##short##_k, args) {                                                       \
        return nt_stage_hit(ctx, (skb), NT_STAGE_WHERE(hook, at), (dev));                          \
    }

/* tp_btf + classic tracepoint programs for a net_dev_template event (skb only). */
#define NT_STAGE_SKB_TP(short, event, hook)                                                        \
    SEC("tp_btf/" #event)                                                                          \
    int BPF_PROG(nt_s_##short##_b, struct sk_buff *skb) {                                          \
        return nt_stage_hit(ctx, skb, NT_STAGE_WHERE(hook, NT_PKT_AT_HEADERS), NULL);              \
    }                                                                                              \
    SEC("tracepoint/net/" #event)                                                                  \
    int nt_s_##short##_t(struct trace_event_raw_net_dev_template *args) {                          \
        struct sk_buff *skb = (struct sk_buff *)BPF_CORE_READ(args, skbaddr);                      \
        return nt_stage_hit(args, skb, NT_STAGE_WHERE(hook, NT_PKT_AT_HEADERS), NULL);             \
    }

/* A function's `struct sk_buff **pskb` argument (rx handlers, __netif_receive_skb_core). */
static __always_inline struct sk_buff *nt_skb_of_pskb(struct sk_buff **pskb) {
    struct sk_buff *skb = NULL;
    bpf_probe_read_kernel(&skb, sizeof(skb), pskb);
    return skb;
}

/* The device a locally generated packet is routed to (skb_dst(skb)->dev), before skb->dev is set.
 */
static __always_inline const struct net_device *nt_skb_dst_dev(struct sk_buff *skb) {
    struct dst_entry *dst = (struct dst_entry *)(BPF_CORE_READ(skb, _skb_refdst) & ~1UL);
    return dst ? BPF_CORE_READ(dst, dev) : NULL;
}

/* Device boundaries (tracepoints: present on every kernel). */
NT_STAGE_SKB_TP(rcv, netif_receive_skb, NT_SH_NETIF_RECEIVE_SKB)
NT_STAGE_SKB_TP(queue, net_dev_queue, NT_SH_NET_DEV_QUEUE)
NT_STAGE_SKB_TP(netifrx, netif_rx, NT_SH_NETIF_RX)

SEC("tp_btf/net_dev_start_xmit")
int BPF_PROG(nt_s_xmit_b, struct sk_buff *skb, const struct net_device *dev) {
    return nt_stage_hit(ctx, skb, NT_STAGE_WHERE(NT_SH_NET_DEV_START_XMIT, NT_PKT_AT_HEADERS), dev);
}

SEC("tracepoint/net/net_dev_start_xmit")
int nt_s_xmit_t(struct trace_event_raw_net_dev_start_xmit *args) {
    struct sk_buff *skb = (struct sk_buff *)BPF_CORE_READ(args, skbaddr);
    return nt_stage_hit(args, skb, NT_STAGE_WHERE(NT_SH_NET_DEV_START_XMIT, NT_PKT_AT_HEADERS),
                        NULL);
}

/* qdisc_dequeue fires once per dequeue with the first skb of a bulk (NULL when empty). */
SEC("tp_btf/qdisc_dequeue")
int BPF_PROG(nt_s_deq_b, struct Qdisc *q, const struct netdev_queue *txq, int packets,
             struct sk_buff *skb) {
    return nt_stage_hit(ctx, skb, NT_STAGE_WHERE(NT_SH_QDISC_DEQUEUE, NT_PKT_AT_HEADERS), NULL);
}

SEC("tracepoint/qdisc/qdisc_dequeue")
int nt_s_deq_t(struct trace_event_raw_qdisc_dequeue *args) {
    struct sk_buff *skb = (struct sk_buff *)BPF_CORE_READ(args, skbaddr);
    return nt_stage_hit(args, skb, NT_STAGE_WHERE(NT_SH_QDISC_DEQUEUE, NT_PKT_AT_HEADERS), NULL);
}

/* The host's sockets and IP layer. Each passes its device so a packet of another network
 * namespace on this host (a container, a test's peer) is not taken for the host's. */
NT_STAGE_FN(iplout, __ip_local_out, NT_SH_IP_LOCAL_OUT, NT_PKT_AT_HEADERS, skb, nt_skb_dst_dev(skb),
            struct net *net, struct sock *sk, struct sk_buff *skb)
NT_STAGE_FN(ipout, ip_output, NT_SH_IP_OUTPUT, NT_PKT_AT_HEADERS, skb, nt_skb_dst_dev(skb),
            struct net *net, struct sock *sk, struct sk_buff *skb)
NT_STAGE_FN(backlog, enqueue_to_backlog, NT_SH_ENQUEUE_TO_BACKLOG, NT_PKT_AT_HEADERS, skb, NULL,
            struct sk_buff *skb)
NT_STAGE_FN(nrskb, __netif_receive_skb, NT_SH_NETIF_RECEIVE_SKB_FN, NT_PKT_AT_HEADERS, skb, NULL,
            struct sk_buff *skb)
NT_STAGE_FN(iprcv, ip_rcv, NT_SH_IP_RCV, NT_PKT_AT_HEADERS, skb, dev, struct sk_buff *skb,
            struct net_device *dev)
NT_STAGE_FN(iplocal, ip_local_deliver, NT_SH_IP_LOCAL_DELIVER, NT_PKT_AT_HEADERS, skb,
            BPF_CORE_READ(skb, dev), struct sk_buff *skb)
NT_STAGE_FN(tcprcv, tcp_v4_rcv, NT_SH_TCP_V4_RCV, NT_PKT_AT_HEADERS, skb, BPF_CORE_READ(skb, dev),
            struct sk_buff *skb)
NT_STAGE_FN(udprcv, udp_rcv, NT_SH_UDP_RCV, NT_PKT_AT_HEADERS, skb, BPF_CORE_READ(skb, dev),
            struct sk_buff *skb)
NT_STAGE_FN(icmprcv, icmp_rcv, NT_SH_ICMP_RCV, NT_PKT_AT_HEADERS, skb, BPF_CORE_READ(skb, dev),
            struct sk_buff *skb)

/* Open vSwitch (module openvswitch) and conntrack (module nf_conntrack). */
NT_STAGE_FN(vprecv, ovs_vport_receive, NT_SH_OVS_VPORT_RECEIVE, NT_PKT_AT_HEADERS, skb,
            nt_ovs_vport_dev(vport), struct vport___nt *vport, struct sk_buff *skb)
NT_STAGE_FN(dpproc, ovs_dp_process_packet, NT_SH_OVS_DP_PROCESS, NT_PKT_AT_HEADERS, skb, NULL,
            struct sk_buff *skb)
NT_STAGE_FN(upcall, ovs_dp_upcall, NT_SH_OVS_DP_UPCALL, NT_PKT_AT_HEADERS, skb, NULL,
            struct datapath___nt *dp, struct sk_buff *skb)
NT_STAGE_FN(extract, ovs_flow_key_extract_userspace, NT_SH_OVS_KEY_EXTRACT_US, NT_PKT_AT_DATA_L2,
            skb, NULL, struct net *net, const struct nlattr *attr, struct sk_buff *skb)
NT_STAGE_FN(ctexec, ovs_ct_execute, NT_SH_OVS_CT_EXECUTE, NT_PKT_AT_HEADERS, skb, NULL,
            struct net *net, struct sk_buff *skb)
NT_STAGE_FN(ctin, nf_conntrack_in, NT_SH_NF_CONNTRACK_IN, NT_PKT_AT_HEADERS, skb, NULL,
            struct sk_buff *skb)
NT_STAGE_FN(vpsend, ovs_vport_send, NT_SH_OVS_VPORT_SEND, NT_PKT_AT_HEADERS, skb,
            nt_ovs_vport_dev(vport), struct vport___nt *vport, struct sk_buff *skb)

/* netdev_frame_hook(struct sk_buff **pskb): fentry may not read a pointer-to-pointer argument from
 * its context before 6.x (the verifier wants a struct), so it takes it with bpf_get_func_arg(). */
SEC("fentry/netdev_frame_hook")
int BPF_PROG(nt_s_frame_f) {
    __u64 pskb = 0;
    bpf_get_func_arg(ctx, 0, &pskb);
    return nt_stage_hit(ctx, nt_skb_of_pskb((struct sk_buff **)pskb),
                        NT_STAGE_WHERE(NT_SH_NETDEV_FRAME_HOOK, NT_PKT_AT_HEADERS), NULL);
}

SEC("kprobe/netdev_frame_hook")
int BPF_KPROBE(nt_s_frame_k, struct sk_buff **pskb) {
    return nt_stage_hit(ctx, nt_skb_of_pskb(pskb),
                        NT_STAGE_WHERE(NT_SH_NETDEV_FRAME_HOOK, NT_PKT_AT_HEADERS), NULL);
}
NT_STAGE_FN(intrecv, internal_dev_recv, NT_SH_INTERNAL_DEV_RECV, NT_PKT_AT_HEADERS, skb, NULL,
            struct sk_buff *skb)

/* The receive path of a device that hands packets over with netif_rx() (an OVS internal port). */
NT_STAGE_FN(netifrxf, netif_rx, NT_SH_NETIF_RX_FN, NT_PKT_AT_HEADERS, skb, NULL,
            struct sk_buff *skb)
NT_STAGE_FN(netifrxi, netif_rx_internal, NT_SH_NETIF_RX_INTERNAL, NT_PKT_AT_HEADERS, skb, NULL,
            struct sk_buff *skb)

/* __netif_receive_skb_core(struct sk_buff **pskb, ...) since 5.5 (it took the skb itself before,
 * which the libbpf port still assumed). A kprobe only: on 5.10 fentry can read neither a
 * pointer-to-pointer argument nor use bpf_get_func_arg() (5.17), and on 6.1/6.12 the function is a
 * compiler clone with no BTF, which only a kprobe can take. */
SEC("kprobe/__netif_receive_skb_core")
int BPF_KPROBE(nt_s_nrcore_k, struct sk_buff **pskb) {
    return nt_stage_hit(ctx, nt_skb_of_pskb(pskb),
                        NT_STAGE_WHERE(NT_SH_NETIF_RECEIVE_SKB_CORE, NT_PKT_AT_HEADERS), NULL);
}
