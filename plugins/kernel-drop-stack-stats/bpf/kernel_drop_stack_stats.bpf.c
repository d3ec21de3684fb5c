/* SPDX-License-Identifier: GPL-2.0 */
/* kernel-drop-stack-stats: count packet drops by (reason, kernel stack, flow) over an interval.
 * Hook: skb:kfree_skb, as tp_btf where the kernel allows it, else the classic tracepoint
 * (both programs and the guarded reason reads come from kfree_skb.bpf.h). */
#include "filter.bpf.h"
#include "counters.bpf.h"
#include "stack.bpf.h"
#include "kfree_skb.bpf.h"
#include "netdev.bpf.h"

/* What is grouped: the user's --group-by turns parts of the key off (zeroed) in the kernel. */
const volatile __u8 cfg_group_stack = 1;
const volatile __u8 cfg_group_flow = 1;

/* A device is (network namespace, ifindex): every namespace numbers its devices from 1. */
struct drop_key {
    __u32 reason;
    __s32 stack_id;
    __u32 ifindex;
    __u32 netns;
    struct nt_flow flow;
};

/* The device's name is read here, in its own namespace: nettrace's namespace may not have it. */
struct drop_val {
    __u64 count;
    __u64 bytes;
    __u64 last_ns;
    char ifname[NT_IFNAMSIZ];
};

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 10240);
    __type(key, struct drop_key);
    __type(value, struct drop_val);
} drops SEC(".maps");

/* Every drop that passed the filters, counted apart from the table: the table is an LRU, so when
 * more groups occur than it holds, the oldest are evicted with their counts. The report's total
 * comes from here, and what no group in the table holds is reported as untracked. */
enum kds_counter { KDS_MATCHED, KDS_COUNTERS };
NT_COUNTERS(kds_counter, KDS_COUNTERS);

static __always_inline int count_drop(void *ctx, struct sk_buff *skb, __u64 location,
                                      __u32 reason) {
    struct drop_key key = {};
    if (nt_parse_skb(skb, &key.flow) < 0 && (cfg_src_ip_set || cfg_dst_ip_set || cfg_protocol))
        return 0;
    if (!nt_flow_match(&key.flow))
        return 0;
    struct net_device *dev = BPF_CORE_READ(skb, dev);
    if (!nt_dev_match(dev))
        return 0;
    key.reason = reason;
    key.stack_id = cfg_group_stack ? nt_kernel_stack(ctx) : 0;
    /* The device is part of every grouping, as in BCC (its stack key holds the device name):
     * the same stack on two devices is two rows, never one merged count. */
    if (dev) {
        key.ifindex = BPF_CORE_READ(dev, ifindex);
        key.netns = nt_dev_netns(dev);
    }
    if (!cfg_group_flow)
        __builtin_memset(&key.flow, 0, sizeof(key.flow));

    nt_count(KDS_MATCHED, 1);
    struct drop_val zero = {};
    struct drop_val *val = nt_map_lookup_or_init(&drops, &key, &zero);
    if (!val)
        return 0;
    if (!val->ifname[0] && key.ifindex)
        nt_dev_name(dev, val->ifname);
    __sync_fetch_and_add(&val->count, 1);
    __sync_fetch_and_add(&val->bytes, BPF_CORE_READ(skb, len));
    val->last_ns = bpf_ktime_get_ns();
    return 0;
}

NT_KFREE_SKB_PROGRAMS(nt_kds_btf, nt_kds_tp, count_drop)
