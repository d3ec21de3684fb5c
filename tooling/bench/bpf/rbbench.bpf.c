/* SPDX-License-Identifier: GPL-2.0 */
/* Benchmark producer: one ring-buffer record (64 or 256 bytes) per getppid() of the benchmark's
 * producer children. It uses the shared event channel of every streaming plugin (buffer.bpf.h:
 * ring `events`, per-CPU `events_lost`, cfg_wakeup_bytes for the hybrid wake-up policy), so the
 * numbers are those of the plugins' own path. */
#include "buffer.bpf.h"
#include "bench_event.h"

const volatile __u32 cfg_tgids[BENCH_MAX_PRODUCERS] = {};
const volatile __u32 cfg_ntgids = 0;
const volatile __u8 cfg_big = 0;

/* Records attempted (reserved or lost), per CPU: produced = consumed + lost is checked. */
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} bench_produced SEC(".maps");

NT_EXPORT_TYPE(struct bench_event, bench_event);
NT_EXPORT_TYPE(struct bench_event_big, bench_event_big);

static __always_inline void fill(struct bench_event *e, __u64 seq, __u32 size) {
    __u64 id = bpf_get_current_pid_tgid();
    e->ts_ns = bpf_ktime_get_ns();
    e->seq = seq;
    e->tgid = id >> 32;
    e->tid = (__u32)id;
    e->cpu = bpf_get_smp_processor_id();
    e->size = size;
    e->a = seq;
    e->b = seq * 2;
    e->c = seq ^ 0x5a5a;
    e->d = id;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int nt_bench(void *ctx) {
    __u32 tgid = nt_tgid();
    bool ours = false;
    for (int i = 0; i < BENCH_MAX_PRODUCERS; i++) {
        if (i >= cfg_ntgids)
            break;
        if (cfg_tgids[i] == tgid) {
            ours = true;
            break;
        }
    }
    if (!ours)
        return 0;
    __u32 zero = 0;
    __u64 *produced = bpf_map_lookup_elem(&bench_produced, &zero);
    if (!produced)
        return 0;
    __u64 seq = ++*produced;
    if (cfg_big) {
        struct bench_event_big *e = nt_event_reserve(sizeof(*e));
        if (!e)
            return 0;
        fill(&e->head, seq, sizeof(*e));
        for (int i = 0; i < BENCH_WORDS; i++)
            e->words[i] = seq + i;
        nt_event_submit(ctx, e);
    } else {
        struct bench_event *e = nt_event_reserve(sizeof(*e));
        if (!e)
            return 0;
        fill(e, seq, sizeof(*e));
        nt_event_submit(ctx, e);
    }
    return 0;
}
