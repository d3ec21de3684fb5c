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
 * lost records on a busy 2-core machine (`npm run bench`). `nettrace run --ring-bytes` overrides. */
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

static __always_inline void *nt_event_reserve(__u64 size) {
    void *rec = bpf_ringbuf_reserve(&events, size, 0);
    if (!rec) {
        __u32 zero = 0;
        __u64 *lost = bpf_map_lookup_elem(&events_lost, &zero);
        if (lost)
            *lost += 1;
    }
    return rec;
}

static __always_inline void nt_event_submit(void *rec) {
    __u64 flags = 0;
    if (cfg_wakeup_bytes)
        flags = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= cfg_wakeup_bytes
                    ? BPF_RB_FORCE_WAKEUP
                    : BPF_RB_NO_WAKEUP;
    bpf_ringbuf_submit(rec, flags);
}
