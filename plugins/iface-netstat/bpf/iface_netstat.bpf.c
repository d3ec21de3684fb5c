/* SPDX-License-Identifier: GPL-2.0 */
/* iface-netstat: per interface, direction and queue, packets, bytes and the frame-size mix.
 * Hooks: net:net_dev_start_xmit (TX, queue = the chosen TX queue) and net:netif_receive_skb (RX,
 * queue = the RX queue the driver recorded), as tp_btf where the kernel allows, else tracepoints.
 */
#include "netdev.bpf.h"
#include "hist.bpf.h"
#include "counters.bpf.h"

#define DIR_RX 0
#define DIR_TX 1
#define QUEUE_NONE 0xffff /* RX: the driver did not record a queue */

struct queue_key {
    __u32 netns;
    __u32 ifindex;
    __u16 queue;
    __u8 direction;
    __u8 _pad;
    char ifname[NT_IFNAMSIZ];
};

/* Frame sizes go into the shared log2 histogram; user space folds its power-of-two slots into the
 * size buckets the user asked for (64, 512, 2K, 16K, 64K by default). */
struct queue_val {
    __u64 packets;
    __u64 bytes;
    struct nt_hist sizes;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, struct queue_key);
    __type(value, struct queue_val);
} queues SEC(".maps");

/* Packets that passed the filter but found the table full. */
enum ins_counter { INS_UNTRACKED, INS_COUNTERS };
NT_COUNTERS(ins_counter, INS_COUNTERS);

static const struct queue_val zero_val;

static __always_inline int count(const struct sk_buff *skb, const struct net_device *dev,
                                 __u8 dir) {
    if (!dev || !nt_dev_match(dev))
        return 0;
    struct queue_key key = {};
    key.netns = nt_dev_netns(dev);
    key.ifindex = BPF_CORE_READ(dev, ifindex);
    key.direction = dir;
    __u16 qm = BPF_CORE_READ(skb, queue_mapping);
    /* RX: skb_record_rx_queue() stores queue + 1, and 0 means "not recorded" */
    key.queue = dir == DIR_TX ? qm : qm ? qm - 1 : QUEUE_NONE;
    nt_dev_name(dev, key.ifname);

    struct queue_val *val = nt_map_lookup_or_init(&queues, &key, &zero_val);
    if (!val) {
        nt_count(INS_UNTRACKED, 1);
        return 0;
    }
    __u64 len = nt_skb_frame_len(skb); /* Ethernet header included in both directions */
    __sync_fetch_and_add(&val->packets, 1);
    __sync_fetch_and_add(&val->bytes, len);
    nt_hist_add(&val->sizes, len);
    return 0;
}

static __always_inline int on_transmit(void *ctx, struct sk_buff *skb,
                                       const struct net_device *dev) {
    return count(skb, dev, DIR_TX);
}

static __always_inline int on_receive(void *ctx, struct sk_buff *skb) {
    return count(skb, BPF_CORE_READ(skb, dev), DIR_RX);
}

NT_START_XMIT_PROGRAMS(nt_ins_tx_btf, nt_ins_tx_tp, on_transmit)
NT_SKB_EVENT_PROGRAMS(netif_receive_skb, nt_ins_rx_btf, nt_ins_rx_tp, on_receive)
