/* SPDX-License-Identifier: GPL-2.0 */
/* system-network-performance-metrics: the stage-latency engine (bpf-headers/nettrace/stages.bpf.h)
 * with every stage hook program, for the host's own traffic through an OVS internal port, the NIC's
 * qdisc and driver (profile and mode written into its rodata by @nettrace/core before load), plus
 * the libbpf port's per-interface counters: packets and bytes each interface of the run
 * transmitted (net:net_dev_start_xmit) and received (net:netif_receive_skb), and the packets the
 * kernel dropped (skb:kfree_skb) while they belonged to one of them. The counters obey the same
 * flow filter as the stages (the port ignored its protocol filter). */
#include "stage_hooks.bpf.h"
#include "netdev.bpf.h"
#include "kfree_skb.bpf.h"

#define NT_IFC_MAX 4

/* The interfaces counted (the run's physical and internal ports, or --interface); 0: unused. */
const volatile __u32 cfg_ifc_ifindex[NT_IFC_MAX] = {};

struct ifc_key {
    __u32 ifindex;
};

struct ifc_counts {
    __u64 tx_packets;
    __u64 tx_bytes; /* Ethernet frames, as the driver got them */
    __u64 rx_packets;
    __u64 rx_bytes; /* Ethernet frames, header included */
    __u64 drops;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, NT_IFC_MAX);
    __type(key, struct ifc_key);
    __type(value, struct ifc_counts);
} ifc_counts SEC(".maps");

static const struct ifc_counts ifc_zero;

static __always_inline bool ifc_counted(__u32 ifindex) {
#pragma unroll
    for (int i = 0; i < NT_IFC_MAX; i++)
        if (ifindex && cfg_ifc_ifindex[i] == ifindex)
            return true;
    return false;
}

/* The counters of a device of the run, for a packet of the filtered flow; NULL otherwise. */
static __always_inline struct ifc_counts *ifc_of(struct sk_buff *skb, __u32 ifindex,
                                                 const struct net_device *dev) {
    if (!ifc_counted(ifindex))
        return NULL;
    if (dev && !nt_dev_is(dev, 0, cfg_netns_ino))
        return NULL; /* the same ifindex in another namespace */
    if (!nt_skb_flow_match(skb))
        return NULL;
    struct ifc_key key = {.ifindex = ifindex};
    return nt_map_lookup_or_init(&ifc_counts, &key, &ifc_zero);
}

static __always_inline int ifc_tx(void *ctx, struct sk_buff *skb, const struct net_device *dev) {
    struct ifc_counts *c = dev ? ifc_of(skb, BPF_CORE_READ(dev, ifindex), dev) : NULL;
    if (c) {
        __sync_fetch_and_add(&c->tx_packets, 1);
        __sync_fetch_and_add(&c->tx_bytes, nt_skb_frame_len(skb));
    }
    return 0;
}

static __always_inline int ifc_rx(void *ctx, struct sk_buff *skb) {
    const struct net_device *dev = BPF_CORE_READ(skb, dev);
    struct ifc_counts *c = dev ? ifc_of(skb, BPF_CORE_READ(dev, ifindex), dev) : NULL;
    if (c) {
        __sync_fetch_and_add(&c->rx_packets, 1);
        __sync_fetch_and_add(&c->rx_bytes, nt_skb_frame_len(skb));
    }
    return 0;
}

/* A drop belongs to the interface the packet last arrived on (skb_iif, set at receive) or, for a
 * packet the host sends, the one it was being sent through: the port counted only skbs whose dev
 * was still set. Its namespace is skb->dev's while that is the same device; once a socket queued
 * the packet, skb->dev is scratch space (UDP) and only the ifindex and the flow tell. */
static __always_inline int ifc_drop(void *ctx, struct sk_buff *skb, __u64 location, __u32 reason) {
    if (reason == nt_skb_consumed_reason())
        return 0;
    __u32 ifindex = BPF_CORE_READ(skb, skb_iif);
    const struct net_device *dev = BPF_CORE_READ(skb, dev);
    __u32 dev_ifindex = dev ? BPF_CORE_READ(dev, ifindex) : 0;
    if (!ifindex)
        ifindex = dev_ifindex;
    struct ifc_counts *c = ifc_of(skb, ifindex, dev_ifindex == ifindex ? dev : NULL);
    if (c)
        __sync_fetch_and_add(&c->drops, 1);
    return 0;
}

NT_START_XMIT_PROGRAMS(nt_ifc_tx_b, nt_ifc_tx_t, ifc_tx)
NT_SKB_EVENT_PROGRAMS(netif_receive_skb, nt_ifc_rx_b, nt_ifc_rx_t, ifc_rx)
NT_KFREE_SKB_PROGRAMS(nt_ifc_drop_b, nt_ifc_drop_t, ifc_drop)
