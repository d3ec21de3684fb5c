/* SPDX-License-Identifier: GPL-2.0 */
/* system-network-performance-metrics: the stage-latency engine (bpf-headers/nettrace/stages.bpf.h)
 * in details mode with skb metadata at every stage, plus what the libbpf port of the tool counted:
 * packets, bytes and drops per interface (the internal port and the physical NIC). */
#include "stage_hooks.bpf.h"
#include "kfree_skb.bpf.h"

struct if_counts {
    __u64 tx_packets;
    __u64 tx_bytes;
    __u64 rx_packets;
    __u64 rx_bytes;
    __u64 drops;
};

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
    __uint(max_entries, 8);
    __type(key, __u32); /* ifindex */
    __type(value, struct if_counts);
} if_counts SEC(".maps");

static const struct if_counts zero_counts;

enum { IF_TX, IF_RX, IF_DROP };

/* Counts a packet of one of the profile's devices (nt_stage_role: phy or internal port). */
static __always_inline int count_if(const struct net_device *dev, struct sk_buff *skb, int what) {
    if (!dev || !nt_stage_role(dev))
        return 0;
    __u32 ifindex = BPF_CORE_READ(dev, ifindex);
    struct if_counts *c = bpf_map_lookup_elem(&if_counts, &ifindex);
    if (!c) {
        bpf_map_update_elem(&if_counts, &ifindex, &zero_counts, BPF_NOEXIST);
        c = bpf_map_lookup_elem(&if_counts, &ifindex);
        if (!c)
            return 0;
    }
    __u32 len = BPF_CORE_READ(skb, len);
    if (what == IF_TX) {
        c->tx_packets++;
        c->tx_bytes += len;
    } else if (what == IF_RX) {
        c->rx_packets++;
        c->rx_bytes += len;
    } else {
        c->drops++;
    }
    return 0;
}

static __always_inline int on_rx(void *ctx, struct sk_buff *skb) {
    return count_if(BPF_CORE_READ(skb, dev), skb, IF_RX);
}
NT_SKB_EVENT_PROGRAMS(netif_receive_skb, nt_pm_rx_b, nt_pm_rx_t, on_rx)

SEC("tp_btf/net_dev_start_xmit")
int BPF_PROG(nt_pm_tx_b, struct sk_buff *skb, const struct net_device *dev) {
    return count_if(dev, skb, IF_TX);
}

SEC("tracepoint/net/net_dev_start_xmit")
int nt_pm_tx_t(struct trace_event_raw_net_dev_start_xmit *args) {
    struct sk_buff *skb = (struct sk_buff *)BPF_CORE_READ(args, skbaddr);
    return count_if(BPF_CORE_READ(skb, dev), skb, IF_TX);
}

/* A drop on one of the devices: the skb still names it (drops after the stack cleared skb->dev,
 * e.g. in a socket, are not the interface's). */
static __always_inline int on_drop(void *ctx, struct sk_buff *skb, __u64 location, __u32 reason) {
    if (reason == nt_skb_consumed_reason())
        return 0;
    return count_if(BPF_CORE_READ(skb, dev), skb, IF_DROP);
}
NT_KFREE_SKB_PROGRAMS(nt_pm_drop_b, nt_pm_drop_t, on_drop)
