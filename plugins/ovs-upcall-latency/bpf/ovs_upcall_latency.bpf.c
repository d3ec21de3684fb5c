/* SPDX-License-Identifier: GPL-2.0 */
/* ovs-upcall-latency: how long does ovs-vswitchd take to answer a datapath miss? Each miss
 * upcall (ovs_dp_upcall with OVS_PACKET_CMD_MISS: the openvswitch:ovs_dp_upcall tracepoint, else
 * fentry/kprobe on the function) starts a session keyed by the packet's identity (pktkey.bpf.h);
 * the OVS_PACKET_CMD_EXECUTE request that sends the same packet back (ovs_packet_cmd_execute,
 * fentry/kprobe) ends it. Per flow kind (TCP, UDP, ICMP, other): upcalls, completed sessions, the
 * latency sum and a log2 histogram in microseconds (hist.bpf.h). The 5-tuple filters are applied
 * to the flow key OVS extracted, before anything is counted. */
#include "function.bpf.h"
#include "filter.bpf.h"
#include "hist.bpf.h"
#include "counters.bpf.h"
#include "pktkey.bpf.h"
#include "gso.bpf.h"
#include "modules/openvswitch.bpf.h"

enum flow_kind { KIND_TCP, KIND_UDP, KIND_ICMP, KIND_OTHER, KINDS };
NT_EXPORT_TYPE(enum flow_kind, flow_kind);

/* Per flow kind, summed over CPUs by the reader. */
struct kind_stats {
    __u64 upcalls;        /* miss upcalls that passed the filters */
    __u64 completed;      /* of those, answered by an execute of the same packet */
    __u64 latency_sum_ns; /* upcall to execute, over the completed ones */
    struct nt_hist latency_us;
};
NT_EXPORT_TYPE(struct kind_stats, kind_stats);

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, KINDS);
    __type(key, __u32);
    __type(value, struct kind_stats);
} per_kind SEC(".maps");

struct session {
    __u64 upcall_ns;
    __u32 kind;
    __u32 _pad;
};

/* Upcalls waiting for their execute. LRU: an upcall ovs-vswitchd never answers (lost, dropped by
 * its handler) ages out instead of filling the map. */
struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 10240);
    __type(key, struct nt_pkt_key);
    __type(value, struct session);
} sessions SEC(".maps");

enum ovs_upcall_counter {
    C_ACTION_UPCALLS, /* upcalls of a userspace() action (not misses: no execute answers them) */
    C_UNKEYED,        /* miss upcalls whose packet is not IP or could not be read: not timed */
    C_EXECUTES,       /* every OVS_PACKET_CMD_EXECUTE request */
    C_EXECUTES_UNMATCHED, /* executes of no traced upcall (other flows, or sent by ovs-vswitchd) */
    C_MAX,
};
NT_COUNTERS(ovs_upcall_counter, C_MAX);

static __always_inline __u32 kind_of(const struct nt_flow *f) {
    if (f->protocol == NT_IPPROTO_TCP)
        return KIND_TCP;
    if (f->protocol == NT_IPPROTO_UDP)
        return KIND_UDP;
    if (f->protocol == NT_IPPROTO_ICMP || f->protocol == NT_IPPROTO_ICMPV6)
        return KIND_ICMP;
    return KIND_OTHER;
}

static __always_inline struct kind_stats *stats_of(__u32 kind) {
    return bpf_map_lookup_elem(&per_kind, &kind);
}

static __always_inline int on_upcall(struct sk_buff *skb, const struct sw_flow_key___nt *key,
                                     __u8 cmd) {
    if (cmd != NT_OVS_PACKET_CMD_MISS) {
        nt_count(C_ACTION_UPCALLS, 1);
        return 0;
    }
    struct nt_flow f;
    nt_ovs_key_flow(key, &f);
    if (!nt_flow_match(&f))
        return 0;
    __u32 kind = f.family ? kind_of(&f) : KIND_OTHER;
    struct kind_stats *s = stats_of(kind);
    if (!s)
        return 0;
    s->upcalls++;

    /* The packet as the key extraction left it: network header at the L3 header OVS parsed. */
    struct nt_pkt_key pk;
    __u16 nh = BPF_CORE_READ(skb, network_header);
    __u16 ethertype = bpf_ntohs(BPF_CORE_READ(key, eth.type));
    if (!f.family || nh == NT_NO_HEADER ||
        nt_pkt_key_l3(BPF_CORE_READ(skb, head) + nh, ethertype, &pk)) {
        nt_count(C_UNKEYED, 1);
        return 0;
    }
    /* A GSO packet goes up as segments (queue_gso_packets), each executed on its own: the first
     * has this sequence number or IPv4 id but a shorter length, so the length is left out. */
    if (BPF_CORE_READ(nt_skb_shinfo(skb), gso_size))
        pk.length = 0;
    struct session sess = {.upcall_ns = bpf_ktime_get_ns(), .kind = kind};
    bpf_map_update_elem(&sessions, &pk, &sess, BPF_ANY);
    return 0;
}

SEC("tracepoint/openvswitch/ovs_dp_upcall")
int nt_ou_tp_upcall(struct trace_event_raw_ovs_dp_upcall___nt *ctx) {
    return on_upcall((struct sk_buff *)ctx->skbaddr, (const struct sw_flow_key___nt *)ctx->keyaddr,
                     ctx->upcall_cmd);
}

static __always_inline int on_upcall_call(void *ctx, struct datapath___nt *dp, struct sk_buff *skb,
                                          const struct sw_flow_key___nt *key,
                                          const struct dp_upcall_info___nt *info) {
    return on_upcall(skb, key, BPF_CORE_READ(info, cmd));
}

NT_FUNCTION_PROGRAMS(ovs_dp_upcall, nt_ou_fe_upcall, nt_ou_kp_upcall, on_upcall_call,
                     struct datapath___nt *, dp, struct sk_buff *, skb,
                     const struct sw_flow_key___nt *, key, const struct dp_upcall_info___nt *, info)

static __always_inline int on_execute(void *ctx, struct sk_buff *msg, struct genl_info *info) {
    __u64 now = bpf_ktime_get_ns();
    nt_count(C_EXECUTES, 1);
    __u32 len = 0;
    const void *frame = nt_ovs_execute_frame(info, &len);
    __u16 ethertype = 0;
    const void *l3 = frame ? nt_ovs_frame_l3(frame, &ethertype) : NULL;
    struct nt_pkt_key pk;
    struct session *sess = NULL;
    if (l3 && !nt_pkt_key_l3(l3, ethertype, &pk)) {
        sess = bpf_map_lookup_elem(&sessions, &pk);
        if (!sess && pk.length) { /* the first segment of a GSO packet's upcall */
            pk.length = 0;
            sess = bpf_map_lookup_elem(&sessions, &pk);
        }
    }
    if (!sess) {
        nt_count(C_EXECUTES_UNMATCHED, 1);
        return 0;
    }
    __u64 ns = now > sess->upcall_ns ? now - sess->upcall_ns : 0;
    struct kind_stats *s = stats_of(sess->kind);
    bpf_map_delete_elem(&sessions, &pk);
    if (!s)
        return 0;
    s->completed++;
    s->latency_sum_ns += ns;
    nt_hist_add(&s->latency_us, ns / 1000);
    return 0;
}

NT_FUNCTION_PROGRAMS(ovs_packet_cmd_execute, nt_ou_fe_exec, nt_ou_kp_exec, on_execute,
                     struct sk_buff *, msg, struct genl_info *, info)
