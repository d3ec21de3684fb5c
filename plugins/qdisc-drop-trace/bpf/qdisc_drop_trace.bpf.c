/* SPDX-License-Identifier: GPL-2.0 */
/* qdisc-drop-trace: packets qdiscs refuse, per interface and qdisc (the tx queue's qdisc:
 * handle and kind), with bytes, plus the packets offered to each qdisc; optional per-packet lines
 * with the flow and, for drops, the kernel stack.
 *
 * Where drops come from, best first (the hook "qdisc drops" in src/index.ts lists them in order):
 *  - skb:kfree_skb with a qdisc drop reason (QDISC_DROP, 5.19+; the per-qdisc reasons of newer
 *    kernels): every packet a qdisc frees, at enqueue or later;
 *  - the return code of dev_qdisc_enqueue (fexit): NET_XMIT_DROP = the qdisc refused this packet;
 *  - the return code of __dev_queue_xmit (fexit, else kretprobe, as the BCC original did), with
 *    the packet described at net:net_dev_queue inside the same call (call_frames.bpf.h).
 * net:net_dev_queue also counts the packets offered to each qdisc (and their lines). */
#include "netdev.bpf.h"
#include "buffer.bpf.h"
#include "stack.bpf.h"
#include "counters.bpf.h"
#include "kfree_skb.bpf.h"
#include "call_frames.bpf.h"
#include "qdisc.bpf.h"
#include "function.bpf.h"

#define NET_XMIT_DROP 1
#define NET_XMIT_CN 2

/* Per-packet lines: 0 none (--summary), 1 drops (--drops-only), 2 every packet offered too. */
const volatile __u8 cfg_lines = 2;
const volatile __u8 cfg_stack = 0;

enum qdt_counter {
    QDT_REASON_DROPS,      /* counted from skb:kfree_skb drop reasons */
    QDT_ENQUEUE_RC_DROPS,  /* from dev_qdisc_enqueue's return code */
    QDT_XMIT_RC_DROPS,     /* from __dev_queue_xmit's return code */
    QDT_CN_RETURNS,        /* NET_XMIT_CN returns (return-code paths): another packet paid */
    QDT_UNMATCHED_RETURNS, /* __dev_queue_xmit returns whose entry was not seen */
    QDT_TOO_DEEP,          /* calls nested deeper than NT_CALL_DEPTH: not described */
    QDT_UNTRACKED,         /* packets of a qdisc the stats table had no room for */
    QDT_COUNTERS,
};
NT_COUNTERS(qdt_counter, QDT_COUNTERS);

enum qdt_line { QDT_LINE_QUEUE = 1, QDT_LINE_DROP = 2 };
enum qdt_source { QDT_SRC_REASON = 1, QDT_SRC_ENQUEUE_RC = 2, QDT_SRC_XMIT_RC = 3 };

/* A packet at its qdisc: which device and qdisc, how long, which flow. */
struct pkt {
    __u32 netns;
    __u32 ifindex;
    __u32 len;
    __u32 _pad;
    struct nt_qdisc_id qdisc;
    char ifname[NT_IFNAMSIZ];
    struct nt_flow flow;
};

struct qdisc_key {
    __u32 netns;
    __u32 ifindex;
    __u32 handle;
    __u32 _pad;
};

struct qdisc_val {
    __u64 offered; /* packets handed to the qdisc (net:net_dev_queue) */
    __u64 offered_bytes;
    __u64 drops;
    __u64 drop_bytes;
    __u64 cn_returns;
    __u32 parent;
    __u32 _pad;
    char ifname[NT_IFNAMSIZ];
    char kind[NT_QDISC_KIND_LEN];
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, struct qdisc_key);
    __type(value, struct qdisc_val);
} qdiscs SEC(".maps");

struct qdisc_event {
    __u64 ts_ns;
    __u8 line;   /* enum qdt_line */
    __u8 source; /* enum qdt_source (drops) */
    __u16 _pad;
    __u32 code;     /* drop reason (QDT_SRC_REASON) or the NET_XMIT_* return code */
    __s32 stack_id; /* drops with --verbose; else -1 */
    __u32 pid;
    char comm[NT_TASK_COMM_LEN];
    struct pkt pkt;
};
NT_EXPORT_TYPE(struct qdisc_event, qdisc_event);

/* The record one __dev_queue_xmit call carries from its entry to its return. */
struct xmit_frame {
    __u64 skb;
    __u32 described; /* net_dev_queue saw this skb go to a qdisc that passed the filters */
    __u32 _pad;
    struct pkt pkt;
};
NT_CALL_FRAMES(xmit_frames, struct xmit_frame)

static __always_inline bool describe(struct sk_buff *skb, struct pkt *p) {
    struct net_device *dev = BPF_CORE_READ(skb, dev);
    if (!dev || !nt_dev_match(dev))
        return false;
    struct Qdisc *q = nt_skb_qdisc(skb, dev);
    if (!q)
        return false;
    nt_parse_skb(skb, &p->flow);
    if (!nt_flow_match(&p->flow))
        return false;
    p->netns = nt_dev_netns(dev);
    p->ifindex = BPF_CORE_READ(dev, ifindex);
    p->len = BPF_CORE_READ(skb, len);
    nt_qdisc_identify(q, &p->qdisc);
    nt_dev_name(dev, p->ifname);
    return true;
}

static __always_inline struct qdisc_val *stats_of(const struct pkt *p) {
    struct qdisc_key key = {.netns = p->netns, .ifindex = p->ifindex, .handle = p->qdisc.handle};
    struct qdisc_val *v = bpf_map_lookup_elem(&qdiscs, &key);
    if (v)
        return v;
    struct qdisc_val init = {.parent = p->qdisc.parent};
    __builtin_memcpy(init.ifname, p->ifname, sizeof(init.ifname));
    __builtin_memcpy(init.kind, p->qdisc.kind, sizeof(init.kind));
    bpf_map_update_elem(&qdiscs, &key, &init, BPF_NOEXIST);
    v = bpf_map_lookup_elem(&qdiscs, &key);
    if (!v)
        nt_count(QDT_UNTRACKED, 1);
    return v;
}

static __always_inline void line(void *ctx, const struct pkt *p, __u8 kind, __u8 source,
                                 __u32 code) {
    struct qdisc_event *e = nt_event_reserve(sizeof(*e));
    if (!e)
        return;
    e->ts_ns = bpf_ktime_get_ns();
    e->line = kind;
    e->source = source;
    e->_pad = 0;
    e->code = code;
    e->stack_id = kind == QDT_LINE_DROP && cfg_stack ? nt_kernel_stack(ctx) : -1;
    e->pid = nt_tgid();
    bpf_get_current_comm(e->comm, sizeof(e->comm));
    __builtin_memcpy(&e->pkt, p, sizeof(*p));
    nt_event_submit(ctx, e);
}

static __always_inline void dropped(void *ctx, const struct pkt *p, __u8 source, __u32 code) {
    struct qdisc_val *v = stats_of(p);
    if (v) {
        __sync_fetch_and_add(&v->drops, 1);
        __sync_fetch_and_add(&v->drop_bytes, p->len);
    }
    nt_count(source == QDT_SRC_REASON       ? QDT_REASON_DROPS
             : source == QDT_SRC_ENQUEUE_RC ? QDT_ENQUEUE_RC_DROPS
                                            : QDT_XMIT_RC_DROPS,
             1);
    if (cfg_lines)
        line(ctx, p, QDT_LINE_DROP, source, code);
}

static __always_inline void congestion(const struct pkt *p) {
    struct qdisc_val *v = stats_of(p);
    if (v)
        __sync_fetch_and_add(&v->cn_returns, 1);
    nt_count(QDT_CN_RETURNS, 1);
}

/* net:net_dev_queue: __dev_queue_xmit has picked the tx queue and is about to enqueue. */
static __always_inline int on_queue(void *ctx, struct sk_buff *skb) {
    struct pkt p = {};
    if (!describe(skb, &p))
        return 0;
    struct qdisc_val *v = stats_of(&p);
    if (v) {
        __sync_fetch_and_add(&v->offered, 1);
        __sync_fetch_and_add(&v->offered_bytes, p.len);
    }
    struct xmit_frame *f = xmit_frames_top();
    if (f && f->skb == (__u64)skb && !f->described) {
        __builtin_memcpy(&f->pkt, &p, sizeof(p));
        f->described = 1;
    }
    if (cfg_lines == 2)
        line(ctx, &p, QDT_LINE_QUEUE, 0, 0);
    return 0;
}
NT_SKB_EVENT_PROGRAMS(net_dev_queue, nt_qdt_ndq_btf, nt_qdt_ndq_tp, on_queue)

/* Drop reasons of qdiscs. QDISC_DROP exists from 5.19; newer kernels name the qdisc's own cause.
 * Each is resolved against the running kernel's enum at load (absent ones never match). */
enum skb_drop_reason___qdt {
    SKB_DROP_REASON_QDISC_DROP___qdt = 1,
    SKB_DROP_REASON_QDISC_OVERLIMIT___qdt,
    SKB_DROP_REASON_QDISC_CONGESTED___qdt,
    SKB_DROP_REASON_CAKE_FLOOD___qdt,
    SKB_DROP_REASON_FQ_BAND_LIMIT___qdt,
    SKB_DROP_REASON_FQ_HORIZON_LIMIT___qdt,
    SKB_DROP_REASON_FQ_FLOW_LIMIT___qdt,
};
#define QDT_IS(r, name)                                                                            \
    (bpf_core_enum_value_exists(enum skb_drop_reason___qdt, SKB_DROP_REASON_##name##___qdt) &&     \
     (r) == bpf_core_enum_value(enum skb_drop_reason___qdt, SKB_DROP_REASON_##name##___qdt))

static __always_inline bool qdisc_reason(__u32 r) {
    return QDT_IS(r, QDISC_DROP) || QDT_IS(r, QDISC_OVERLIMIT) || QDT_IS(r, QDISC_CONGESTED) ||
           QDT_IS(r, CAKE_FLOOD) || QDT_IS(r, FQ_BAND_LIMIT) || QDT_IS(r, FQ_HORIZON_LIMIT) ||
           QDT_IS(r, FQ_FLOW_LIMIT);
}

static __always_inline int on_free(void *ctx, struct sk_buff *skb, __u64 location, __u32 reason) {
    if (!reason || !qdisc_reason(reason))
        return 0;
    struct pkt p = {};
    if (describe(skb, &p))
        dropped(ctx, &p, QDT_SRC_REASON, reason);
    return 0;
}
NT_KFREE_SKB_PROGRAMS(nt_qdt_btf, nt_qdt_tp, on_free)

/* dev_qdisc_enqueue(skb, q, to_free, txq) returns the qdisc's verdict on this skb; a refused skb
 * waits on to_free until __dev_xmit_skb frees it, so it is still readable here. */
SEC("fexit/dev_qdisc_enqueue")
int BPF_PROG(nt_qdt_enq_fx, struct sk_buff *skb, struct Qdisc *q, struct sk_buff **to_free,
             struct netdev_queue *txq, int rc) {
    if (rc != NET_XMIT_DROP && rc != NET_XMIT_CN)
        return 0;
    struct pkt p = {};
    if (!describe(skb, &p))
        return 0;
    if (rc == NET_XMIT_DROP)
        dropped(ctx, &p, QDT_SRC_ENQUEUE_RC, rc);
    else
        congestion(&p);
    return 0;
}

/* __dev_queue_xmit: entry pushes a frame, net_dev_queue describes the packet in it, the return
 * code decides. The skb may be gone at return, hence the frame. */
static __always_inline int on_xmit_entry(void *ctx, struct sk_buff *skb) {
    struct xmit_frame *f = xmit_frames_push();
    if (f)
        f->skb = (__u64)skb;
    return 0;
}

static __always_inline int on_xmit_return(void *ctx, int rc) {
    struct xmit_frame f;
    int r = xmit_frames_pop(&f);
    if (r) {
        nt_count(r == -1 ? QDT_UNMATCHED_RETURNS : QDT_TOO_DEEP, 1);
        return 0;
    }
    if (!f.described)
        return 0; /* no queueing qdisc, filtered out, or refused before it (tc egress) */
    if (rc == NET_XMIT_DROP)
        dropped(ctx, &f.pkt, QDT_SRC_XMIT_RC, rc);
    else if (rc == NET_XMIT_CN)
        congestion(&f.pkt);
    return 0;
}

NT_FUNCTION_PROGRAMS(__dev_queue_xmit, nt_qdt_xmit_fe, nt_qdt_xmit_kp, on_xmit_entry,
                     struct sk_buff *, skb)
NT_FUNCTION_EXIT_PROGRAMS(__dev_queue_xmit, nt_qdt_xmit_fx, nt_qdt_xmit_kr, on_xmit_return, 2, int)
