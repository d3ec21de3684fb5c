/* SPDX-License-Identifier: GPL-2.0 */
/* Devices as the user names them: (network namespace, ifindex). An ifindex alone is ambiguous
 * (every namespace numbers its devices from 1), so plugins that take the shared `--netns` option
 * compare both: cfg_netns_ino is the inode of the namespace file (= net->ns.inum), written by
 * @nettrace/core from `--netns`, or from the current namespace whenever an interface option was
 * given. */
#pragma once
#include "filter.bpf.h"

const volatile __u32 cfg_netns_ino = 0;

#define NT_IFNAMSIZ 16

/* The namespace inode of a device (0 on kernels built without network namespaces). */
static __always_inline __u32 nt_dev_netns(const struct net_device *dev) {
    if (!bpf_core_field_exists(dev->nd_net.net))
        return 0;
    return BPF_CORE_READ(dev, nd_net.net, ns.inum);
}

/* Is `dev` the device (ifindex, netns)? Zero fields are wildcards. */
static __always_inline bool nt_dev_is(const struct net_device *dev, __u32 ifindex, __u32 netns) {
    if (ifindex && BPF_CORE_READ(dev, ifindex) != ifindex)
        return false;
    return !netns || nt_dev_netns(dev) == netns;
}

/* The shared interface filter with its namespace: `--interface X [--netns N]`, or `--netns N`
 * alone for every device of that namespace. */
static __always_inline bool nt_dev_match(const struct net_device *dev) {
    if (!cfg_ifindex && !cfg_netns_ino)
        return true;
    if (!dev)
        return false;
    return nt_dev_is(dev, cfg_ifindex, cfg_netns_ino);
}

/* Whether other devices are stacked below this one (a bridge's ports, the NIC under a VLAN, bond,
 * team or macvlan device): what it transmits goes through a lower device's start_xmit again, the
 * same skb (or a clone per port). Reporting only at devices with none counts a packet once. */
static __always_inline bool nt_dev_has_lower(const struct net_device *dev) {
    const struct list_head *lower = __builtin_preserve_access_index(&dev->adj_list.lower);
    return BPF_CORE_READ(dev, adj_list.lower.next) != lower;
}

/* Copies the device name (NUL-terminated, NT_IFNAMSIZ bytes). */
static __always_inline void nt_dev_name(const struct net_device *dev, char *name) {
    bpf_core_read_str(name, NT_IFNAMSIZ, &dev->name);
}

/* The two programs of a net_dev_template tracepoint (netif_receive_skb, net_dev_queue,
 * netif_rx, ...): tp_btf where the kernel has it, else the classic tracepoint, both thin wrappers
 * over worker(ctx, skb). The plugin declares the pair with tracepointHook() on the TS side. */
#define NT_SKB_EVENT_PROGRAMS(event, btf_name, tp_name, worker)                                    \
    SEC("tp_btf/" #event)                                                                          \
    int BPF_PROG(btf_name, struct sk_buff *skb) {                                                  \
        return worker(ctx, skb);                                                                   \
    }                                                                                              \
    SEC("tracepoint/net/" #event)                                                                  \
    int tp_name(struct trace_event_raw_net_dev_template *args) {                                   \
        return worker(args, (struct sk_buff *)BPF_CORE_READ(args, skbaddr));                       \
    }

/* The two programs of net:net_dev_start_xmit (a packet handed to a driver, with its TX queue
 * chosen): tp_btf, else the classic tracepoint, both thin wrappers over worker(ctx, skb, dev). */
#define NT_START_XMIT_PROGRAMS(btf_name, tp_name, worker)                                          \
    SEC("tp_btf/net_dev_start_xmit")                                                               \
    int BPF_PROG(btf_name, struct sk_buff *skb, const struct net_device *dev) {                    \
        return worker(ctx, skb, dev);                                                              \
    }                                                                                              \
    SEC("tracepoint/net/net_dev_start_xmit")                                                       \
    int tp_name(struct trace_event_raw_net_dev_start_xmit *args) {                                 \
        struct sk_buff *skb = (struct sk_buff *)BPF_CORE_READ(args, skbaddr);                      \
        return worker(args, skb, BPF_CORE_READ(skb, dev));                                         \
    }

/* Does an skb pass the address/port/protocol filter, when one is given? Packets whose headers
 * cannot be parsed pass only when no such filter is given. */
static __always_inline bool nt_skb_flow_match(struct sk_buff *skb) {
    if (!cfg_src_ip_set && !cfg_dst_ip_set && !cfg_src_port && !cfg_dst_port && !cfg_protocol)
        return true;
    struct nt_flow f = {};
    return nt_parse_skb(skb, &f) == 0 && nt_flow_match(&f);
}

/* Does an skb pass the shared device filter and the flow filter? */
static __always_inline bool nt_skb_match(struct sk_buff *skb) {
    return nt_dev_match(BPF_CORE_READ(skb, dev)) && nt_skb_flow_match(skb);
}

/* An skb's device as events carry it: ifindex, namespace inode and name (left zero without one). */
static __always_inline void nt_skb_dev_fields(struct sk_buff *skb, __u32 *ifindex, __u32 *netns,
                                              char *name) {
    struct net_device *dev = BPF_CORE_READ(skb, dev);
    if (!dev)
        return;
    *ifindex = BPF_CORE_READ(dev, ifindex);
    *netns = nt_dev_netns(dev);
    nt_dev_name(dev, name);
}
