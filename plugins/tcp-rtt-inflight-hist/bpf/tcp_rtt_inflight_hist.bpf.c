/* SPDX-License-Identifier: GPL-2.0 */
/* tcp-rtt-inflight-hist: on every Nth tcp:tcp_probe (a segment received on an established
 * connection) of each matching socket, add (smoothed RTT, in-flight) to a 2-D log2 histogram
 * and to 1-D RTT, in-flight and cwnd histograms (with sums, for exact means), optionally the
 * implied bandwidth to a linear histogram; per socket, the retransmission state at its last
 * sample. Per-CPU totals; the bucket rule is hist.bpf.h's. */
#include "filter.bpf.h"
#include "hist.bpf.h"
#include "percpu.bpf.h"
#include "tcp.bpf.h"
#include "tcp_bw.bpf.h"

/* In-flight unit: 0 = packets (packets_out, as BCC), 1 = bytes (snd_nxt - snd_una). */
const volatile __u8 cfg_inflight_bytes = 0;
const volatile __u32 cfg_every = 1; /* --sample-rate: every Nth hit of a socket */

struct totals {
    struct nt_hist rtt;      /* srtt, us */
    struct nt_hist inflight; /* packets or bytes */
    struct nt_hist cwnd;     /* packets */
    __u64 hits;              /* tcp_probe hits that matched the filters */
    __u64 samples;           /* sampled hits in the histograms */
    __u64 no_inflight;       /* sampled, but in-flight unknown (record without socket) */
    __u64 cells_missed;      /* samples the 2-D table could not take (never expected) */
    __u64 flows_untracked;   /* hits of sockets the flow table had no room for */
    __u64 rtt_sum;           /* exact means */
    __u64 inflight_sum;
    __u64 cwnd_sum;
    struct nt_tcp_bw bw; /* --bw-hist */
};

NT_PERCPU_VALUE(totals, struct totals)

/* Per socket (local end = source). hits only grows; the rest is the state at its last sample. */
struct probe_flow {
    __u64 hits;
    __u32 first_total_retrans; /* total_retrans at the socket's first sample */
    __u32 total_retrans;
    __u32 retrans_out;
    __u32 lost_out;
    __u32 max_retrans_out;
    __u32 max_lost_out;
    __u8 known; /* the retransmission fields were read from the socket */
    __u8 _pad[7];
};

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 8192);
    __type(key, struct nt_flow);
    __type(value, struct probe_flow);
} flows SEC(".maps");

struct cell {
    __u32 rtt_slot;
    __u32 inflight_slot;
};

/* At most NT_HIST_SLOTS x NT_HIST_SLOTS cells exist, so the table can never be full. */
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
    __uint(max_entries, NT_HIST_SLOTS *NT_HIST_SLOTS);
    __type(key, struct cell);
    __type(value, __u64);
} hist_2d SEC(".maps");

static __always_inline __u32 slot_of(__u64 v) {
    __u32 s = nt_log2_slot(v);
    return s < NT_HIST_SLOTS ? s : NT_HIST_SLOTS - 1;
}

static __always_inline struct probe_flow *flow_of(const struct nt_flow *f) {
    struct probe_flow zero = {};
    return nt_map_lookup_or_init(&flows, f, &zero);
}

static __always_inline void retrans_state(struct probe_flow *v, const struct nt_tcp_sample *s) {
    if (s->total_retrans == NT_UNKNOWN_U32)
        return;
    if (!v->known)
        v->first_total_retrans = s->total_retrans;
    v->known = 1;
    v->total_retrans = s->total_retrans;
    v->retrans_out = s->retrans_out;
    v->lost_out = s->lost_out;
    if (s->retrans_out > v->max_retrans_out)
        v->max_retrans_out = s->retrans_out;
    if (s->lost_out > v->max_lost_out)
        v->max_lost_out = s->lost_out;
}

static __always_inline void add_cell(struct totals *t, __u32 srtt, __u32 inflight) {
    struct cell key = {.rtt_slot = slot_of(srtt), .inflight_slot = slot_of(inflight)};
    __u64 *n = bpf_map_lookup_elem(&hist_2d, &key);
    if (!n) {
        __u64 one = 1;
        if (bpf_map_update_elem(&hist_2d, &key, &one, BPF_NOEXIST) == 0)
            return;
        n = bpf_map_lookup_elem(&hist_2d, &key); /* another CPU created the cell meanwhile */
        if (!n) {
            t->cells_missed++;
            return;
        }
    }
    *n += 1;
}

static __always_inline int on_probe(void *ctx, const struct nt_tcp_sample *s) {
    if (!nt_flow_match(&s->flow))
        return 0;
    struct totals *t = totals_get();
    if (!t)
        return 0;
    t->hits++;
    struct probe_flow *v = flow_of(&s->flow);
    __u64 n = 0;
    if (v) {
        /* A socket's tcp_probe calls are serialised by its lock: n is this hit's rank. */
        n = v->hits;
        __sync_fetch_and_add(&v->hits, 1);
    } else {
        t->flows_untracked++;
    }
    /* every Nth hit of the socket: the 1st, the N+1th, ... */
    if (cfg_every > 1 && n % cfg_every)
        return 0;
    if (v)
        retrans_state(v, s);
    __u32 inflight = cfg_inflight_bytes ? s->unacked_bytes : s->packets_out;
    if (inflight == NT_UNKNOWN_U32) {
        t->no_inflight++;
        return 0;
    }
    t->samples++;
    nt_hist_add_call(&t->rtt, s->srtt_us);
    nt_hist_add_call(&t->inflight, inflight);
    nt_hist_add_call(&t->cwnd, s->snd_cwnd);
    t->rtt_sum += s->srtt_us;
    t->inflight_sum += inflight;
    t->cwnd_sum += s->snd_cwnd;
    nt_tcp_bw_add(&t->bw, s->packets_out, s->mss_cache, s->srtt_us);
    add_cell(t, s->srtt_us, inflight);
    return 0;
}

NT_TCP_PROBE_PROGRAMS(nt_trih_btf, nt_trih_tp, on_probe)
