/* SPDX-License-Identifier: GPL-2.0 */
/* tcp:tcp_probe for every TCP tool: one sample per call of the tracepoint (tcp_rcv_established,
 * i.e. each segment received on an established connection), as tp_btf (the socket itself) or the
 * classic tracepoint (the record's own fields; the socket pointer `skaddr` only from 6.11, used
 * when present for what the record lacks). Both yield the same struct nt_tcp_sample.
 *
 *   static __always_inline int on_probe(void *ctx, const struct nt_tcp_sample *s);
 *   NT_TCP_PROBE_PROGRAMS(nt_x_btf, nt_x_tp, on_probe)
 *
 * And tcp:tcp_retransmit_skb, one call per retransmitted skb, with the socket:
 *
 *   static __always_inline int on_rtx(void *ctx, const struct sock *sk, int err);
 *   NT_TCP_RETRANSMIT_PROGRAMS(nt_x_rtx_btf, nt_x_rtx_tp, on_rtx)
 */
#pragma once
#include "sock.bpf.h"

#define NT_UNKNOWN_U32 0xffffffffU

struct nt_tcp_sample {
    struct nt_flow flow; /* local end = source */
    __u32 srtt_us;       /* smoothed RTT */
    __u32 snd_cwnd;      /* packets */
    __u32 snd_ssthresh;  /* packets */
    __u32 unacked_bytes; /* snd_nxt - snd_una */
    /* From the socket: NT_UNKNOWN_U32 when the record does not carry it. */
    __u32 packets_out;     /* sent, not yet acknowledged */
    __u32 in_flight;       /* packets (tcp_packets_in_flight) */
    __u32 mss_cache;       /* bytes */
    __u32 total_retrans;   /* over the connection's life */
    __u32 retrans_out;     /* retransmitted, not yet acknowledged */
    __u32 lost_out;        /* marked lost */
    const struct sock *sk; /* NULL when the record does not carry it */
};

/* The record as libbpf should relocate it (flavour: compiles against any vmlinux.h). */
struct trace_event_raw_tcp_probe___nt {
    __u8 saddr[28]; /* sockaddr_in or sockaddr_in6 */
    __u8 daddr[28];
    __u16 sport;
    __u16 dport;
    __u32 snd_nxt;
    __u32 snd_una;
    __u32 snd_cwnd;
    __u32 ssthresh;
    __u32 srtt;
    const void *skaddr;
} __attribute__((preserve_access_index));

/* The socket's fields; with `all`, also those the classic record carries itself. */
static __always_inline void nt_tcp_sample_sock(const struct sock *sk, struct nt_tcp_sample *s,
                                               bool all) {
    struct nt_tcp_metrics m = {};
    nt_tcp_metrics_read(sk, &m);
    if (all) {
        s->srtt_us = m.srtt_us;
        s->snd_cwnd = m.snd_cwnd;
        s->snd_ssthresh = m.snd_ssthresh;
        s->unacked_bytes = m.unacked_bytes;
    }
    s->packets_out = m.packets_out;
    s->in_flight = m.in_flight;
    s->mss_cache = m.mss_cache;
    s->total_retrans = m.total_retrans;
    s->retrans_out = m.retrans_out;
    s->lost_out = m.lost_out;
    s->sk = sk;
}

static __always_inline int nt_tcp_sample_from_sock(const struct sock *sk, struct nt_tcp_sample *s) {
    if (nt_flow_from_sock(sk, &s->flow))
        return -1;
    nt_tcp_sample_sock(sk, s, true);
    return 0;
}

static __always_inline int nt_tcp_sample_from_record(struct trace_event_raw_tcp_probe___nt *r,
                                                     struct nt_tcp_sample *s) {
    /* The family is the sockaddr's own (sa_family, host order): the record's `family` field only
     * exists from 5.x on (not in 5.10), the sockaddr always did. */
    __u16 family = 0;
    bpf_probe_read_kernel(&family, sizeof(family), &r->saddr[0]);
    s->flow.protocol = NT_IPPROTO_TCP;
    s->flow.sport = BPF_CORE_READ(r, sport);
    s->flow.dport = BPF_CORE_READ(r, dport);
    if (family == NT_AF_INET) {
        s->flow.family = NT_AF_INET; /* sockaddr_in: family, port, address */
        bpf_probe_read_kernel(s->flow.saddr, 4, &r->saddr[4]);
        bpf_probe_read_kernel(s->flow.daddr, 4, &r->daddr[4]);
    } else if (family == NT_AF_INET6) {
        s->flow.family = NT_AF_INET6; /* sockaddr_in6: family, port, flow info, address */
        bpf_probe_read_kernel(s->flow.saddr, 16, &r->saddr[8]);
        bpf_probe_read_kernel(s->flow.daddr, 16, &r->daddr[8]);
        nt_flow_unmap_v4(&s->flow);
    } else {
        return -1;
    }
    s->srtt_us = BPF_CORE_READ(r, srtt);
    s->snd_cwnd = BPF_CORE_READ(r, snd_cwnd);
    s->snd_ssthresh = BPF_CORE_READ(r, ssthresh);
    s->unacked_bytes = BPF_CORE_READ(r, snd_nxt) - BPF_CORE_READ(r, snd_una);
    s->packets_out = s->in_flight = s->mss_cache = NT_UNKNOWN_U32;
    s->total_retrans = s->retrans_out = s->lost_out = NT_UNKNOWN_U32;
    if (bpf_core_field_exists(r->skaddr)) {
        const struct sock *sk = BPF_CORE_READ(r, skaddr);
        if (sk)
            nt_tcp_sample_sock(sk, s, false);
    }
    return 0;
}

/* Per-CPU scratch for the sample (keeps the programs' stacks small). */
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct nt_tcp_sample);
} nt_tcp_scratch SEC(".maps");

static __always_inline struct nt_tcp_sample *nt_tcp_sample_slot(void) {
    __u32 zero = 0;
    struct nt_tcp_sample *s = bpf_map_lookup_elem(&nt_tcp_scratch, &zero);
    if (s)
        __builtin_memset(s, 0, sizeof(*s));
    return s;
}

#define NT_TCP_PROBE_PROGRAMS(btf_prog, tp_prog, handler)                                          \
    SEC("tp_btf/tcp_probe")                                                                        \
    int BPF_PROG(btf_prog, struct sock *sk) {                                                      \
        struct nt_tcp_sample *s = nt_tcp_sample_slot();                                            \
        if (!s || nt_tcp_sample_from_sock(sk, s))                                                  \
            return 0;                                                                              \
        return handler(ctx, s);                                                                    \
    }                                                                                              \
    SEC("tracepoint/tcp/tcp_probe")                                                                \
    int tp_prog(struct trace_event_raw_tcp_probe___nt *args) {                                     \
        struct nt_tcp_sample *s = nt_tcp_sample_slot();                                            \
        if (!s || nt_tcp_sample_from_record(args, s))                                              \
            return 0;                                                                              \
        return handler(args, s);                                                                   \
    }

/* tcp:tcp_retransmit_skb. The record is the shared tcp_event_sk_skb one on older kernels, its own
 * with `err` (the retransmission's result, 0 = sent; the tracepoint then fires for failed attempts
 * too) on newer ones (6.18). err is 0 where the kernel does not report it (only sent ones fire). */
struct trace_event_raw_tcp_retransmit_skb___nt {
    const void *skaddr;
    int err;
} __attribute__((preserve_access_index));
struct trace_event_raw_tcp_event_sk_skb___nt {
    const void *skaddr;
} __attribute__((preserve_access_index));

#define NT_TCP_RETRANSMIT_PROGRAMS(btf_prog, tp_prog, handler)                                     \
    SEC("tp_btf/tcp_retransmit_skb")                                                               \
    int BPF_PROG(btf_prog, const struct sock *sk) {                                                \
        int err = 0;                                                                               \
        if (bpf_core_field_exists(((struct trace_event_raw_tcp_retransmit_skb___nt *)0)->err))     \
            err = (int)ctx[2];                                                                     \
        return handler(ctx, sk, err);                                                              \
    }                                                                                              \
    SEC("tracepoint/tcp/tcp_retransmit_skb")                                                       \
    int tp_prog(void *args) {                                                                      \
        if (bpf_core_type_exists(struct trace_event_raw_tcp_retransmit_skb___nt)) {                \
            struct trace_event_raw_tcp_retransmit_skb___nt *r = args;                              \
            int err = bpf_core_field_exists(r->err) ? BPF_CORE_READ(r, err) : 0;                   \
            return handler(args, BPF_CORE_READ(r, skaddr), err);                                   \
        }                                                                                          \
        struct trace_event_raw_tcp_event_sk_skb___nt *r = args;                                    \
        return handler(args, BPF_CORE_READ(r, skaddr), 0);                                         \
    }
