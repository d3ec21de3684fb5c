/* SPDX-License-Identifier: GPL-2.0 */
/* tcp-rtt-inflight-hist: on every tcp:tcp_probe (a segment received on an established
 * connection) of the matching sockets, add (smoothed RTT, in-flight) to a 2-D log2 histogram
 * and to 1-D RTT, in-flight and cwnd histograms. Per-CPU maps; the bucket rule is hist.bpf.h's. */
#include "filter.bpf.h"
#include "hist.bpf.h"
#include "tcp.bpf.h"

/* In-flight unit: 0 = bytes (snd_nxt - snd_una), 1 = packets (tcp_packets_in_flight). */
const volatile __u8 cfg_inflight_packets = 0;

struct totals {
    struct nt_hist rtt;      /* srtt, us */
    struct nt_hist inflight; /* bytes or packets */
    struct nt_hist cwnd;     /* packets */
    __u64 samples;           /* tcp_probe hits that matched the filters */
    __u64 no_inflight;       /* matched, but packets in flight unknown (record without socket) */
    __u64 cells_missed;      /* samples the 2-D table could not take (never expected) */
};

struct cell {
    __u32 rtt_slot;
    __u32 inflight_slot;
};

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct totals);
} totals SEC(".maps");

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

static __always_inline int on_probe(void *ctx, const struct nt_tcp_sample *s) {
    if (!nt_flow_match(&s->flow))
        return 0;
    __u32 zero = 0;
    struct totals *t = bpf_map_lookup_elem(&totals, &zero);
    if (!t)
        return 0;
    __u32 inflight = cfg_inflight_packets ? s->in_flight : s->unacked_bytes;
    if (inflight == NT_UNKNOWN_U32) {
        t->no_inflight++;
        return 0;
    }
    t->samples++;
    nt_hist_add(&t->rtt, s->srtt_us);
    nt_hist_add(&t->inflight, inflight);
    nt_hist_add(&t->cwnd, s->snd_cwnd);

    struct cell key = {.rtt_slot = slot_of(s->srtt_us), .inflight_slot = slot_of(inflight)};
    __u64 *n = bpf_map_lookup_elem(&hist_2d, &key);
    if (!n) {
        __u64 one = 1;
        if (bpf_map_update_elem(&hist_2d, &key, &one, BPF_NOEXIST) == 0)
            return 0;
        n = bpf_map_lookup_elem(&hist_2d, &key); /* another CPU created the cell meanwhile */
        if (!n) {
            t->cells_missed++;
            return 0;
        }
    }
    *n += 1;
    return 0;
}

NT_TCP_PROBE_PROGRAMS(nt_trih_btf, nt_trih_tp, on_probe)
