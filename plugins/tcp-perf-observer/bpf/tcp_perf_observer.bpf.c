/* SPDX-License-Identifier: GPL-2.0 */
/* tcp-perf-observer: for the matching TCP sockets, histograms of smoothed RTT (tcp:tcp_probe) and
 * connect latency (sock:inet_sock_set_state SYN_SENT -> ESTABLISHED, keyed by the socket, so the
 * tuple is read when it is complete), counters (also per TCP state entered), and one event per
 * slow RTT sample, slow connect, retransmission (tcp:tcp_retransmit_skb) and dropped packet of a
 * matching socket (skb:kfree_skb). Every hook is tp_btf first, tracepoint second. */
#include "filter.bpf.h"
#include "buffer.bpf.h"
#include "hist.bpf.h"
#include "tcp.bpf.h"
#include "kfree_skb.bpf.h"

const volatile __u32 cfg_rtt_threshold_us = 10000;
const volatile __u32 cfg_connlat_threshold_us = 20000;
const volatile __u8 cfg_events = 1;      /* 0: summary only */
const volatile __u32 cfg_event_rate = 0; /* events per CPU per second; 0: unlimited */
const volatile __u32 cfg_every = 1;      /* --sample-rate: every Nth tcp_probe hit of a socket */

enum tpo_event_type { EV_RTT = 1, EV_CONNLAT = 2, EV_RETRANS = 3, EV_DROP = 4 };
NT_EXPORT_TYPE(enum tpo_event_type, tpo_event_type); /* names `type` on the TypeScript side */

struct tcp_event {
    __u64 ts_ns;
    __u32 pid;  /* CONNLAT: the task that called connect(); else the current task */
    __u8 type;  /* EV_* */
    __u8 state; /* TCP state of the socket */
    __u16 _pad;
    __u32 metric_us; /* RTT, RETRANS: srtt; CONNLAT: SYN_SENT -> ESTABLISHED */
    __u32 snd_cwnd;  /* RTT, RETRANS */
    __u32 snd_ssthresh;
    __u32 total_retrans; /* NT_UNKNOWN_U32 when not known */
    __s32 err; /* RETRANS: result of the retransmission (0 = sent), on kernels whose tracepoint has
                  it */
    __u32 reason;   /* DROP: enum skb_drop_reason (0: the kernel reports none, before 5.17) */
    void *location; /* DROP: where the packet was freed (a pointer: decoded as bigint) */
    char comm[NT_TASK_COMM_LEN];
    struct nt_flow flow;
};
NT_EXPORT_TYPE(struct tcp_event, tcp_event);

struct totals {
    struct nt_hist rtt;     /* us */
    struct nt_hist connlat; /* us */
    __u64 rtt_sum;          /* exact means */
    __u64 connlat_sum;
    __u64 rtt_hits;         /* tcp_probe hits of matching sockets */
    __u64 rtt_samples;      /* the sampled ones (--sample-rate), in the RTT histogram */
    __u64 connects;         /* SYN_SENT -> ESTABLISHED */
    __u64 connect_failures; /* SYN_SENT -> CLOSE (refused, timed out, aborted) */
    __u64 retransmits;
    __u64 events_suppressed;  /* over --detail-rate */
    __u64 connects_untracked; /* start table full */
    __u64 drops;              /* skb:kfree_skb of packets of matching sockets */
    /* Transitions into each TCP state (index: TCP_*), BCC's per-state counters. */
    __u64 state_entered[NT_TCP_MAX_STATES];
};

/* A socket in SYN_SENT or SYN_RECV, whose 4-tuple is not complete yet (the source port of a
 * connect, the addresses of a passive child): its entry is counted when it leaves that state. */
struct conn_start {
    __u64 ts_ns;
    __u32 pid;
    __u32 state; /* NT_TCP_SYN_SENT or NT_TCP_SYN_RECV */
    char comm[NT_TASK_COMM_LEN];
};

struct rate {
    __u64 second;
    __u64 count;
};

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct totals);
} totals SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 10240);
    __type(key, __u64); /* struct sock * */
    __type(value, struct conn_start);
} conn_start SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct rate);
} event_rate SEC(".maps");

/* tcp_probe hits per socket, for --sample-rate (only used when it is above 1). */
struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 8192);
    __type(key, struct nt_flow);
    __type(value, __u64);
} probe_hits SEC(".maps");

/* Is this hit of the socket sampled? Its 1st, N+1th, ... (every hit when the table has no room). */
static __always_inline bool sampled(const struct nt_flow *flow) {
    if (cfg_every <= 1)
        return true;
    __u64 zero = 0;
    __u64 *n = nt_map_lookup_or_init(&probe_hits, flow, &zero);
    if (!n)
        return true;
    /* A socket's tcp_probe calls are serialised by its lock: rank is this hit's. */
    __u64 rank = *n;
    __sync_fetch_and_add(n, 1);
    return rank % cfg_every == 0;
}

static __always_inline struct totals *totals_slot(void) {
    __u32 zero = 0;
    return bpf_map_lookup_elem(&totals, &zero);
}

static __always_inline struct tcp_event *event_start(struct totals *t, __u8 type,
                                                     const struct nt_flow *flow) {
    if (!cfg_events)
        return 0;
    if (cfg_event_rate) {
        __u32 zero = 0;
        struct rate *r = bpf_map_lookup_elem(&event_rate, &zero);
        __u64 second = bpf_ktime_get_ns() / 1000000000ULL;
        if (r) {
            if (r->second != second) {
                r->second = second;
                r->count = 0;
            }
            if (r->count >= cfg_event_rate) {
                t->events_suppressed++;
                return 0;
            }
            r->count++;
        }
    }
    struct tcp_event *e = nt_event_reserve(sizeof(*e));
    if (!e)
        return 0;
    __builtin_memset(e, 0, sizeof(*e));
    e->ts_ns = bpf_ktime_get_ns();
    e->type = type;
    e->pid = nt_tgid();
    bpf_get_current_comm(e->comm, sizeof(e->comm));
    e->flow = *flow;
    e->total_retrans = NT_UNKNOWN_U32;
    return e;
}

/* tcp:tcp_probe: one smoothed-RTT sample per segment received on an established connection. */
static __always_inline int on_probe(void *ctx, const struct nt_tcp_sample *s) {
    if (!nt_flow_match(&s->flow))
        return 0;
    struct totals *t = totals_slot();
    if (!t)
        return 0;
    t->rtt_hits++;
    if (!sampled(&s->flow))
        return 0;
    t->rtt_samples++;
    t->rtt_sum += s->srtt_us;
    nt_hist_add(&t->rtt, s->srtt_us);
    if (s->srtt_us < cfg_rtt_threshold_us)
        return 0;
    struct tcp_event *e = event_start(t, EV_RTT, &s->flow);
    if (!e)
        return 0;
    e->state = NT_TCP_ESTABLISHED;
    e->metric_us = s->srtt_us;
    e->snd_cwnd = s->snd_cwnd;
    e->snd_ssthresh = s->snd_ssthresh;
    e->total_retrans = s->total_retrans;
    nt_event_submit(ctx, e);
    return 0;
}

NT_TCP_PROBE_PROGRAMS(nt_tpo_prb_btf, nt_tpo_prb_tp, on_probe)

static __always_inline void count_state(struct totals *t, int state) {
    __u32 i = state;
    if (i < NT_TCP_MAX_STATES)
        t->state_entered[i]++;
}

/* sock:inet_sock_set_state: every state a matching socket enters; connect latency for active
 * opens (SYN_SENT -> ESTABLISHED). The 4-tuple is filtered when it is complete: at SYN_SENT the
 * source port may not be chosen yet, at SYN_RECV a passive child still has its listener's. */
static __always_inline int on_state(void *ctx, const struct sock *sk, int oldstate, int newstate) {
    __u64 key = (__u64)sk;
    if (newstate == NT_TCP_SYN_SENT || newstate == NT_TCP_SYN_RECV) {
        struct conn_start start = {
            .ts_ns = bpf_ktime_get_ns(), .pid = nt_tgid(), .state = newstate};
        bpf_get_current_comm(start.comm, sizeof(start.comm));
        if (bpf_map_update_elem(&conn_start, &key, &start, BPF_ANY)) {
            struct totals *t = totals_slot();
            if (t)
                t->connects_untracked++;
        }
        return 0;
    }
    struct conn_start who = {};
    bool started = false;
    if (oldstate == NT_TCP_SYN_SENT || oldstate == NT_TCP_SYN_RECV) {
        struct conn_start *start = bpf_map_lookup_elem(&conn_start, &key);
        if (start && start->state == oldstate) {
            who = *start;
            started = true;
        }
        if (start)
            bpf_map_delete_elem(&conn_start, &key);
    }
    __u64 lat_us = (bpf_ktime_get_ns() - who.ts_ns) / 1000;

    struct nt_flow flow = {};
    struct totals *t = totals_slot();
    if (!t || nt_flow_from_sock(sk, &flow) || !nt_flow_match(&flow))
        return 0;
    if (started) /* entered while the tool ran: counted now that the tuple is known */
        count_state(t, oldstate);
    count_state(t, newstate);
    if (!started || oldstate != NT_TCP_SYN_SENT)
        return 0;
    if (newstate != NT_TCP_ESTABLISHED) {
        t->connect_failures++;
        return 0;
    }
    t->connects++;
    t->connlat_sum += lat_us;
    nt_hist_add(&t->connlat, lat_us);
    if (lat_us < cfg_connlat_threshold_us)
        return 0;
    struct tcp_event *e = event_start(t, EV_CONNLAT, &flow);
    if (!e)
        return 0;
    e->state = newstate;
    e->metric_us = lat_us;
    e->pid = who.pid;
    __builtin_memcpy(e->comm, who.comm, sizeof(e->comm));
    nt_event_submit(ctx, e);
    return 0;
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(nt_tpo_st_btf, const struct sock *sk, int oldstate, int newstate) {
    if (BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol) != NT_IPPROTO_TCP)
        return 0;
    return on_state(ctx, sk, oldstate, newstate);
}

struct trace_event_raw_inet_sock_set_state___nt {
    const void *skaddr;
    int oldstate;
    int newstate;
    __u16 protocol;
} __attribute__((preserve_access_index));

SEC("tracepoint/sock/inet_sock_set_state")
int nt_tpo_st_tp(struct trace_event_raw_inet_sock_set_state___nt *args) {
    if (BPF_CORE_READ_BITFIELD_PROBED(args, protocol) != NT_IPPROTO_TCP) /* __u8 before 5.6 */
        return 0;
    return on_state(args, BPF_CORE_READ(args, skaddr), BPF_CORE_READ(args, oldstate),
                    BPF_CORE_READ(args, newstate));
}

/* tcp:tcp_retransmit_skb: one event per retransmitted segment of a matching socket. */
static __always_inline int on_retransmit(void *ctx, const struct sock *sk, int err) {
    struct nt_flow flow = {};
    if (!sk || nt_flow_from_sock(sk, &flow) || !nt_flow_match(&flow))
        return 0;
    struct totals *t = totals_slot();
    if (!t)
        return 0;
    t->retransmits++;
    struct tcp_event *e = event_start(t, EV_RETRANS, &flow);
    if (!e)
        return 0;
    struct nt_tcp_metrics m = {};
    nt_tcp_metrics_read(sk, &m);
    e->state = m.state;
    e->metric_us = m.srtt_us;
    e->snd_cwnd = m.snd_cwnd;
    e->snd_ssthresh = m.snd_ssthresh;
    e->total_retrans = m.total_retrans;
    e->err = err;
    nt_event_submit(ctx, e);
    return 0;
}

NT_TCP_RETRANSMIT_PROGRAMS(nt_tpo_rtx_btf, nt_tpo_rtx_tp, on_retransmit)

/* skb:kfree_skb: a packet of a matching TCP socket dropped, the socket being the packet's owner
 * (sending side, as BCC read it) or, from 6.11, the receiving socket the kernel dropped it for. */
static __always_inline int on_drop(void *ctx, struct sk_buff *skb, __u64 location, __u32 reason,
                                   const struct sock *rx_sk) {
    if (reason == nt_skb_consumed_reason())
        return 0;
    const struct sock *sk = BPF_CORE_READ(skb, sk);
    if (!sk)
        sk = rx_sk;
    struct nt_flow flow = {};
    if (!sk || !nt_sock_is_tcp(sk) || nt_flow_from_sock(sk, &flow))
        return 0;
    flow.protocol = NT_IPPROTO_TCP; /* mini sockets have no sk_protocol */
    if (!nt_flow_match(&flow))
        return 0;
    struct totals *t = totals_slot();
    if (!t)
        return 0;
    t->drops++;
    struct tcp_event *e = event_start(t, EV_DROP, &flow);
    if (!e)
        return 0;
    e->state = BPF_CORE_READ(sk, __sk_common.skc_state);
    e->reason = reason;
    e->location = (void *)location;
    nt_event_submit(ctx, e);
    return 0;
}

NT_KFREE_SKB_SOCK_PROGRAMS(nt_tpo_drop_btf, nt_tpo_drop_tp, on_drop)
