/* SPDX-License-Identifier: GPL-2.0 */
/* eth-drop: one decoded record per dropped packet (skb:kfree_skb): Ethernet (MACs, VLAN,
 * ethertype), IPv4/IPv6 + TCP/UDP/ICMP or ARP, drop reason, interface, task and kernel stack.
 * Every filter (ethertype, VLAN, IP/port/protocol for IPv4 and IPv6, interface) runs here, before
 * a record is reserved, so the ring only carries what will be printed. */
#include "netdev.bpf.h"
#include "buffer.bpf.h"
#include "stack.bpf.h"
#include "frame.bpf.h"
#include "kfree_skb.bpf.h"

#define NT_ETH_P_LLDP 0x88CC
#define NT_ETH_P_PAUSE 0x8808

/* --type: 0 all, 1 exactly cfg_ethertype, 2 "other" (none of IPv4, IPv6, ARP, RARP, LLDP, PAUSE) */
const volatile __u8 cfg_type_mode = 0;
const volatile __u16 cfg_ethertype = 0;
const volatile __u8 cfg_vlan_set = 0;
const volatile __u16 cfg_vlan_id = 0;
const volatile __u8 cfg_stack = 1;
/* 1: also frees the kernel marks as not being drops (reason SKB_CONSUMED). */
const volatile __u8 cfg_all_frees = 0;

#define NT_PAYLOAD_BYTES 32

struct drop_event {
    __u64 ts_ns;    /* bpf_ktime_get_ns() (CLOCK_MONOTONIC) */
    void *location; /* kernel address that freed the skb (a pointer: decoded as bigint) */
    __u32 reason;   /* enum skb_drop_reason of the running kernel (0: not reported, < 5.17) */
    __s32 stack_id; /* `stacks` map id, or a negative error (or -1 with --no-stack) */
    __u32 pid;
    __u32 tid;
    __u32 cpu;
    __u32 ifindex;
    __u32 len;
    __u32 data_len;
    __u16 mac_header; /* offsets from skb->head, 0xffff when unset */
    __u16 network_header;
    __u16 transport_header;
    __u16 skb_protocol; /* skb->protocol, host order */
    char comm[NT_TASK_COMM_LEN];
    char ifname[NT_IFNAMSIZ];
    struct nt_l2 l2;
    struct nt_ip_info ip;
    struct nt_arp arp;
    struct nt_flow flow;
    __u8 payload[NT_PAYLOAD_BYTES]; /* first L3 bytes of frames that are neither IP nor ARP */
};
NT_EXPORT_TYPE(struct drop_event, drop_event);

static __always_inline bool type_match(__u16 type) {
    if (cfg_type_mode == 1)
        return type == cfg_ethertype;
    if (cfg_type_mode == 2)
        return type != NT_ETH_P_IP && type != NT_ETH_P_IPV6 && type != NT_ETH_P_ARP &&
               type != NT_ETH_P_RARP && type != NT_ETH_P_LLDP && type != NT_ETH_P_PAUSE;
    return true;
}

static __always_inline bool ip_filtered(void) {
    return cfg_src_ip_set || cfg_dst_ip_set || cfg_src_port || cfg_dst_port || cfg_protocol;
}

static __always_inline int on_drop(void *ctx, struct sk_buff *skb, __u64 location, __u32 reason) {
    if (!skb || (reason == nt_skb_consumed_reason() && !cfg_all_frees))
        return 0;
    struct net_device *dev = BPF_CORE_READ(skb, dev);
    __u32 ifindex = dev ? BPF_CORE_READ(dev, ifindex) : 0;
    if (!nt_dev_match(dev))
        return 0;

    struct nt_l2 l2 = {};
    struct nt_flow flow = {};
    const void *l3 = nt_skb_frame(skb, &l2);
    if (!type_match(l2.ethertype))
        return 0;
    if (cfg_vlan_set && (!(l2.flags & NT_L2_VLAN) || (l2.vlan_tci & 0xfff) != cfg_vlan_id))
        return 0;
    bool ip = l3 && nt_parse_l3(l3, l2.ethertype, &flow) == 0;
    /* IP, port and protocol filters select IP packets (IPv4 and IPv6) only: ARP and other frames
     * never pass them (the upstream let them through). */
    if (ip_filtered() && (!ip || !nt_flow_match(&flow)))
        return 0;

    struct drop_event *e = nt_event_reserve(sizeof(*e));
    if (!e)
        return 0;
    __builtin_memset(e, 0, sizeof(*e));
    e->ts_ns = bpf_ktime_get_ns();
    e->location = (void *)location;
    e->reason = reason;
    e->stack_id = cfg_stack ? nt_kernel_stack(ctx) : -1;
    e->pid = nt_tgid();
    e->tid = nt_tid();
    e->cpu = bpf_get_smp_processor_id();
    e->ifindex = ifindex;
    e->len = BPF_CORE_READ(skb, len);
    e->data_len = BPF_CORE_READ(skb, data_len);
    e->mac_header = BPF_CORE_READ(skb, mac_header);
    e->network_header = BPF_CORE_READ(skb, network_header);
    e->transport_header = BPF_CORE_READ(skb, transport_header);
    e->skb_protocol = bpf_ntohs(BPF_CORE_READ(skb, protocol));
    bpf_get_current_comm(e->comm, sizeof(e->comm));
    if (dev)
        nt_dev_name(dev, e->ifname);
    e->l2 = l2;
    e->flow = flow;
    if (ip)
        nt_parse_ip_info(l3, l2.ethertype, &e->ip);
    else if (l3 && (l2.ethertype == NT_ETH_P_ARP || l2.ethertype == NT_ETH_P_RARP))
        nt_parse_arp(l3, &e->arp);
    else if (l3)
        bpf_probe_read_kernel(e->payload, sizeof(e->payload), l3);
    nt_event_submit(ctx, e);
    return 0;
}

NT_KFREE_SKB_PROGRAMS(nt_ethdrop_btf, nt_ethdrop_tp, on_drop)
