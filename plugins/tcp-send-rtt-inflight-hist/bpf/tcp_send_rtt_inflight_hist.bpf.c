/* SPDX-License-Identifier: GPL-2.0 */
/* tcp-send-rtt-inflight-hist: the TCP state at each send. tcp_rate_skb_sent(sk, skb) runs once
 * per data skb TCP has just transmitted (new data, retransmissions, SYN and FIN; never pure ACKs);
 * for every Nth such send of each matching flow, the smoothed RTT, the packets out (sent, not yet
 * acknowledged, before this one) and cwnd go into log2 histograms, and packets_out x the
 * connection's own MSS / srtt into a linear bandwidth histogram. Per flow: sends, samples,
 * retransmissions (tcp:tcp_retransmit_skb) and the retransmission state at its last sample.
 *
 * Without fentry/kprobes the sends are taken where the packet reaches the driver
 * (net:net_dev_start_xmit, skb->sk): data, SYN and FIN segments of full TCP sockets. */
#include "netdev.bpf.h"
#include "hist.bpf.h"
#include "counters.bpf.h"
#include "percpu.bpf.h"
#include "tcp.bpf.h"
#include "tcp_bw.bpf.h"
#include "function.bpf.h"

const volatile __u32 cfg_every = 1; /* --sample-rate: every Nth send of a flow */

enum send_counter {
    SC_SENDS,          /* matching sends seen */
    SC_SAMPLES,        /* sampled sends with an RTT (in the histograms) */
    SC_NO_RTT,         /* sampled sends before the flow had an RTT estimate (SYN, first data) */
    SC_RETRANSMITS,    /* tcp:tcp_retransmit_skb that sent */
    SC_RETRANS_FAILED, /* ... that failed (kernels that report it) */
    SC_UNTRACKED,      /* sends of flows the flow table had no room for */
    SC_COUNTERS,
};
NT_COUNTERS(send_counter, SC_COUNTERS);

struct totals {
    struct nt_hist rtt;      /* srtt, us */
    struct nt_hist inflight; /* packets_out */
    struct nt_hist cwnd;     /* packets */
    __u64 rtt_sum;           /* exact means */
    __u64 inflight_sum;
    __u64 cwnd_sum;
    struct nt_tcp_bw bw; /* --bw-hist */
};

NT_PERCPU_VALUE(totals, struct totals)

/* Per flow (local end = source). Counts only grow; the rest is the state at the last sample. */
struct send_flow {
    __u64 sends;
    __u64 samples;
    __u64 retransmits;
    __u64 rtt_sum;
    __u32 max_retrans_out;
    __u32 max_lost_out;
    struct nt_tcp_metrics last; /* at the last sample */
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4096);
    __type(key, struct nt_flow);
    __type(value, struct send_flow);
} flows SEC(".maps");

static __always_inline struct send_flow *flow_of(const struct nt_flow *f) {
    struct send_flow zero = {};
    return nt_map_lookup_or_init(&flows, f, &zero);
}

static __always_inline bool socket_flow(const struct sock *sk, struct nt_flow *f) {
    return sk && nt_flow_from_sock(sk, f) == 0 && f->protocol == NT_IPPROTO_TCP && nt_flow_match(f);
}

static __always_inline void sample(const struct sock *sk, struct send_flow *v) {
    struct nt_tcp_metrics m = {};
    nt_tcp_metrics_read(sk, &m);
    if (!m.srtt_us) {
        nt_count(SC_NO_RTT, 1);
        return;
    }
    struct totals *t = totals_get();
    if (!t)
        return;
    nt_count(SC_SAMPLES, 1);
    nt_hist_add_call(&t->rtt, m.srtt_us);
    nt_hist_add_call(&t->inflight, m.packets_out);
    nt_hist_add_call(&t->cwnd, m.snd_cwnd);
    t->rtt_sum += m.srtt_us;
    t->inflight_sum += m.packets_out;
    t->cwnd_sum += m.snd_cwnd;
    nt_tcp_bw_add(&t->bw, m.packets_out, m.mss_cache, m.srtt_us);
    if (!v)
        return;
    __sync_fetch_and_add(&v->samples, 1);
    __sync_fetch_and_add(&v->rtt_sum, m.srtt_us);
    v->last = m;
    if (m.retrans_out > v->max_retrans_out)
        v->max_retrans_out = m.retrans_out;
    if (m.lost_out > v->max_lost_out)
        v->max_lost_out = m.lost_out;
}

static __always_inline int on_send(const struct sock *sk) {
    struct nt_flow f = {};
    if (!socket_flow(sk, &f))
        return 0;
    nt_count(SC_SENDS, 1);
    struct send_flow *v = flow_of(&f);
    __u64 n = 0;
    if (v) {
        /* Read, then add: an atomic add that returns the old value needs 5.12. A socket's sends
         * are serialised by its lock, so n is this send's rank; the count is exact either way. */
        n = v->sends;
        __sync_fetch_and_add(&v->sends, 1);
    } else {
        nt_count(SC_UNTRACKED, 1);
    }
    /* every Nth send of the flow: the 1st, the N+1th, ... (a flow of n sends has ceil(n/N)) */
    if (cfg_every > 1 && n % cfg_every)
        return 0;
    sample(sk, v);
    return 0;
}

static __always_inline int on_rate_skb_sent(void *ctx, struct sock *sk) {
    return on_send(sk);
}
NT_FUNCTION_PROGRAMS(tcp_rate_skb_sent, nt_tsr_sent_fe, nt_tsr_sent_kp, on_rate_skb_sent,
                     struct sock *, sk)

#define NT_TCP_TIME_WAIT 6
#define NT_TCP_LISTEN 10
#define NT_TCP_NEW_SYN_RECV 12
#define NT_TCPHDR_FIN 0x01
#define NT_TCPHDR_SYN 0x02

/* The degraded path: a TCP segment reaching the driver that tcp_rate_skb_sent would have seen,
 * i.e. one a full (not request or time-wait) socket sent with data, SYN or FIN. */
static __always_inline int on_start_xmit(void *ctx, struct sk_buff *skb,
                                         const struct net_device *dev) {
    const struct sock *sk = BPF_CORE_READ(skb, sk);
    if (!sk)
        return 0;
    __u8 state = BPF_CORE_READ(sk, __sk_common.skc_state);
    if (state == NT_TCP_TIME_WAIT || state == NT_TCP_NEW_SYN_RECV || state == NT_TCP_LISTEN)
        return 0;
    unsigned char *head = BPF_CORE_READ(skb, head);
    __u16 th = BPF_CORE_READ(skb, transport_header);
    if (th == NT_NO_HEADER)
        return 0;
    __u8 hdr[14]; /* through the flags byte */
    if (bpf_probe_read_kernel(hdr, sizeof(hdr), head + th))
        return 0;
    __u32 doff = (hdr[12] >> 4) * 4;
    __u32 before = head + th - BPF_CORE_READ(skb, data); /* L2 + L3 headers in this skb */
    __u32 len = BPF_CORE_READ(skb, len);
    bool data = len > before + doff;
    if (!data && !(hdr[13] & (NT_TCPHDR_SYN | NT_TCPHDR_FIN)))
        return 0; /* pure ACK or RST: never a tcp_rate_skb_sent */
    return on_send(sk);
}
NT_START_XMIT_PROGRAMS(nt_tsr_xmit_btf, nt_tsr_xmit_tp, on_start_xmit)

/* Retransmissions per flow, counted where TCP retransmits (also on the degraded path). */
static __always_inline int on_retransmit(void *ctx, const struct sock *sk, int err) {
    struct nt_flow f = {};
    if (!socket_flow(sk, &f))
        return 0;
    if (err) {
        nt_count(SC_RETRANS_FAILED, 1);
        return 0;
    }
    nt_count(SC_RETRANSMITS, 1);
    struct send_flow *v = flow_of(&f);
    if (v)
        __sync_fetch_and_add(&v->retransmits, 1);
    return 0;
}
NT_TCP_RETRANSMIT_PROGRAMS(nt_tsr_rtx_btf, nt_tsr_rtx_tp, on_retransmit)
