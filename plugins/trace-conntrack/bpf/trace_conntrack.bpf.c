/* SPDX-License-Identifier: GPL-2.0 */
/* trace-conntrack: packets through connection tracking, and the entries they create and destroy.
 * In the nf_conntrack module:
 *   nf_conntrack_in         entry + return: the verdict and the entry (ctinfo, status, TCP state)
 *                           each packet carries afterwards
 *   nf_conntrack_tcp_packet entry + return: the TCP state before -> after
 *   __nf_ct_refresh_acct    an entry's timeout refreshed by a packet (5.10-6.1 pass the skb, 6.12
 *                           does not: the packet is the one nf_conntrack_in is handling, if any)
 *   __nf_conntrack_confirm  entry + return: NEW when the entry went into the table (its caller
 *                           nf_conntrack_confirm is inline, which is why the port's probe on it
 *                           never attached; an entry that lost an insertion clash is not NEW)
 *   nf_ct_destroy           DESTROY of a confirmed entry (destroy_conntrack before 5.19)
 * In the openvswitch module: ovs_ct_execute (entry + return), __ovs_ct_lookup, __ovs_ct_update_key.
 * The last rung of the nf_conntrack_in return hook, for kernels without kprobes and fentry, is
 * net:net_dev_start_xmit: the entry each transmitted packet carries.
 * Each function has an fentry/fexit and a kprobe/kretprobe program over one worker. Events match
 * the shared filter, or any rule of --filters-file, on either side (BCC's reverse match): the
 * packet where there is one, else the entry's original tuple. */
#include "netdev.bpf.h"
#include "flow_rules.bpf.h"
#include "buffer.bpf.h"
#include "counters.bpf.h"
#include "stack.bpf.h"
#include "call_frames.bpf.h"
#include "function.bpf.h"
#include "kind_counts.bpf.h"
#include "modules/nf_conntrack.bpf.h"
#include "modules/openvswitch.bpf.h"

enum ct_point {
    CT_IN,         /* nf_conntrack_in returned */
    CT_TCP,        /* the TCP state handler returned */
    CT_REFRESH,    /* __nf_ct_refresh_acct */
    CT_NEW,        /* an entry was inserted into the table */
    CT_DESTROY,    /* a confirmed entry was destroyed */
    CT_XMIT,       /* a transmitted packet's entry (tracepoint rung) */
    CT_OVS_EXEC,   /* ovs_ct_execute returned: an OVS ct() action on a packet */
    CT_OVS_LOOKUP, /* __ovs_ct_lookup: OVS runs conntrack on it */
    CT_OVS_UPDATE, /* __ovs_ct_update_key: the ct_state OVS puts into the flow key */
    CT_POINTS,
};
NT_EXPORT_TYPE(enum ct_point, ct_point);

/* Protocol classes, the "kinds" of the per-point counts. */
enum ct_class { CT_CLASS_TCP, CT_CLASS_UDP, CT_CLASS_ICMP, CT_CLASS_OTHER, CT_CLASSES };
NT_EXPORT_TYPE(enum ct_class, ct_class);

/* Bookkeeping of the entry/return pairing. */
enum ct_counter {
    CT_UNMATCHED_RETURNS, /* a return without its entry's frame (attached mid-call) */
    CT_TOO_DEEP,          /* nested calls past NT_CALL_DEPTH */
    CT_COUNTERS,
};
NT_COUNTERS(ct_counter, CT_COUNTERS);

/* Events reported, per point and protocol class. */
NT_KIND_COUNTS(per_point, CT_POINTS, CT_CLASSES)

#define CT_NO_VERDICT (-999)
#define CT_NO_STATE 0xff

const volatile __u8 cfg_stack = 0;

struct ct_event {
    __u64 ts_ns;
    const void *ct;  /* nf_conn address: the entry's identity across events (NULL: none) */
    const void *skb; /* the packet's sk_buff (NULL: the point has none) */
    __u64 status;    /* ct->status, IPS_* bits */
    __s32 verdict;   /* NF_* verdict returned, CT_NO_VERDICT where the point returns none */
    __s32 stack_id;
    __u32 pid;
    __u32 cpu;
    __u32 netns; /* the entry's network namespace (inode), else the device's */
    __u32 ifindex;
    __u32 mark;
    __u32 tcp_seq;
    __u32 tcp_ack;
    __u16 zone;
    __u16 ip_id;
    __u8 point;
    __u8 ctinfo; /* enum ip_conntrack_info of the packet, NT_NO_CTINFO: none */
    __u8 tcp_state_before;
    __u8 tcp_state; /* enum tcp_conntrack, CT_NO_STATE for other protocols */
    __u8 tcp_flags;
    __u8 zone_dir;
    __u8 ovs_state; /* __ovs_ct_update_key: OVS_CS_F_* bits */
    __u8 ovs_commit;
    char comm[NT_TASK_COMM_LEN];
    char ifname[NT_IFNAMSIZ];
    struct nt_flow pkt;   /* the packet (family 0 when the point has none) */
    struct nt_flow orig;  /* the entry's original tuple */
    struct nt_flow reply; /* and its reply tuple */
};
NT_EXPORT_TYPE(struct ct_event, ct_event);

static __always_inline __u32 ct_class(__u8 protocol) {
    return protocol == NT_IPPROTO_TCP                                     ? CT_CLASS_TCP
           : protocol == NT_IPPROTO_UDP                                   ? CT_CLASS_UDP
           : protocol == NT_IPPROTO_ICMP || protocol == NT_IPPROTO_ICMPV6 ? CT_CLASS_ICMP
                                                                          : CT_CLASS_OTHER;
}

/* The packet's headers, TCP flags/seq/ack and IP id. */
static __always_inline void ct_packet(struct ct_event *e, struct sk_buff *skb) {
    __u16 ethertype = 0;
    const void *l3 = nt_skb_l3(skb, &ethertype);
    if (!l3 || nt_parse_l3(l3, ethertype, &e->pkt) < 0)
        return;
    e->ip_id = nt_ip_id(l3, ethertype);
    __u8 protocol = 0;
    const void *l4 = nt_l4_header(l3, ethertype, &protocol);
    struct tcphdr th;
    if (l4 && protocol == NT_IPPROTO_TCP && !bpf_probe_read_kernel(&th, sizeof(th), l4)) {
        e->tcp_seq = bpf_ntohl(th.seq);
        e->tcp_ack = bpf_ntohl(th.ack_seq);
        e->tcp_flags = ((__u8 *)&th)[13]; /* the flags byte after data offset (RFC 9293) */
    }
}

static __always_inline void ct_entry(struct ct_event *e, struct nf_conn___nt *ct) {
    e->ct = ct;
    if (!ct)
        return;
    nt_ct_flows(ct, &e->orig, &e->reply);
    e->status = nt_ct_status(ct);
    e->zone = nt_ct_zone(ct, &e->zone_dir);
    e->mark = nt_ct_mark(ct);
    if (e->orig.protocol == NT_IPPROTO_TCP)
        e->tcp_state = nt_ct_tcp_state(ct);
}

/* The event is built here (it is larger than the stack allows), filtered, then copied out. */
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct ct_event);
} scratch SEC(".maps");

/* What a point knows besides the packet and the entry. */
struct ct_extra {
    __s32 verdict;
    __u8 ctinfo;
    __u8 state_before;
    __u8 ovs_state;
    __u8 ovs_commit;
};

static __always_inline struct ct_extra ct_extra(__s32 verdict, __u8 ctinfo, __u8 state_before) {
    struct ct_extra x = {.verdict = verdict, .ctinfo = ctinfo, .state_before = state_before};
    return x;
}

/* Builds, filters and submits one event. The packet decides the match when there is one, else
 * the entry's original tuple (either side matches, so the reply direction does too). */
static __always_inline int ct_emit(void *ctx, __u8 point, struct sk_buff *skb,
                                   struct nf_conn___nt *ct, struct ct_extra x) {
    __u32 zero = 0;
    struct ct_event *e = bpf_map_lookup_elem(&scratch, &zero);
    if (!e)
        return 0;
    __builtin_memset(e, 0, sizeof(*e));
    e->tcp_state = CT_NO_STATE;
    if (skb)
        ct_packet(e, skb);
    ct_entry(e, ct);
    const struct nt_flow *match = e->pkt.family ? &e->pkt : &e->orig;
    struct net_device *dev = skb ? BPF_CORE_READ(skb, dev) : NULL;
    /* --netns: the namespace whose conntrack table the entry is in (else the device's). */
    e->netns = ct ? nt_ct_netns(ct) : dev ? nt_dev_netns(dev) : 0;
    if (!match->family || !nt_flow_rules_match(match) ||
        (cfg_netns_ino && e->netns != cfg_netns_ino))
        return 0;
    e->ts_ns = bpf_ktime_get_ns();
    e->skb = skb;
    e->point = point;
    e->ctinfo = x.ctinfo;
    e->verdict = x.verdict;
    e->tcp_state_before = x.state_before;
    e->ovs_state = x.ovs_state;
    e->ovs_commit = x.ovs_commit;
    e->pid = nt_tgid();
    e->cpu = bpf_get_smp_processor_id();
    e->stack_id = cfg_stack ? nt_kernel_stack(ctx) : -1;
    bpf_get_current_comm(e->comm, sizeof(e->comm));
    if (dev) {
        e->ifindex = BPF_CORE_READ(dev, ifindex);
        nt_dev_name(dev, e->ifname);
    }
    per_point_add(point, ct_class(match->protocol));
    nt_event_emit(ctx, e, sizeof(*e));
    return 0;
}

/* The frames of the entry/return pairs: what the return needs from the entry. */
struct ct_frame {
    __u64 skb;
    __u64 ct;
    __u32 ctinfo;
    __u32 state; /* the TCP state at entry */
};
NT_CALL_FRAMES(in_frames, struct ct_frame)
NT_CALL_FRAMES(tcp_frames, struct ct_frame)
NT_CALL_FRAMES(confirm_frames, struct ct_frame)
NT_CALL_FRAMES(ovs_frames, struct ct_frame)

/* Pops this return's frame; false (and counted) when there is none. */
#define CT_POP(frames, f)                                                                          \
    ({                                                                                             \
        int __r = frames##_pop(f);                                                                 \
        if (__r)                                                                                   \
            nt_count(__r == -2 ? CT_TOO_DEEP : CT_UNMATCHED_RETURNS, 1);                           \
        __r == 0;                                                                                  \
    })

/* nf_conntrack_in(skb, state): the verdict and the entry the packet carries afterwards. The
 * entry's frame also tells __nf_ct_refresh_acct which packet it is refreshing for. */
static __always_inline int in_entry(void *ctx, struct sk_buff *skb) {
    struct ct_frame *f = in_frames_push();
    if (f)
        f->skb = (__u64)skb;
    return 0;
}

static __always_inline int in_return(void *ctx, unsigned int verdict) {
    struct ct_frame f;
    if (!CT_POP(in_frames, &f))
        return 0;
    struct sk_buff *skb = (struct sk_buff *)f.skb;
    __u8 ctinfo;
    struct nf_conn___nt *ct = nt_skb_ct(skb, &ctinfo);
    return ct_emit(ctx, CT_IN, skb, ct, ct_extra((__s32)verdict, ctinfo, CT_NO_STATE));
}

NT_FUNCTION_PROGRAMS(nf_conntrack_in, nt_ct_in_fe, nt_ct_in_kp, in_entry, struct sk_buff *, skb)
NT_FUNCTION_EXIT_PROGRAMS(nf_conntrack_in, nt_ct_in_fx, nt_ct_in_kr, in_return, 2, unsigned int)

/* The last rung of the nf_conntrack_in return hook (no kprobes, no fentry): the entry a packet
 * carries when it is handed to a driver. */
static __always_inline int on_xmit(void *ctx, struct sk_buff *skb, const struct net_device *dev) {
    __u8 ctinfo;
    struct nf_conn___nt *ct = nt_skb_ct(skb, &ctinfo);
    if (ctinfo == NT_NO_CTINFO)
        return 0;
    return ct_emit(ctx, CT_XMIT, skb, ct, ct_extra(CT_NO_VERDICT, ctinfo, CT_NO_STATE));
}
NT_START_XMIT_PROGRAMS(nt_ct_xmit_btf, nt_ct_xmit_tp, on_xmit)

/* nf_conntrack_tcp_packet(ct, skb, dataoff, ctinfo, state): the TCP state before -> after. */
static __always_inline int tcp_entry(void *ctx, struct nf_conn___nt *ct, struct sk_buff *skb,
                                     unsigned int dataoff, unsigned int ctinfo) {
    struct ct_frame *f = tcp_frames_push();
    if (f) {
        f->ct = (__u64)ct;
        f->skb = (__u64)skb;
        f->ctinfo = ctinfo;
        f->state = nt_ct_tcp_state(ct);
    }
    return 0;
}

static __always_inline int tcp_return(void *ctx, int verdict) {
    struct ct_frame f;
    if (!CT_POP(tcp_frames, &f))
        return 0;
    return ct_emit(ctx, CT_TCP, (struct sk_buff *)f.skb, (struct nf_conn___nt *)f.ct,
                   ct_extra(verdict, f.ctinfo, f.state));
}

NT_FUNCTION_PROGRAMS(nf_conntrack_tcp_packet, nt_ct_tcp_fe, nt_ct_tcp_kp, tcp_entry,
                     struct nf_conn___nt *, ct, struct sk_buff *, skb, unsigned int, dataoff,
                     unsigned int, ctinfo)
NT_FUNCTION_EXIT_PROGRAMS(nf_conntrack_tcp_packet, nt_ct_tcp_fx, nt_ct_tcp_kr, tcp_return, 5, int)

/* __nf_ct_refresh_acct(ct, ctinfo, ...): the arguments after ctinfo changed in 6.12 (no skb), so
 * only the first two are read; the packet is the one nf_conntrack_in is handling on this thread. */
static __always_inline int on_refresh(void *ctx, struct nf_conn___nt *ct, unsigned int ctinfo) {
    struct ct_frame *in = in_frames_top();
    struct sk_buff *skb = in ? (struct sk_buff *)in->skb : NULL;
    return ct_emit(ctx, CT_REFRESH, skb, ct, ct_extra(CT_NO_VERDICT, ctinfo, CT_NO_STATE));
}
NT_FUNCTION_PROGRAMS(__nf_ct_refresh_acct, nt_ct_ref_fe, nt_ct_ref_kp, on_refresh,
                     struct nf_conn___nt *, ct, unsigned int, ctinfo)

/* __nf_conntrack_confirm(skb): NEW when the packet's entry is confirmed on return. On a clash the
 * kernel may attach the packet to the entry that won instead; that one is not new, so the entry
 * remembered at entry is the one checked. */
static __always_inline int confirm_entry(void *ctx, struct sk_buff *skb) {
    struct ct_frame *f = confirm_frames_push();
    if (f) {
        __u8 ctinfo;
        f->ct = (__u64)nt_skb_ct(skb, &ctinfo);
        f->skb = (__u64)skb;
        f->ctinfo = ctinfo;
    }
    return 0;
}

static __always_inline int confirm_return(void *ctx, int verdict) {
    struct ct_frame f;
    if (!CT_POP(confirm_frames, &f))
        return 0;
    struct nf_conn___nt *ct = (struct nf_conn___nt *)f.ct;
    if (!ct || !(nt_ct_status(ct) & NT_IPS_CONFIRMED))
        return 0;
    return ct_emit(ctx, CT_NEW, (struct sk_buff *)f.skb, ct,
                   ct_extra(verdict, f.ctinfo, CT_NO_STATE));
}

NT_FUNCTION_PROGRAMS(__nf_conntrack_confirm, nt_ct_cf_fe, nt_ct_cf_kp, confirm_entry,
                     struct sk_buff *, skb)
NT_FUNCTION_EXIT_PROGRAMS(__nf_conntrack_confirm, nt_ct_cf_fx, nt_ct_cf_kr, confirm_return, 1, int)

/* nf_ct_destroy(nfct) / destroy_conntrack(nfct): the last reference went; DESTROY for entries
 * that were in the table (unconfirmed ones and templates never were). */
static __always_inline int on_destroy(void *ctx, struct nf_conntrack *nfct) {
    struct nf_conn___nt *ct = nt_container_of(nfct, struct nf_conn___nt, ct_general);
    __u64 status = nt_ct_status(ct);
    if (!(status & NT_IPS_CONFIRMED) || (status & NT_IPS_TEMPLATE))
        return 0;
    return ct_emit(ctx, CT_DESTROY, NULL, ct, ct_extra(CT_NO_VERDICT, NT_NO_CTINFO, CT_NO_STATE));
}
NT_FUNCTION_PROGRAMS(nf_ct_destroy, nt_ct_ds_fe, nt_ct_ds_kp, on_destroy, struct nf_conntrack *,
                     nfct)
NT_FUNCTION_PROGRAMS(destroy_conntrack, nt_ct_ds_fe_old, nt_ct_ds_kp_old, on_destroy,
                     struct nf_conntrack *, nfct)

/* OVS conntrack: ovs_ct_execute(net, skb, key, info) entry and return (the ct() action on one
 * packet: the entry it carries afterwards), __ovs_ct_lookup(net, key, info, skb) (conntrack run
 * for it) and __ovs_ct_update_key(key, state, zone, ct) (the ct_state OVS matches flows on; the
 * packet is the one ovs_ct_execute handles on this thread; ovs_ct_update_key itself is a compiler
 * clone with other arguments in Debian's kernels). */
static __always_inline __u8 ovs_commit(const struct ovs_conntrack_info___nt *info) {
    return info ? BPF_CORE_READ_BITFIELD_PROBED(info, commit) : 0;
}

static __always_inline int ovs_exec_entry(void *ctx, void *net, struct sk_buff *skb, void *key,
                                          const struct ovs_conntrack_info___nt *info) {
    struct ct_frame *f = ovs_frames_push();
    if (f) {
        f->skb = (__u64)skb;
        f->ctinfo = ovs_commit(info); /* this frame's ctinfo slot: the action's commit flag */
    }
    return 0;
}

static __always_inline int ovs_exec_return(void *ctx, int ret) {
    struct ct_frame f;
    if (!CT_POP(ovs_frames, &f))
        return 0;
    struct sk_buff *skb = (struct sk_buff *)f.skb;
    __u8 ctinfo;
    struct nf_conn___nt *ct = nt_skb_ct(skb, &ctinfo);
    struct ct_extra x = ct_extra(ret, ctinfo, CT_NO_STATE);
    x.ovs_commit = f.ctinfo;
    return ct_emit(ctx, CT_OVS_EXEC, skb, ct, x);
}

NT_FUNCTION_PROGRAMS(ovs_ct_execute, nt_ct_ox_fe, nt_ct_ox_kp, ovs_exec_entry, void *, net,
                     struct sk_buff *, skb, void *, key, const struct ovs_conntrack_info___nt *,
                     info)
NT_FUNCTION_EXIT_PROGRAMS(ovs_ct_execute, nt_ct_ox_fx, nt_ct_ox_kr, ovs_exec_return, 4, int)

static __always_inline int ovs_lookup(void *ctx, void *net, void *key,
                                      const struct ovs_conntrack_info___nt *info,
                                      struct sk_buff *skb) {
    __u8 ctinfo;
    struct nf_conn___nt *ct = nt_skb_ct(skb, &ctinfo);
    struct ct_extra x = ct_extra(CT_NO_VERDICT, ctinfo, CT_NO_STATE);
    x.ovs_commit = ovs_commit(info);
    return ct_emit(ctx, CT_OVS_LOOKUP, skb, ct, x);
}
NT_FUNCTION_PROGRAMS(__ovs_ct_lookup, nt_ct_ol_fe, nt_ct_ol_kp, ovs_lookup, void *, net, void *,
                     key, const struct ovs_conntrack_info___nt *, info, struct sk_buff *, skb)

static __always_inline int ovs_update(void *ctx, void *key, __u8 state, const void *zone,
                                      struct nf_conn___nt *ct) {
    struct ct_frame *exec = ovs_frames_top();
    struct sk_buff *skb = exec ? (struct sk_buff *)exec->skb : NULL;
    struct ct_extra x = ct_extra(CT_NO_VERDICT, NT_NO_CTINFO, CT_NO_STATE);
    x.ovs_state = state;
    return ct_emit(ctx, CT_OVS_UPDATE, skb, ct, x);
}
NT_FUNCTION_PROGRAMS(__ovs_ct_update_key, nt_ct_ou_fe, nt_ct_ou_kp, ovs_update, void *, key, __u8,
                     state, const void *, zone, struct nf_conn___nt *, ct)
