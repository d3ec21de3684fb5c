/* SPDX-License-Identifier: GPL-2.0 */
/* The one histogram bucket definition. Slot 0 holds the value 0; slot k (k >= 1) holds
 * [2^(k-1), 2^k - 1]. The TypeScript labels (packages/core/src/output/hist.ts) implement the same
 * rule and a test compiles this very function on the host to prove both agree (the upstream printed
 * its labels one power of two low). Plain C on purpose: no BPF helpers in here. */
#pragma once

#define NT_HIST_SLOTS 64

static __always_inline __u32 nt_log2_slot(__u64 v) {
    __u32 slot = 0;
    /* bit length of v, written branch-light for the verifier */
    if (v >> 32) {
        v >>= 32;
        slot += 32;
    }
    if (v >> 16) {
        v >>= 16;
        slot += 16;
    }
    if (v >> 8) {
        v >>= 8;
        slot += 8;
    }
    if (v >> 4) {
        v >>= 4;
        slot += 4;
    }
    if (v >> 2) {
        v >>= 2;
        slot += 2;
    }
    if (v >> 1) {
        v >>= 1;
        slot += 1;
    }
    return slot + (__u32)v;
}

/* Linear buckets: value / step, clamped into the last slot. */
static __always_inline __u32 nt_linear_slot(__u64 v, __u64 step, __u32 slots) {
    __u64 s = v / step;
    return s >= slots ? slots - 1 : (__u32)s;
}

/* A log2 histogram as a map value (plain or per-CPU), or a member of one; @nettrace/core reads
 * it with ctx.histogram(map) (per-CPU maps summed), or decodes it as NtHist in a generated struct.
 */
struct nt_hist {
    __u64 slots[NT_HIST_SLOTS];
};

static __always_inline void nt_hist_add(struct nt_hist *h, __u64 v) {
    __u32 slot = nt_log2_slot(v);
    if (slot >= NT_HIST_SLOTS)
        slot = NT_HIST_SLOTS - 1;
    __sync_fetch_and_add(&h->slots[slot], 1);
}

/* The same behind a call boundary, for programs that add to several histograms: the slot
 * arithmetic's branches stay inside it instead of multiplying with the caller's (the verifier's
 * budget). */
static __attribute__((noinline, unused)) void nt_hist_add_call(struct nt_hist *h, __u64 v) {
    nt_hist_add(h, v);
}
