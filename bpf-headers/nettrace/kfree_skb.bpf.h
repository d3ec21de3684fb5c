/* SPDX-License-Identifier: GPL-2.0 */
/* skb:kfree_skb, the one hook of every drop tool: one handler, two thin programs (tp_btf where
 * the kernel allows it, else the classic tracepoint). The drop reason exists from 5.17 on; on
 * older kernels it reads as 0 (SKB_NOT_DROPPED_YET: "not reported"). Both reads are guarded, so
 * the same object loads on kernels with and without it (the upstream read it unguarded).
 *
 *   static __always_inline int on_drop(void *ctx, struct sk_buff *skb, __u64 location, __u32
 * reason); NT_KFREE_SKB_PROGRAMS(nt_x_btf, nt_x_tp, on_drop)
 *
 * declares SEC("tp_btf/kfree_skb") nt_x_btf and SEC("tracepoint/skb/kfree_skb") nt_x_tp, which
 * tracepointHook('kfree_skb', 'skb/kfree_skb') finds on the TypeScript side. No kprobe: kfree_skb
 * is an inline wrapper since 5.17.
 *
 * NT_KFREE_SKB_SOCK_PROGRAMS(nt_x_btf, nt_x_tp, on_drop) is the same with a fifth argument, the
 * receiving socket a protocol dropped the packet for (`rx_sk`, 6.11+; NULL on older kernels and
 * for drops before a socket was found), for tools that attribute drops to connections.
 */
#pragma once
#include "common.bpf.h"

/* Local flavours (libbpf matches them to the kernel's types by the name before "___"), so this
 * compiles against any vmlinux.h, including one older than the drop reasons. */
enum skb_drop_reason___nt {
    SKB_CONSUMED___nt = 1,
};
struct trace_event_raw_kfree_skb___nt {
    void *skbaddr;
    void *location;
    enum skb_drop_reason___nt reason;
    void *rx_sk;
} __attribute__((preserve_access_index));

/* Reason from the classic tracepoint record (field added in 5.17). */
static __always_inline __u32 nt_kfree_skb_tp_reason(void *args) {
    struct trace_event_raw_kfree_skb___nt *a = args;
    if (bpf_core_field_exists(a->reason))
        return BPF_CORE_READ(a, reason);
    return 0;
}

/* Reason from the tp_btf arguments (skb, location, reason, ...): the third argument exists exactly
 * when the kernel has enum skb_drop_reason; otherwise the read is dead code the verifier skips. */
static __always_inline __u32 nt_kfree_skb_btf_reason(unsigned long long *ctx) {
    if (bpf_core_type_exists(enum skb_drop_reason___nt))
        return (__u32)ctx[2];
    return 0;
}

/* Reason code of SKB_CONSUMED on this kernel, or ~0 when it has none (it appeared in 6.2, and
 * since then a free with that reason is reported by skb:consume_skb, so kfree_skb never sees it:
 * the check costs nothing and keeps "a drop is what the kernel calls a drop" true everywhere). */
static __always_inline __u32 nt_skb_consumed_reason(void) {
    if (bpf_core_enum_value_exists(enum skb_drop_reason___nt, SKB_CONSUMED___nt))
        return bpf_core_enum_value(enum skb_drop_reason___nt, SKB_CONSUMED___nt);
    return ~0U;
}

#define NT_KFREE_SKB_PROGRAMS(btf_prog, tp_prog, handler)                                          \
    SEC("tp_btf/kfree_skb")                                                                        \
    int BPF_PROG(btf_prog, struct sk_buff *skb, void *location) {                                  \
        return handler(ctx, skb, (__u64)location, nt_kfree_skb_btf_reason(ctx));                   \
    }                                                                                              \
    SEC("tracepoint/skb/kfree_skb")                                                                \
    int tp_prog(struct trace_event_raw_kfree_skb___nt *args) {                                     \
        return handler(args, (struct sk_buff *)BPF_CORE_READ(args, skbaddr),                       \
                       (__u64)BPF_CORE_READ(args, location), nt_kfree_skb_tp_reason(args));        \
    }

/* The receiving socket of the drop (tracepoint argument and record field since 6.11), else NULL. */
static __always_inline const struct sock *nt_kfree_skb_tp_rx_sk(void *args) {
    struct trace_event_raw_kfree_skb___nt *a = args;
    if (bpf_core_field_exists(a->rx_sk))
        return BPF_CORE_READ(a, rx_sk);
    return 0;
}

/* tp_btf: the fourth argument exists exactly when the record has the field. */
static __always_inline const struct sock *nt_kfree_skb_btf_rx_sk(unsigned long long *ctx) {
    if (bpf_core_field_exists(((struct trace_event_raw_kfree_skb___nt *)0)->rx_sk))
        return (const struct sock *)ctx[3];
    return 0;
}

#define NT_KFREE_SKB_SOCK_PROGRAMS(btf_prog, tp_prog, handler)                                     \
    SEC("tp_btf/kfree_skb")                                                                        \
    int BPF_PROG(btf_prog, struct sk_buff *skb, void *location) {                                  \
        return handler(ctx, skb, (__u64)location, nt_kfree_skb_btf_reason(ctx),                    \
                       nt_kfree_skb_btf_rx_sk(ctx));                                               \
    }                                                                                              \
    SEC("tracepoint/skb/kfree_skb")                                                                \
    int tp_prog(struct trace_event_raw_kfree_skb___nt *args) {                                     \
        return handler(args, (struct sk_buff *)BPF_CORE_READ(args, skbaddr),                       \
                       (__u64)BPF_CORE_READ(args, location), nt_kfree_skb_tp_reason(args),         \
                       nt_kfree_skb_tp_rx_sk(args));                                               \
    }
