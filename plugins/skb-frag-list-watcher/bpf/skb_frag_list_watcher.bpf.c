/* SPDX-License-Identifier: GPL-2.0 */
/* skb-frag-list-watcher: where skbs get a frag_list, where it changes and where it is cleared, and
 * where a GSO skb has nothing to segment. Entry/return pairs (fentry/fexit, else kprobe/kretprobe)
 * compare an skb's shared info before and after each function:
 *   skb_gro_receive_list(p, skb)  GRO appends skb to p's frag_list (CREATE on the first one)
 *   skb_segment_list(skb, ...)    fraglist GSO: the list becomes segments (CLEAR)
 *   pskb_expand_head(skb, ...)    new head: the frag_list is re-referenced or dropped
 *   __pskb_pull_tail(skb, delta)  what __skb_linearize (inline) runs: pulls the list into the head
 *   __skb_gso_segment, skb_udp_tunnel_segment, inet_gso_segment, tcp_gso_segment   the GSO chain
 *   skb_segment(head_skb, ...)    entry only: segmenting a GSO skb without a frag_list (ACCESS),
 *                                 or with nothing to segment at all (INCONSISTENT)
 * Kernels without kprobes and fentry get the tracepoint rungs: skbs seen with a frag_list after
 * GRO (net:netif_receive_skb) or at transmit (net:net_dev_start_xmit). The upstream probes on
 * napi_gro_receive, ip_forward and validate_xmit_skb are not taken over: the first reads its napi
 * argument as the skb, and all three may free the skb before they return. Filters run here. */
#include "netdev.bpf.h"
#include "gso.bpf.h"
#include "buffer.bpf.h"
#include "counters.bpf.h"
#include "stack.bpf.h"
#include "call_frames.bpf.h"
#include "function.bpf.h"
#include "kind_counts.bpf.h"

enum fl_func {
    FL_GRO_RECEIVE_LIST,
    FL_SEGMENT_LIST,
    FL_EXPAND_HEAD,
    FL_PULL_TAIL,
    FL_GSO_SEGMENT,
    FL_UDP_TUNNEL_SEGMENT,
    FL_INET_GSO_SEGMENT,
    FL_TCP_GSO_SEGMENT,
    FL_SKB_SEGMENT,
    FL_RECEIVE, /* tracepoint rung: net:netif_receive_skb */
    FL_XMIT,    /* tracepoint rung: net:net_dev_start_xmit */
    FL_FUNCS,
};
NT_EXPORT_TYPE(enum fl_func, fl_func);

enum fl_kind {
    FL_CREATE,       /* frag_list NULL -> set */
    FL_CLEAR,        /* set -> NULL */
    FL_MODIFY,       /* set -> another list */
    FL_ACCESS,       /* skb_segment() on a GSO skb without a frag_list */
    FL_INCONSISTENT, /* gso_size set, but no frag_list, no frags and no paged data */
    FL_SEEN,         /* an skb carrying a frag_list (tracepoint rungs) */
    FL_KINDS,
};
NT_EXPORT_TYPE(enum fl_kind, fl_kind);

/* Bookkeeping of the entry/return pairing. */
enum fl_counter {
    FL_UNMATCHED_RETURNS, /* a return without its entry's frame (attached mid-call) */
    FL_TOO_DEEP,          /* nested calls past NT_CALL_DEPTH */
    FL_COUNTERS,
};
NT_COUNTERS(fl_counter, FL_COUNTERS);

/* Events reported, per point (enum fl_func) and kind. */
NT_KIND_COUNTS(per_func, FL_FUNCS, FL_KINDS)

const volatile __u8 cfg_gso_only = 0;       /* only skbs with gso_size set (at entry) */
const volatile __u8 cfg_exclude_access = 0; /* no ACCESS events */
const volatile __u8 cfg_stack = 0;

struct fl_event {
    __u64 ts_ns;
    const void *skb;
    const void *frag_before;
    const void *frag_after;
    __u32 pid;
    __u32 cpu;
    __u32 len;
    __u32 data_len;
    __u32 ifindex;
    __u32 netns;
    __u32 gso_type_before;
    __u32 gso_type_after;
    __u16 gso_size_before;
    __u16 gso_size_after;
    __u16 gso_segs_before;
    __u16 gso_segs_after;
    __s32 stack_id;
    __u8 func;
    __u8 kind;
    __u8 nr_frags;
    __u8 _pad;
    char comm[NT_TASK_COMM_LEN];
    char ifname[NT_IFNAMSIZ];
    struct nt_flow flow;
};
NT_EXPORT_TYPE(struct fl_event, fl_event);

/* What an entry hands to its return: the function, the skb, whether it passed the filters and its
 * GSO state before the call. Every entry pushes one (also a filtered-out skb's), so that every
 * return pops its own. */
struct fl_frame {
    __u64 skb;
    __u64 gso[3];
    __u32 func;
    __u32 wanted;
};
NT_CALL_FRAMES(fl_frames, struct fl_frame)

static __always_inline bool fl_match(struct sk_buff *skb, const struct nt_gso *g) {
    return (!cfg_gso_only || g->gso_size) && nt_skb_match(skb);
}

static __always_inline int fl_emit(void *ctx, __u8 func, __u8 kind, struct sk_buff *skb,
                                   const struct nt_gso *before, const struct nt_gso *after) {
    if (kind == FL_ACCESS && cfg_exclude_access)
        return 0;
    per_func_add(func, kind);
    struct fl_event *e = nt_event_reserve(sizeof(*e));
    if (!e)
        return 0;
    __builtin_memset(e, 0, sizeof(*e));
    e->ts_ns = bpf_ktime_get_ns();
    e->skb = skb;
    e->frag_before = before->frag_list;
    e->frag_after = after->frag_list;
    e->gso_type_before = before->gso_type;
    e->gso_type_after = after->gso_type;
    e->gso_size_before = before->gso_size;
    e->gso_size_after = after->gso_size;
    e->gso_segs_before = before->gso_segs;
    e->gso_segs_after = after->gso_segs;
    e->nr_frags = after->nr_frags;
    e->data_len = after->data_len;
    e->len = BPF_CORE_READ(skb, len);
    e->func = func;
    e->kind = kind;
    e->pid = nt_tgid();
    e->cpu = bpf_get_smp_processor_id();
    e->stack_id = cfg_stack ? nt_kernel_stack(ctx) : -1;
    bpf_get_current_comm(e->comm, sizeof(e->comm));
    nt_skb_dev_fields(skb, &e->ifindex, &e->netns, e->ifname);
    nt_parse_skb(skb, &e->flow);
    nt_event_submit(ctx, e);
    return 0;
}

/* Entry of a watched function: the skb and its state, for the return. */
static __always_inline int fl_entry(__u32 func, struct sk_buff *skb) {
    struct fl_frame *f = fl_frames_push();
    if (!f)
        return 0;
    f->func = func;
    f->skb = (__u64)skb;
    struct nt_gso g = {};
    nt_skb_gso(skb, &g);
    if (!fl_match(skb, &g))
        return 0;
    nt_gso_save(&g, f->gso);
    f->wanted = 1;
    return 0;
}

/* Return: what changed. An skb that ends up with nothing to segment is reported as such first. */
static __always_inline int fl_return(void *ctx, __u32 func) {
    struct fl_frame f;
    int r = fl_frames_pop(&f);
    if (r || f.func != func) {
        nt_count(r == -2 ? FL_TOO_DEEP : FL_UNMATCHED_RETURNS, 1);
        return 0;
    }
    if (!f.wanted)
        return 0;
    struct sk_buff *skb = (struct sk_buff *)f.skb;
    struct nt_gso before = {}, after = {};
    nt_gso_load(f.gso, &before);
    nt_skb_gso(skb, &after);
    __u8 kind = nt_gso_inconsistent(&after)           ? FL_INCONSISTENT
                : after.frag_list == before.frag_list ? FL_KINDS
                : !before.frag_list                   ? FL_CREATE
                : !after.frag_list                    ? FL_CLEAR
                                                      : FL_MODIFY;
    if (kind == FL_KINDS)
        return 0;
    return fl_emit(ctx, func, kind, skb, &before, &after);
}

/* skb_segment's entry, and the tracepoint rungs (SEEN: an skb with a frag_list). */
static __always_inline int fl_segment(void *ctx, __u32 func, struct sk_buff *skb) {
    struct nt_gso g = {};
    nt_skb_gso(skb, &g);
    if (!fl_match(skb, &g))
        return 0;
    if (nt_gso_inconsistent(&g))
        return fl_emit(ctx, func, FL_INCONSISTENT, skb, &g, &g);
    if (func == FL_SKB_SEGMENT)
        return g.gso_size && !g.frag_list ? fl_emit(ctx, func, FL_ACCESS, skb, &g, &g) : 0;
    return g.frag_list ? fl_emit(ctx, func, FL_SEEN, skb, &g, &g) : 0;
}

/* The four programs of fn(struct sk_buff *skb, ...): entry (fentry, kprobe) and return (fexit,
 * kretprobe; the return value is not needed, so the fexit reads no arguments). */
#define FL_PAIR(fn, id, tag)                                                                       \
    static __always_inline int fl_##tag##_entry(void *ctx, struct sk_buff *skb) {                  \
        return fl_entry(id, skb);                                                                  \
    }                                                                                              \
    static __always_inline int fl_##tag##_return(void *ctx) {                                      \
        return fl_return(ctx, id);                                                                 \
    }                                                                                              \
    NT_FUNCTION_PROGRAMS(fn, nt_fl_##tag##_fe, nt_fl_##tag##_kp, fl_##tag##_entry,                 \
                         struct sk_buff *, skb)                                                    \
    NT_FUNCTION_EXIT_VOID_PROGRAMS(fn, nt_fl_##tag##_fx, nt_fl_##tag##_kr, fl_##tag##_return)

FL_PAIR(skb_gro_receive_list, FL_GRO_RECEIVE_LIST, grl)
FL_PAIR(skb_segment_list, FL_SEGMENT_LIST, sgl)
FL_PAIR(pskb_expand_head, FL_EXPAND_HEAD, peh)
FL_PAIR(__pskb_pull_tail, FL_PULL_TAIL, ppt)
FL_PAIR(__skb_gso_segment, FL_GSO_SEGMENT, gso)
FL_PAIR(skb_udp_tunnel_segment, FL_UDP_TUNNEL_SEGMENT, ust)
FL_PAIR(inet_gso_segment, FL_INET_GSO_SEGMENT, igs)
FL_PAIR(tcp_gso_segment, FL_TCP_GSO_SEGMENT, tgs)

static __always_inline int on_skb_segment(void *ctx, struct sk_buff *skb) {
    return fl_segment(ctx, FL_SKB_SEGMENT, skb);
}
NT_FUNCTION_PROGRAMS(skb_segment, nt_fl_seg_fe, nt_fl_seg_kp, on_skb_segment, struct sk_buff *, skb)

/* Tracepoint rungs: after GRO, and at transmit. */
static __always_inline int on_receive(void *ctx, struct sk_buff *skb) {
    return fl_segment(ctx, FL_RECEIVE, skb);
}

static __always_inline int on_xmit(void *ctx, struct sk_buff *skb, const struct net_device *dev) {
    return fl_segment(ctx, FL_XMIT, skb);
}

NT_SKB_EVENT_PROGRAMS(netif_receive_skb, nt_fl_rx_btf, nt_fl_rx_tp, on_receive)
NT_START_XMIT_PROGRAMS(nt_fl_tx_btf, nt_fl_tx_tp, on_xmit)
