/* SPDX-License-Identifier: GPL-2.0 */
/* trace-ip-defrag: IPv4 reassembly per datagram (source, destination, IP id, protocol, defrag
 * user): fragments received, datagrams reassembled, reassemblies that timed out, fragments dropped
 * with the reason. Every fragment is counted once, where the kernel takes it: one ip_defrag()
 * call (the upstream counted ip_defrag and ip_frag_queue, twice). Its return code says what
 * became of it: 0 reassembled the datagram, -EINPROGRESS queued it, anything else dropped it (the
 * drop reason comes from skb:kfree_skb inside the call, on kernels that have reasons). A timeout
 * is ip_expire() on a queue that is not complete (the upstream counted inet_frag_destroy(), which
 * also runs after every successful reassembly). */
#include "netdev.bpf.h"
#include "buffer.bpf.h"
#include "stack.bpf.h"
#include "counters.bpf.h"
#include "kfree_skb.bpf.h"
#include "call_frames.bpf.h"
#include "function.bpf.h"

#define NT_EINPROGRESS 115
/* inet_frag_queue.flags (include/net/inet_frag.h; macros, not in BTF; unchanged since 4.x) */
#define NT_INET_FRAG_COMPLETE 4
#define NT_IP_MF 0x2000
#define NT_IP_OFFSET 0x1fff

const volatile __u8 cfg_lines = 1; /* 0: --summary */
const volatile __u8 cfg_stack = 0; /* -v: stacks of drops and timeouts */

enum defrag_counter {
    DF_FRAGMENTS,         /* ip_defrag calls that passed the filters */
    DF_QUEUED,            /* ... that returned -EINPROGRESS */
    DF_REASSEMBLED,       /* ... that returned 0: a datagram is whole */
    DF_DROPPED,           /* ... that returned another error: the fragment was freed */
    DF_TIMEOUTS,          /* ip_expire on an incomplete queue */
    DF_UNMATCHED_RETURNS, /* ip_defrag returns whose entry was not seen */
    DF_TOO_DEEP,          /* nested calls past NT_CALL_DEPTH */
    DF_UNTRACKED,         /* datagrams the table had no room for */
    DF_COUNTERS,
};
NT_COUNTERS(defrag_counter, DF_COUNTERS);

enum defrag_line { DF_LINE_FRAGMENT = 1, DF_LINE_TIMEOUT = 2 };
enum defrag_outcome { DF_OUT_QUEUED = 1, DF_OUT_REASSEMBLED = 2, DF_OUT_DROPPED = 3 };

/* One reassembly queue: the kernel's own key (frag_v4_compare_key without vif). */
struct dgram_key {
    __u8 saddr[4];
    __u8 daddr[4];
    __u32 user; /* enum ip_defrag_users: LOCAL_DELIVER, CONNTRACK_IN + zone, ... */
    __u16 id;   /* host order */
    __u8 protocol;
    __u8 _pad;
};

struct dgram_val {
    __u64 fragments;
    __u64 bytes; /* skb->len of the fragments (IP header included) */
    __u64 reassembled;
    __u64 timeouts;
    __u64 dropped;
    __u64 first_ns;
    __u64 last_ns;
    __u32 last_reason; /* drop reason of the last dropped fragment (0: none / not reported) */
    __s32 last_errno;  /* ip_defrag's error for it */
};

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 10240);
    __type(key, struct dgram_key);
    __type(value, struct dgram_val);
} datagrams SEC(".maps");

struct defrag_event {
    __u64 ts_ns;
    struct dgram_key key;
    __u8 line;    /* enum defrag_line */
    __u8 outcome; /* enum defrag_outcome (fragments) */
    __u8 more;    /* MF flag */
    __u8 _pad;
    __u16 offset; /* fragment offset, bytes */
    __u16 len;    /* IP total length of the fragment */
    __s32 error;  /* ip_defrag's return code */
    __u32 reason; /* drop reason (dropped fragments, kernels with reasons) */
    __u32 ifindex;
    __u32 netns;
    __s32 stack_id;
    __u32 pid;
    char ifname[NT_IFNAMSIZ];
    char comm[NT_TASK_COMM_LEN];
};
NT_EXPORT_TYPE(struct defrag_event, defrag_event);

/* What one ip_defrag call carries from its entry to its return. */
struct defrag_frame {
    __u64 skb;
    __u32 wanted; /* passed the filters */
    __u32 reason; /* set by skb:kfree_skb when this skb is freed inside the call */
    struct defrag_event ev;
};
NT_CALL_FRAMES(defrag_frames, struct defrag_frame)

static __always_inline bool key_match(const struct dgram_key *k) {
    struct nt_flow f = {.family = NT_AF_INET, .protocol = k->protocol};
    __builtin_memcpy(f.saddr, k->saddr, 4);
    __builtin_memcpy(f.daddr, k->daddr, 4);
    return nt_flow_match(&f);
}

static __always_inline struct dgram_val *dgram(const struct dgram_key *k, __u64 now) {
    struct dgram_val *v = bpf_map_lookup_elem(&datagrams, k);
    if (v)
        return v;
    struct dgram_val init = {.first_ns = now};
    bpf_map_update_elem(&datagrams, k, &init, BPF_NOEXIST);
    v = bpf_map_lookup_elem(&datagrams, k);
    if (!v)
        nt_count(DF_UNTRACKED, 1);
    return v;
}

static __always_inline void emit(void *ctx, const struct defrag_event *src, bool stack) {
    struct defrag_event *e = nt_event_reserve(sizeof(*e));
    if (!e)
        return;
    __builtin_memcpy(e, src, sizeof(*e));
    e->stack_id = stack && cfg_stack ? nt_kernel_stack(ctx) : -1;
    nt_event_submit(ctx, e);
}

/* ip_defrag(net, skb, user): the skb is one IPv4 fragment, its network header set. */
static __always_inline int on_defrag_entry(void *ctx, struct net *net, struct sk_buff *skb,
                                           __u32 user) {
    struct defrag_frame *f = defrag_frames_push();
    if (!f)
        return 0;
    f->skb = (__u64)skb;
    struct iphdr ip;
    unsigned char *head = BPF_CORE_READ(skb, head);
    if (bpf_probe_read_kernel(&ip, sizeof(ip), head + BPF_CORE_READ(skb, network_header)))
        return 0;
    struct defrag_event *e = &f->ev;
    __builtin_memcpy(e->key.saddr, &ip.saddr, 4);
    __builtin_memcpy(e->key.daddr, &ip.daddr, 4);
    e->key.id = bpf_ntohs(ip.id);
    e->key.protocol = ip.protocol;
    e->key.user = user;
    struct net_device *dev = BPF_CORE_READ(skb, dev);
    if (!key_match(&e->key) || (dev ? !nt_dev_match(dev) : (cfg_ifindex || cfg_netns_ino)))
        return 0;
    __u16 frag = bpf_ntohs(ip.frag_off);
    e->line = DF_LINE_FRAGMENT;
    e->more = !!(frag & NT_IP_MF);
    e->offset = (frag & NT_IP_OFFSET) * 8;
    e->len = bpf_ntohs(ip.tot_len);
    if (dev) {
        e->ifindex = BPF_CORE_READ(dev, ifindex);
        e->netns = nt_dev_netns(dev);
        nt_dev_name(dev, e->ifname);
    }
    e->pid = nt_tgid();
    bpf_get_current_comm(e->comm, sizeof(e->comm));
    f->wanted = 1;
    return 0;
}

static __always_inline int on_defrag_return(void *ctx, int rc) {
    struct defrag_frame f;
    int r = defrag_frames_pop(&f);
    if (r) {
        nt_count(r == -1 ? DF_UNMATCHED_RETURNS : DF_TOO_DEEP, 1);
        return 0;
    }
    if (!f.wanted)
        return 0;
    __u64 now = bpf_ktime_get_ns();
    nt_count(DF_FRAGMENTS, 1);
    f.ev.ts_ns = now;
    f.ev.error = rc;
    struct dgram_val *v = dgram(&f.ev.key, now);
    if (v) {
        __sync_fetch_and_add(&v->fragments, 1);
        __sync_fetch_and_add(&v->bytes, f.ev.len);
        v->last_ns = now;
    }
    if (rc == 0) {
        f.ev.outcome = DF_OUT_REASSEMBLED;
        nt_count(DF_REASSEMBLED, 1);
        if (v)
            __sync_fetch_and_add(&v->reassembled, 1);
    } else if (rc == -NT_EINPROGRESS) {
        f.ev.outcome = DF_OUT_QUEUED;
        nt_count(DF_QUEUED, 1);
    } else {
        f.ev.outcome = DF_OUT_DROPPED;
        f.ev.reason = f.reason;
        nt_count(DF_DROPPED, 1);
        if (v) {
            __sync_fetch_and_add(&v->dropped, 1);
            v->last_reason = f.reason;
            v->last_errno = -rc;
        }
    }
    if (cfg_lines)
        emit(ctx, &f.ev, f.ev.outcome == DF_OUT_DROPPED);
    return 0;
}

/* ip_defrag(net, skb, user): entry and return, paired through defrag_frames. */
NT_FUNCTION_PROGRAMS(ip_defrag, nt_df_entry_fe, nt_df_entry_kp, on_defrag_entry, struct net *, net,
                     struct sk_buff *, skb, __u32, user)
NT_FUNCTION_EXIT_PROGRAMS(ip_defrag, nt_df_ret_fx, nt_df_ret_kr, on_defrag_return, 3, int)

/* A fragment freed inside ip_defrag is a dropped one: keep the kernel's reason for the return. */
static __always_inline int on_free(void *ctx, struct sk_buff *skb, __u64 location, __u32 reason) {
    struct defrag_frame *f = defrag_frames_top();
    if (f && f->skb == (__u64)skb)
        f->reason = reason;
    return 0;
}
NT_KFREE_SKB_PROGRAMS(nt_df_free_btf, nt_df_free_tp, on_free)

/* ip_expire(timer): the reassembly timer of a queue fired. It gives up unless the queue completed
 * meanwhile or its namespace is going away (the kernel's own checks, read here before it takes
 * the queue's lock: a queue completing at that very instant could still be counted). */
static __always_inline int on_expire(void *ctx, struct timer_list *t) {
    struct inet_frag_queue *q = nt_container_of(t, struct inet_frag_queue, timer);
    struct ipq *qp = nt_container_of(q, struct ipq, q);
    if (BPF_CORE_READ(q, flags) & NT_INET_FRAG_COMPLETE)
        return 0;
    struct fqdir *dir = BPF_CORE_READ(q, fqdir);
    if (!dir || BPF_CORE_READ(dir, dead))
        return 0;
    struct defrag_event e = {.line = DF_LINE_TIMEOUT};
    struct frag_v4_compare_key k;
    if (BPF_CORE_READ_INTO(&k, q, key.v4))
        return 0;
    __builtin_memcpy(e.key.saddr, &k.saddr, 4);
    __builtin_memcpy(e.key.daddr, &k.daddr, 4);
    e.key.id = bpf_ntohs(k.id);
    e.key.protocol = k.protocol;
    e.key.user = k.user;
    e.ifindex = BPF_CORE_READ(qp, iif);
    e.netns = BPF_CORE_READ(dir, net, ns.inum);
    if (!key_match(&e.key) || (cfg_ifindex && e.ifindex != cfg_ifindex) ||
        (cfg_netns_ino && e.netns != cfg_netns_ino))
        return 0;
    e.ts_ns = bpf_ktime_get_ns();
    e.len = BPF_CORE_READ(q, meat); /* bytes received before it gave up */
    nt_count(DF_TIMEOUTS, 1);
    struct dgram_val *v = dgram(&e.key, e.ts_ns);
    if (v) {
        __sync_fetch_and_add(&v->timeouts, 1);
        v->last_ns = e.ts_ns;
    }
    if (cfg_lines) {
        e.pid = nt_tgid();
        bpf_get_current_comm(e.comm, sizeof(e.comm));
        emit(ctx, &e, true);
    }
    return 0;
}

NT_FUNCTION_PROGRAMS(ip_expire, nt_df_expire_fe, nt_df_expire_kp, on_expire, struct timer_list *, t)
