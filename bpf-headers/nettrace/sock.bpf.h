/* SPDX-License-Identifier: GPL-2.0 */
/* Sockets as flows: the 4-tuple of a struct sock into the shared struct nt_flow (skb.bpf.h), so
 * socket-level hooks (tcp:*, sock:*) filter with nt_flow_match() and print with flowFields() like
 * packet-level ones. The local end is the source, the remote end the destination.
 *
 * Everything is read from sock_common's skc_* members: inet_daddr, inet_dport and friends are
 * macros over them, not struct members (the upstream's BPF_CORE_READ(inet, inet_daddr) could not
 * compile). Plus the tcp_sock state that TCP tools sample (RTT, window, in-flight, retransmits). */
#pragma once
#include "skb.bpf.h"

/* An IPv6 flow between v4-mapped addresses (::ffff:a.b.c.d) becomes the IPv4 flow it is on the
 * wire, so IPv4 filters and output apply to IPv6 sockets talking IPv4. */
static __always_inline void nt_flow_unmap_v4(struct nt_flow *f) {
    if (f->family != NT_AF_INET6)
        return;
    const __u32 *s = (const __u32 *)f->saddr;
    const __u32 *d = (const __u32 *)f->daddr;
    __u32 ffff = bpf_htonl(0xffff);
    if (d[0] || d[1] || d[2] != ffff || s[0] || s[1] || s[2] != ffff)
        return;
    __u32 sa = s[3], da = d[3];
    __builtin_memset(f->saddr, 0, sizeof(f->saddr));
    __builtin_memset(f->daddr, 0, sizeof(f->daddr));
    __builtin_memcpy(f->saddr, &sa, 4);
    __builtin_memcpy(f->daddr, &da, 4);
    f->family = NT_AF_INET;
}

/* TCP states (include/net/tcp_states.h; stable uapi values). */
#define NT_TCP_ESTABLISHED 1
#define NT_TCP_SYN_SENT 2
#define NT_TCP_SYN_RECV 3
#define NT_TCP_TIME_WAIT 6
#define NT_TCP_CLOSE 7
#define NT_TCP_NEW_SYN_RECV 12
/* Size of per-state counter arrays indexed by state (12 states; a power of two, so a compiler that
 * bounds the index with a mask keeps it in range for older verifiers). */
#define NT_TCP_MAX_STATES 16
#define NT_SOCK_STREAM 1

/* Returns 0 and fills `f` for AF_INET/AF_INET6 sockets (v4-mapped IPv6 reported as IPv4). */
static __always_inline int nt_flow_from_sock(const struct sock *sk, struct nt_flow *f) {
    __u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
    if (family != NT_AF_INET && family != NT_AF_INET6)
        return -1;
    f->protocol = BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol); /* a bitfield before 5.6 */
    f->sport = BPF_CORE_READ(sk, __sk_common.skc_num);
    f->dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
    /* tcp_set_state(CLOSE) releases the port (inet_num = 0) before the state change is traced;
     * inet_sport keeps it. Only full sockets have an inet_sock. */
    if (!f->sport) {
        __u8 state = BPF_CORE_READ(sk, __sk_common.skc_state);
        if (state != NT_TCP_TIME_WAIT && state != NT_TCP_NEW_SYN_RECV)
            f->sport = bpf_ntohs(BPF_CORE_READ((const struct inet_sock *)sk, inet_sport));
    }
    if (family == NT_AF_INET6 && bpf_core_field_exists(sk->__sk_common.skc_v6_daddr)) {
        f->family = NT_AF_INET6;
        BPF_CORE_READ_INTO(&f->saddr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8);
        BPF_CORE_READ_INTO(&f->daddr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr8);
        nt_flow_unmap_v4(f);
        return 0;
    }
    f->family = NT_AF_INET;
    BPF_CORE_READ_INTO((__u32 *)f->saddr, sk, __sk_common.skc_rcv_saddr);
    BPF_CORE_READ_INTO((__u32 *)f->daddr, sk, __sk_common.skc_daddr);
    return 0;
}

/* Is this socket (full, request or time-wait) a TCP one? The mini sockets (request: NEW_SYN_RECV,
 * time-wait) share only sock_common, so sk_protocol is read from full sockets only. */
static __always_inline bool nt_sock_is_tcp(const struct sock *sk) {
    __u8 state = BPF_CORE_READ(sk, __sk_common.skc_state);
    if (state == NT_TCP_TIME_WAIT || state == NT_TCP_NEW_SYN_RECV)
        return true; /* only TCP makes these */
    return BPF_CORE_READ_BITFIELD_PROBED(sk, sk_type) == NT_SOCK_STREAM &&
           BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol) == NT_IPPROTO_TCP;
}

/* What TCP tools sample from a tcp_sock. */
struct nt_tcp_metrics {
    __u32 srtt_us;       /* smoothed RTT (tcp_sock.srtt_us is stored << 3) */
    __u32 rttvar_us;     /* mean deviation (mdev_us >> 2) */
    __u32 snd_cwnd;      /* packets */
    __u32 snd_ssthresh;  /* packets */
    __u32 packets_out;   /* sent, not yet acknowledged */
    __u32 in_flight;     /* tcp_packets_in_flight(): packets_out - (sacked + lost) + retrans_out */
    __u32 mss_cache;     /* bytes */
    __u32 unacked_bytes; /* snd_nxt - snd_una: bytes sent and not yet acknowledged */
    __u32 total_retrans; /* over the connection's life */
    __u32 retrans_out;   /* retransmitted packets not yet acknowledged */
    __u32 lost_out;      /* packets marked lost */
    __u32 sacked_out;    /* packets selectively acknowledged */
    __u8 state;          /* TCP_* */
    __u8 _pad[3];
};

static __always_inline void nt_tcp_metrics_read(const struct sock *sk, struct nt_tcp_metrics *m) {
    const struct tcp_sock *tp = (const struct tcp_sock *)sk;
    m->srtt_us = BPF_CORE_READ(tp, srtt_us) >> 3;
    m->rttvar_us = BPF_CORE_READ(tp, mdev_us) >> 2;
    m->snd_cwnd = BPF_CORE_READ(tp, snd_cwnd);
    m->snd_ssthresh = BPF_CORE_READ(tp, snd_ssthresh);
    m->packets_out = BPF_CORE_READ(tp, packets_out);
    m->sacked_out = BPF_CORE_READ(tp, sacked_out);
    m->lost_out = BPF_CORE_READ(tp, lost_out);
    m->retrans_out = BPF_CORE_READ(tp, retrans_out);
    __u32 left = m->sacked_out + m->lost_out;
    __u32 in_flight = m->packets_out > left ? m->packets_out - left : 0;
    m->in_flight = in_flight + m->retrans_out;
    m->mss_cache = BPF_CORE_READ(tp, mss_cache);
    m->unacked_bytes = BPF_CORE_READ(tp, snd_nxt) - BPF_CORE_READ(tp, snd_una);
    m->total_retrans = BPF_CORE_READ(tp, total_retrans);
    m->state = BPF_CORE_READ(sk, __sk_common.skc_state);
}
