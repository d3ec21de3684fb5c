/* SPDX-License-Identifier: GPL-2.0 */
/* ovs-userspace-megaflow: which packets miss the Open vSwitch datapath, and which megaflow does
 * ovs-vswitchd install for them? Each upcall (the openvswitch:ovs_dp_upcall tracepoint, else
 * fentry/kprobe on ovs_dp_upcall) becomes an event built from the flow key OVS extracted: in-port,
 * skb mark, recirc id, MACs, EtherType, addresses, protocol, ports, plus the ingress device and the
 * netlink port the upcall goes to. Each OVS_FLOW_CMD_NEW request (ovs_flow_cmd_new, fentry/kprobe)
 * becomes an event carrying a bounded copy of its OVS_FLOW_ATTR_KEY, _MASK and _ACTIONS
 * attributes, which user space decodes (src/ovs-flow-attrs.ts). Upcalls are also counted per
 * (source, destination, protocol) in `upcalls`. Filters apply to upcalls in the kernel; flow
 * installs are filtered in user space on their decoded key. */
#include "function.bpf.h"
#include "filter.bpf.h"
#include "counters.bpf.h"
#include "buffer.bpf.h"
#include "modules/openvswitch.bpf.h"

enum mf_event_type { MF_UPCALL = 1, MF_FLOW_NEW = 2 };
NT_EXPORT_TYPE(enum mf_event_type, mf_event_type);

/* BCC's Ethernet filters (zero / all-zero: no filter). */
const volatile __u8 cfg_eth_src[6] = {};
const volatile __u8 cfg_eth_dst[6] = {};
const volatile __u16 cfg_eth_type = 0;
/* -u / -f: which events are streamed (the upcall table is kept either way). */
const volatile __u8 cfg_emit_upcalls = 1;
const volatile __u8 cfg_emit_flows = 1;

struct upcall_event {
    __u8 type; /* MF_UPCALL */
    __u8 cmd;  /* OVS_PACKET_CMD_MISS (1) or _ACTION (2, a userspace() action) */
    __u16 in_port;
    __u32 pid;
    __u64 ts_ns;
    __u32 portid; /* netlink port of the handler the upcall is sent to */
    __u32 ifindex;
    __u32 skb_mark;
    __u32 recirc_id;
    __u32 len;
    __u16 eth_type;
    __u8 eth_src[6];
    __u8 eth_dst[6];
    __u16 _pad;
    struct nt_flow flow;
    char comm[NT_TASK_COMM_LEN];
    char ifname[NT_OVS_IFNAMSIZ];
};
NT_EXPORT_TYPE(struct upcall_event, upcall_event);

/* Attribute payload bytes kept per attribute; the whole record stays within the perf-buffer
 * channel's NT_EVENT_MAX. A typical IPv4 key is under 200 bytes; a longer one is flagged. */
#define MF_KEY_MAX 384
#define MF_ACTIONS_MAX 192

struct flow_event {
    __u8 type;      /* MF_FLOW_NEW */
    __u8 truncated; /* bit 0 key, 1 mask, 2 actions: the attribute was longer than kept */
    __u16 _pad;
    __u32 pid;
    __u64 ts_ns;
    __u32 snd_portid; /* the requester's netlink port (genl_info.snd_portid) */
    __u32 msg_len;
    __u16 key_len; /* payload bytes of each attribute as sent (0: absent) */
    __u16 mask_len;
    __u16 actions_len;
    __u16 _pad2;
    char comm[NT_TASK_COMM_LEN];
    __u8 key[MF_KEY_MAX];
    __u8 mask[MF_KEY_MAX];
    __u8 actions[MF_ACTIONS_MAX];
};
NT_EXPORT_TYPE(struct flow_event, flow_event);

/* Upcalls per (family, protocol, source, destination), for the periodic table. */
struct pair_key {
    __u8 family;
    __u8 protocol;
    __u16 _pad;
    __u8 saddr[16];
    __u8 daddr[16];
};
NT_EXPORT_TYPE(struct pair_key, pair_key);

struct pair_val {
    __u64 upcalls;
    __u64 bytes;
};
NT_EXPORT_TYPE(struct pair_val, pair_val);

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 10240);
    __type(key, struct pair_key);
    __type(value, struct pair_val);
} upcalls SEC(".maps");

enum mf_counter {
    C_UPCALLS,   /* upcalls that passed the filters */
    C_FLOW_NEWS, /* every OVS_FLOW_CMD_NEW request */
    C_TRUNCATED, /* of those, with an attribute longer than the event keeps */
    C_MAX,
};
NT_COUNTERS(mf_counter, C_MAX);

static __always_inline bool mac_match(const __u8 *mac, const volatile __u8 *want) {
    __u8 any = 0, diff = 0;
#pragma unroll
    for (int i = 0; i < 6; i++) {
        any |= want[i];
        diff |= mac[i] ^ want[i];
    }
    return !any || !diff;
}

static __always_inline int on_upcall(void *ctx, struct sk_buff *skb,
                                     const struct sw_flow_key___nt *key, __u8 cmd, __u32 portid) {
    struct nt_flow f;
    nt_ovs_key_flow(key, &f);
    if (!nt_flow_match(&f))
        return 0;
    __u8 src[6], dst[6];
    bpf_core_read(src, 6, &key->eth.src);
    bpf_core_read(dst, 6, &key->eth.dst);
    __u16 eth_type = bpf_ntohs(BPF_CORE_READ(key, eth.type));
    if (!mac_match(src, cfg_eth_src) || !mac_match(dst, cfg_eth_dst) ||
        (cfg_eth_type && eth_type != cfg_eth_type))
        return 0;
    __u32 len = BPF_CORE_READ(skb, len);
    nt_count(C_UPCALLS, 1);

    struct pair_key pk = {.family = f.family, .protocol = f.protocol};
    __builtin_memcpy(pk.saddr, f.saddr, 16);
    __builtin_memcpy(pk.daddr, f.daddr, 16);
    struct pair_val zero = {};
    struct pair_val *v = nt_map_lookup_or_init(&upcalls, &pk, &zero);
    if (v) {
        __sync_fetch_and_add(&v->upcalls, 1);
        __sync_fetch_and_add(&v->bytes, len);
    }
    if (!cfg_emit_upcalls)
        return 0;

    struct upcall_event *e = nt_event_reserve(sizeof(*e));
    if (!e)
        return 0;
    e->type = MF_UPCALL;
    e->cmd = cmd;
    e->in_port = BPF_CORE_READ(key, phy.in_port);
    e->pid = bpf_get_current_pid_tgid() >> 32;
    e->ts_ns = bpf_ktime_get_ns();
    e->portid = portid;
    e->skb_mark = BPF_CORE_READ(key, phy.skb_mark);
    e->recirc_id = BPF_CORE_READ(key, recirc_id);
    e->len = len;
    e->eth_type = eth_type;
    __builtin_memcpy(e->eth_src, src, 6);
    __builtin_memcpy(e->eth_dst, dst, 6);
    e->_pad = 0;
    e->flow = f;
    bpf_get_current_comm(e->comm, sizeof(e->comm));
    struct net_device *dev = nt_ovs_vport_dev(nt_ovs_input_vport(skb));
    e->ifindex = dev ? BPF_CORE_READ(dev, ifindex) : 0;
    e->ifname[0] = 0;
    if (dev)
        bpf_core_read_str(e->ifname, sizeof(e->ifname), &dev->name);
    nt_event_submit(ctx, e);
    return 0;
}

SEC("tracepoint/openvswitch/ovs_dp_upcall")
int nt_mf_tp_upcall(struct trace_event_raw_ovs_dp_upcall___nt *ctx) {
    return on_upcall(ctx, (struct sk_buff *)ctx->skbaddr,
                     (const struct sw_flow_key___nt *)ctx->keyaddr, ctx->upcall_cmd,
                     ctx->upcall_port);
}

static __always_inline int on_upcall_call(void *ctx, struct datapath___nt *dp, struct sk_buff *skb,
                                          const struct sw_flow_key___nt *key,
                                          const struct dp_upcall_info___nt *info) {
    /* The port's bug: portid read at offset 0 of dp_upcall_info. Here CO-RE finds the member. */
    return on_upcall(ctx, skb, key, BPF_CORE_READ(info, cmd), BPF_CORE_READ(info, portid));
}

NT_FUNCTION_PROGRAMS(ovs_dp_upcall, nt_mf_fe_upcall, nt_mf_kp_upcall, on_upcall_call,
                     struct datapath___nt *, dp, struct sk_buff *, skb,
                     const struct sw_flow_key___nt *, key, const struct dp_upcall_info___nt *, info)

/* UAPI enum ovs_flow_attr. */
#define MF_FLOW_ATTR_KEY 1
#define MF_FLOW_ATTR_ACTIONS 2
#define MF_FLOW_ATTR_MASK 7

/* Copies attribute `type` of the request's parsed attributes (payload only, at most `max`
 * bytes); returns the payload length as sent (0: absent) and sets *cut when bytes were left out. */
static __always_inline __u16 copy_attr(struct nlattr **attrs, int type, __u8 *dst, __u32 max,
                                       bool *cut) {
    struct nlattr *a = NULL;
    if (bpf_probe_read_kernel(&a, sizeof(a), &attrs[type]) || !a)
        return 0;
    __u16 nla_len = 0;
    if (bpf_probe_read_kernel(&nla_len, sizeof(nla_len), &a->nla_len) || nla_len <= NT_NLA_HDRLEN)
        return 0;
    __u32 n = nla_len - NT_NLA_HDRLEN;
    *cut = n > max;
    if (n > max)
        n = max;
    /* Keeps the verifier's bound on n through the compiler's rewrites. */
    asm volatile("" : "+r"(n));
    if (n > max)
        return 0;
    if (bpf_probe_read_kernel(dst, n, (const char *)a + NT_NLA_HDRLEN))
        return 0;
    return nla_len - NT_NLA_HDRLEN;
}

static __always_inline int on_flow_new(void *ctx, struct sk_buff *msg, struct genl_info *info) {
    nt_count(C_FLOW_NEWS, 1);
    struct nlattr **attrs = BPF_CORE_READ(info, attrs);
    if (!attrs || !cfg_emit_flows)
        return 0;
    struct flow_event *e = nt_event_reserve(sizeof(*e));
    if (!e)
        return 0;
    e->type = MF_FLOW_NEW;
    e->_pad = 0;
    e->_pad2 = 0;
    e->pid = bpf_get_current_pid_tgid() >> 32;
    e->ts_ns = bpf_ktime_get_ns();
    e->snd_portid = BPF_CORE_READ(info, snd_portid);
    e->msg_len = BPF_CORE_READ(msg, len);
    bpf_get_current_comm(e->comm, sizeof(e->comm));
    bool cut_key = false, cut_mask = false, cut_actions = false;
    e->key_len = copy_attr(attrs, MF_FLOW_ATTR_KEY, e->key, MF_KEY_MAX, &cut_key);
    e->mask_len = copy_attr(attrs, MF_FLOW_ATTR_MASK, e->mask, MF_KEY_MAX, &cut_mask);
    e->actions_len =
        copy_attr(attrs, MF_FLOW_ATTR_ACTIONS, e->actions, MF_ACTIONS_MAX, &cut_actions);
    e->truncated = cut_key | (cut_mask << 1) | (cut_actions << 2);
    if (e->truncated)
        nt_count(C_TRUNCATED, 1);
    nt_event_submit(ctx, e);
    return 0;
}

NT_FUNCTION_PROGRAMS(ovs_flow_cmd_new, nt_mf_fe_flow, nt_mf_kp_flow, on_flow_new, struct sk_buff *,
                     msg, struct genl_info *, info)
