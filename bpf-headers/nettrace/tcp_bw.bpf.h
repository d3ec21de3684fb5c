/* SPDX-License-Identifier: GPL-2.0 */
/* --bw-hist of the TCP histogram tools: the bandwidth a sample implies, packets out x the
 * connection's own MSS x 8 / srtt (bits per microsecond = Mbit/s; BCC assumed an MSS of 1460), in
 * a linear histogram of cfg_bw_step-wide buckets (BCC's 500 Mbit/s), with the exact sum for the
 * mean. The TypeScript side is tcpBandwidthSection() in @nettrace/core.
 *
 *   struct totals { ...; struct nt_tcp_bw bw; };
 *   nt_tcp_bw_add(&t->bw, packets_out, mss_cache, srtt_us);
 */
#pragma once
#include "hist.bpf.h"
#include "tcp.bpf.h"

const volatile __u8 cfg_bw = 0;         /* --bw-hist */
const volatile __u32 cfg_bw_step = 500; /* Mbit/s per bucket */

#define NT_TCP_BW_SLOTS 64

struct nt_tcp_bw {
    __u64 slots[NT_TCP_BW_SLOTS]; /* Mbit/s, linear, cfg_bw_step wide */
    __u64 sum;                    /* Mbit/s, for the exact mean */
    __u64 samples;                /* samples with packets out (the bandwidth needs some) */
};

static __always_inline void nt_tcp_bw_add(struct nt_tcp_bw *bw, __u32 packets_out, __u32 mss,
                                          __u32 srtt_us) {
    if (!cfg_bw || !packets_out || packets_out == NT_UNKNOWN_U32 || !srtt_us)
        return;
    __u64 mbps = (__u64)packets_out * mss * 8 / srtt_us;
    bw->slots[nt_linear_slot(mbps, cfg_bw_step, NT_TCP_BW_SLOTS)] += 1;
    bw->sum += mbps;
    bw->samples += 1;
}
