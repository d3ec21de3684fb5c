/* SPDX-License-Identifier: GPL-2.0 */
/* The event channel: one ring buffer named `events` plus a per-CPU counter `events_lost` that
 * @nettrace/core reads so no loss is ever silent. Wake-up policy: with cfg_wakeup_bytes == 0 the
 * kernel's adaptive wake-ups are used (lowest latency); otherwise records are submitted without a
 * wake-up until that many bytes are pending, and the consumer drains on a timer (the "hybrid"
 * policy: far fewer wake-ups, so the traced workload runs faster). */
#pragma once
#include "common.bpf.h"

/* 1 MiB: at 1.9 M records/s of 64 bytes (the most a traced syscall loop produces here) that is
 * ~7 ms of headroom for a reader slow to be scheduled, and hybrid wake-ups every 128 KiB; 256 KiB
 * lost records on a busy 2-core machine (`npm run bench`). The runner grows a ring left at this
 * size to hold 12,000 of the plugin's records (@nettrace/core defaultRingBytes: 4 MiB for 256-byte
 * records); an object that defines NT_EVENTS_BYTES keeps its own. `--ring-bytes` overrides both.
 */
#ifndef NT_EVENTS_BYTES
#define NT_EVENTS_BYTES (1024 * 1024)
#endif

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, NT_EVENTS_BYTES);
} events SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} events_lost SEC(".maps");

const volatile __u64 cfg_wakeup_bytes = 0;

/* The perf-buffer channel: kernels without BPF ring buffers (before 5.8), or `--perf-buffer`.
 * The runner sets cfg_perf_buffer and does not create `events`; the verifier prunes whichever
 * path the constant rules out. Records are built in a per-CPU scratch area, then copied out with
 * bpf_perf_event_output(), which needs the program's context: submit with nt_event_submit(ctx, e).
 */
struct {
    __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
    __uint(key_size, sizeof(__u32));
    __uint(value_size, sizeof(__u32));
} events_perf SEC(".maps");

#define NT_EVENT_MAX 1024
struct nt_event_scratch {
    __u8 bytes[NT_EVENT_MAX];
};

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct nt_event_scratch);
} events_scratch SEC(".maps");

const volatile __u8 cfg_perf_buffer = 0;

static __always_inline void nt_event_lost(void) {
    __u32 zero = 0;
    __u64 *lost = bpf_map_lookup_elem(&events_lost, &zero);
    if (lost)
        *lost += 1;
}

static __always_inline void *nt_event_reserve(__u64 size) {
    if (cfg_perf_buffer) {
        __u32 zero = 0;
        void *scratch = size <= NT_EVENT_MAX ? bpf_map_lookup_elem(&events_scratch, &zero) : 0;
        if (!scratch)
            nt_event_lost();
        return scratch;
    }
    void *rec = bpf_ringbuf_reserve(&events, size, 0);
    if (!rec)
        nt_event_lost();
    return rec;
}

/* Wake-up flag of a ring submit: adaptive (0), or under the hybrid policy none until
 * cfg_wakeup_bytes are pending. */
static __always_inline __u64 nt_ring_flags(void) {
    if (!cfg_wakeup_bytes)
        return 0;
    return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= cfg_wakeup_bytes ? BPF_RB_FORCE_WAKEUP
                                                                             : BPF_RB_NO_WAKEUP;
}

static __always_inline void nt_event_output(void *ctx, void *rec, __u64 size) {
    if (cfg_perf_buffer) {
        if (bpf_perf_event_output(ctx, &events_perf, BPF_F_CURRENT_CPU, rec, size))
            nt_event_lost();
        return;
    }
    bpf_ringbuf_submit(rec, nt_ring_flags());
}

/* Emits a record that was built elsewhere, e.g. in a map value filled by a global BPF function
 * (which has no program context to submit with): copied into whichever channel is in use. */
static __always_inline void nt_event_emit(void *ctx, void *data, __u64 size) {
    if (cfg_perf_buffer) {
        if (bpf_perf_event_output(ctx, &events_perf, BPF_F_CURRENT_CPU, data, size))
            nt_event_lost();
        return;
    }
    if (bpf_ringbuf_output(&events, data, size, nt_ring_flags()))
        nt_event_lost();
}

/* Submits a record from nt_event_reserve() through whichever channel is in use. The program's
 * context is required: the perf-buffer channel copies the record out with it. */
#define nt_event_submit(ctx, rec) nt_event_output(ctx, rec, sizeof(*(rec)))
