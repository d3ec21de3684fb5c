/* SPDX-License-Identifier: GPL-2.0 */
/* ksoftirqd-sched-latency: per CPU, how long after its wake-up does ksoftirqd/N get the CPU?
 * sched_wakeup of a ksoftirqd thread stamps it; the next sched_switch that puts it on a CPU closes
 * the pair and adds the delay to that CPU's log2 histogram (us). A switch-out of the thread drops a
 * pending stamp (a wake-up while it was still running needs no CPU), so a later run is never paired
 * with a stale wake-up. Hooks: tp_btf, else raw_tp, else the classic tracepoints. */
#include "buffer.bpf.h"
#include "counters.bpf.h"
#include "hist.bpf.h"
#include "sched.bpf.h"

#define KSD_MAX_CPUS 1024

const volatile __u8 cfg_cpu_filter = 0;
const volatile __u8 cfg_cpus[KSD_MAX_CPUS / 8] = {}; /* bitmap of traced CPUs */
const volatile __u64 cfg_threshold_ns = 100000;      /* "high latency" above this */
const volatile __u8 cfg_events = 0;                  /* --verbose: one event per pair */

struct ksd_key {
    __u32 cpu; /* CPU the thread was woken for (wake-ups) or ran on (runs, samples) */
    __u32 pid; /* the ksoftirqd thread */
};

struct ksd_val {
    struct nt_hist hist; /* wake-up -> run delay, log2 of microseconds */
    __u64 wakeups;       /* sched_wakeup of this thread for this CPU */
    __u64 runs;          /* sched_switch onto this CPU */
    __u64 pairs;         /* runs that closed a wake-up: the histogram's samples */
    __u64 high;          /* pairs above cfg_threshold_ns */
    __u64 sum_ns;
    __u64 max_ns;
    char comm[NT_TASK_COMM_LEN];
};

struct ksd_event {
    __u64 wakeup_ns; /* bpf_ktime_get_ns() (CLOCK_MONOTONIC) at sched_wakeup */
    __u64 run_ns;    /* ... at the sched_switch that ran it */
    __u64 latency_ns;
    __u32 cpu;
    __u32 pid;
    __u32 wake_cpu; /* CPU that issued the wake-up */
    __u32 _pad;
    char comm[NT_TASK_COMM_LEN];
};
NT_EXPORT_TYPE(struct ksd_event, ksd_event);

struct ksd_pending {
    __u64 ts;
    __u32 wake_cpu;
    __u32 _pad;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4096);
    __type(key, struct ksd_key);
    __type(value, struct ksd_val);
} stats SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4096);
    __type(key, __u32); /* pid */
    __type(value, struct ksd_pending);
} pending SEC(".maps");

/* A zeroed value to create entries from (struct ksd_val is too large for the BPF stack). */
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct ksd_val);
} zero SEC(".maps");

/* Updates that found the stats table full: never silently missing. */
enum ksd_counter { KSD_UNTRACKED, KSD_COUNTERS };
NT_COUNTERS(ksd_counter, KSD_COUNTERS);

static __always_inline bool cpu_traced(__u32 cpu) {
    if (!cfg_cpu_filter)
        return true;
    if (cpu >= KSD_MAX_CPUS)
        return false;
    return cfg_cpus[cpu / 8] & (1 << (cpu % 8));
}

static __always_inline struct ksd_val *stats_of(__u32 cpu, __u32 pid, const char *comm) {
    struct ksd_key key = {.cpu = cpu, .pid = pid};
    struct ksd_val *val = bpf_map_lookup_elem(&stats, &key);
    if (val)
        return val;
    __u32 k = 0;
    struct ksd_val *z = bpf_map_lookup_elem(&zero, &k);
    if (!z)
        return 0;
    val = nt_map_lookup_or_init(&stats, &key, z);
    if (!val) {
        nt_count(KSD_UNTRACKED, 1);
        return 0;
    }
    __builtin_memcpy(val->comm, comm, NT_TASK_COMM_LEN);
    return val;
}

static __always_inline bool is_ksoftirqd(const char *comm) {
    return nt_comm_has_prefix(comm, "ksoftirqd/");
}

static __always_inline int on_wakeup(__u32 pid, __u32 target_cpu, const char *comm) {
    if (!cpu_traced(target_cpu))
        return 0;
    struct ksd_pending p = {.ts = bpf_ktime_get_ns(), .wake_cpu = bpf_get_smp_processor_id()};
    bpf_map_update_elem(&pending, &pid, &p, BPF_ANY);
    struct ksd_val *val = stats_of(target_cpu, pid, comm);
    if (val)
        __sync_fetch_and_add(&val->wakeups, 1);
    return 0;
}

static __always_inline int on_switch(void *ctx, __u32 prev_pid, bool prev_ksd, __u32 next_pid,
                                     bool next_ksd, const char *next_comm) {
    if (prev_ksd)
        bpf_map_delete_elem(&pending, &prev_pid);
    if (!next_ksd)
        return 0;
    __u32 cpu = bpf_get_smp_processor_id();
    if (!cpu_traced(cpu))
        return 0;
    __u64 now = bpf_ktime_get_ns();
    struct ksd_val *val = stats_of(cpu, next_pid, next_comm);
    if (val)
        __sync_fetch_and_add(&val->runs, 1);
    struct ksd_pending *p = bpf_map_lookup_elem(&pending, &next_pid);
    if (!p)
        return 0;
    __u64 wakeup = p->ts;
    __u32 wake_cpu = p->wake_cpu;
    bpf_map_delete_elem(&pending, &next_pid);
    __u64 lat = now - wakeup;
    if (val) {
        nt_hist_add(&val->hist, lat / 1000);
        __sync_fetch_and_add(&val->pairs, 1);
        __sync_fetch_and_add(&val->sum_ns, lat);
        if (lat > cfg_threshold_ns)
            __sync_fetch_and_add(&val->high, 1);
        if (lat > val->max_ns)
            val->max_ns = lat;
    }
    if (cfg_events) {
        struct ksd_event *e = nt_event_reserve(sizeof(*e));
        if (e) {
            e->wakeup_ns = wakeup;
            e->run_ns = now;
            e->latency_ns = lat;
            e->cpu = cpu;
            e->pid = next_pid;
            e->wake_cpu = wake_cpu;
            e->_pad = 0;
            __builtin_memcpy(e->comm, next_comm, NT_TASK_COMM_LEN);
            nt_event_submit(ctx, e);
        }
    }
    return 0;
}

/* Typed hooks (tp_btf, raw_tp): a ksoftirqd thread is a kernel thread named "ksoftirqd/N". */
static __always_inline int wakeup_task(struct task_struct *p) {
    char comm[NT_TASK_COMM_LEN];
    nt_task_comm(p, comm);
    if (!is_ksoftirqd(comm) || !nt_task_is_kthread(p))
        return 0;
    return on_wakeup(nt_task_tid(p), nt_task_cpu(p), comm);
}

static __always_inline int switch_task(void *ctx, struct task_struct *prev,
                                       struct task_struct *next) {
    char prev_comm[NT_TASK_COMM_LEN], next_comm[NT_TASK_COMM_LEN];
    nt_task_comm(prev, prev_comm);
    nt_task_comm(next, next_comm);
    bool prev_ksd = is_ksoftirqd(prev_comm) && nt_task_is_kthread(prev);
    bool next_ksd = is_ksoftirqd(next_comm) && nt_task_is_kthread(next);
    return on_switch(ctx, nt_task_tid(prev), prev_ksd, nt_task_tid(next), next_ksd, next_comm);
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(nt_ksd_wk_btf, struct task_struct *p) {
    return wakeup_task(p);
}

SEC("raw_tp/sched_wakeup")
int BPF_PROG(nt_ksd_wk_raw, struct task_struct *p) {
    return wakeup_task(p);
}

NT_SCHED_SWITCH_PROGRAMS(nt_ksd_sw_btf, nt_ksd_sw_raw, switch_task)

/* Classic tracepoints carry comm and pid only: the kernel-thread check is not possible there.
 * Their record is read with CO-RE probe reads (the ctx pointer cannot be offset by relocations). */
SEC("tracepoint/sched/sched_wakeup")
int nt_ksd_wk_tp(struct trace_event_raw_sched_wakeup_template *args) {
    char comm[NT_TASK_COMM_LEN];
    bpf_core_read(comm, sizeof(comm), &args->comm);
    if (!is_ksoftirqd(comm))
        return 0;
    return on_wakeup(BPF_CORE_READ(args, pid), BPF_CORE_READ(args, target_cpu), comm);
}

SEC("tracepoint/sched/sched_switch")
int nt_ksd_sw_tp(struct trace_event_raw_sched_switch *args) {
    char prev_comm[NT_TASK_COMM_LEN], next_comm[NT_TASK_COMM_LEN];
    bpf_core_read(prev_comm, sizeof(prev_comm), &args->prev_comm);
    bpf_core_read(next_comm, sizeof(next_comm), &args->next_comm);
    return on_switch(args, BPF_CORE_READ(args, prev_pid), is_ksoftirqd(prev_comm),
                     BPF_CORE_READ(args, next_pid), is_ksoftirqd(next_comm), next_comm);
}
