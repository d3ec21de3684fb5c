/* SPDX-License-Identifier: GPL-2.0 */
/* vm-pair-latency: how long does a packet from one VM spend in the host before it is handed to
 * the other VM? Start: net:netif_receive_skb on the sending VM's host-side device (the packet
 * arrives from the VM); end: net:net_dev_xmit on the receiving VM's device (the host hands it to
 * that VM), with the packet identified by its headers (flow + IPv4 id), so clones and copies made
 * on the way (bridge flooding) still match. net:net_dev_start_xmit reads the headers while the skb
 * is still the host's; net_dev_xmit, right after the driver call on the same CPU, completes it. */
#include "netdev.bpf.h"
#include "counters.bpf.h"
#include "buffer.bpf.h"
#include "hist.bpf.h"

const volatile __u32 cfg_src_ifindex = 0;
const volatile __u32 cfg_dst_ifindex = 0;

struct pkt_key {
    struct nt_flow flow;
    __u16 ip_id;
    __u16 _pad[3];
};

struct stash {
    __u64 skb;
    __u32 ifindex;
    __u32 len;
    struct pkt_key key;
};

struct event {
    __u64 ts_ns;      /* handed to the destination device */
    __u64 latency_ns; /* since it arrived on the source device */
    __u32 netns;
    __u32 src_ifindex;
    __u32 dst_ifindex;
    __u32 len;
    __u16 ip_id;
    __u16 _pad[3];
    char src_ifname[NT_IFNAMSIZ];
    char dst_ifname[NT_IFNAMSIZ];
    struct nt_flow flow;
};
NT_EXPORT_TYPE(struct event, event);

struct arrival {
    __u64 ts;
    char ifname[NT_IFNAMSIZ];
};

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 10240);
    __type(key, struct pkt_key);
    __type(value, struct arrival);
} inflight SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct stash);
} stashes SEC(".maps");

enum vpl_counter { VPL_RECEIVED, VPL_DELIVERED, VPL_TX_FAILED, VPL_UNTRACKED, VPL_COUNTERS };
NT_COUNTERS(vpl_counter, VPL_COUNTERS);

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct nt_hist);
} latency_us SEC(".maps");

/* The packet's identity; false when it is not IP or the filters reject it. */
static __always_inline bool packet_key(struct sk_buff *skb, struct pkt_key *key) {
    __builtin_memset(key, 0, sizeof(*key));
    __u16 ethertype = 0;
    const void *l3 = nt_skb_l3(skb, &ethertype);
    if (!l3 || nt_parse_l3(l3, ethertype, &key->flow) < 0)
        return false;
    key->ip_id = nt_ip_id(l3, ethertype);
    return nt_flow_match(&key->flow);
}

static __always_inline int on_receive(void *ctx, struct sk_buff *skb) {
    const struct net_device *dev = BPF_CORE_READ(skb, dev);
    if (!dev || !nt_dev_is(dev, cfg_src_ifindex, cfg_netns_ino))
        return 0;
    struct pkt_key key;
    if (!packet_key(skb, &key))
        return 0;
    struct arrival a = {.ts = bpf_ktime_get_ns()};
    nt_dev_name(dev, a.ifname);
    if (bpf_map_update_elem(&inflight, &key, &a, BPF_ANY)) {
        nt_count(VPL_UNTRACKED, 1);
        return 0;
    }
    nt_count(VPL_RECEIVED, 1);
    return 0;
}

static __always_inline int on_start_xmit(void *ctx, struct sk_buff *skb,
                                         const struct net_device *dev) {
    if (!dev || !nt_dev_is(dev, cfg_dst_ifindex, cfg_netns_ino))
        return 0;
    __u32 zero = 0;
    struct stash *s = bpf_map_lookup_elem(&stashes, &zero);
    if (!s)
        return 0;
    s->skb = 0;
    if (!packet_key(skb, &s->key) || !bpf_map_lookup_elem(&inflight, &s->key))
        return 0;
    s->skb = (__u64)skb;
    s->ifindex = BPF_CORE_READ(dev, ifindex);
    s->len = BPF_CORE_READ(skb, len);
    return 0;
}

/* ifindex == 0: the classic tracepoint, which names no device (the skb alone must match). */
static __always_inline int on_xmit(void *ctx, struct sk_buff *skb, int rc,
                                   const struct net_device *dev) {
    __u32 zero = 0;
    struct stash *s = bpf_map_lookup_elem(&stashes, &zero);
    if (!s || s->skb != (__u64)skb || (dev && BPF_CORE_READ(dev, ifindex) != s->ifindex))
        return 0;
    s->skb = 0;
    struct arrival *a = bpf_map_lookup_elem(&inflight, &s->key);
    if (!a)
        return 0;
    if (rc != 0) { /* NETDEV_TX_OK: anything else, the driver did not take the packet */
        nt_count(VPL_TX_FAILED, 1);
        bpf_map_delete_elem(&inflight, &s->key);
        return 0;
    }
    __u64 now = bpf_ktime_get_ns();
    __u64 latency = now - a->ts;
    nt_count(VPL_DELIVERED, 1);
    struct nt_hist *h = bpf_map_lookup_elem(&latency_us, &zero);
    if (h)
        nt_hist_add(h, latency / 1000);
    struct event *e = nt_event_reserve(sizeof(*e));
    if (e) {
        e->ts_ns = now;
        e->latency_ns = latency;
        e->netns = cfg_netns_ino;
        e->src_ifindex = cfg_src_ifindex;
        e->dst_ifindex = s->ifindex;
        e->len = s->len;
        e->ip_id = s->key.ip_id;
        __builtin_memcpy(e->src_ifname, a->ifname, NT_IFNAMSIZ);
        if (dev)
            nt_dev_name(dev, e->dst_ifname);
        else
            e->dst_ifname[0] = 0;
        e->flow = s->key.flow;
        nt_event_submit(ctx, e);
    }
    bpf_map_delete_elem(&inflight, &s->key);
    return 0;
}

NT_SKB_EVENT_PROGRAMS(netif_receive_skb, nt_vpl_rx_btf, nt_vpl_rx_tp, on_receive)

NT_START_XMIT_PROGRAMS(nt_vpl_st_btf, nt_vpl_st_tp, on_start_xmit)

SEC("tp_btf/net_dev_xmit")
int BPF_PROG(nt_vpl_tx_btf, struct sk_buff *skb, int rc, struct net_device *dev, unsigned int len) {
    return on_xmit(ctx, skb, rc, dev);
}

SEC("tracepoint/net/net_dev_xmit")
int nt_vpl_tx_tp(struct trace_event_raw_net_dev_xmit *args) {
    return on_xmit(args, (struct sk_buff *)BPF_CORE_READ(args, skbaddr), BPF_CORE_READ(args, rc),
                   NULL);
}
