/* SPDX-License-Identifier: GPL-2.0 */
/* offcputime-ts: where do threads spend time blocked off-CPU? At sched_switch the task leaving the
 * CPU (prev, still `current`) is stamped with the time and its kernel and user stacks; when it is
 * switched in again the off-CPU time is added to (pid, tid, stacks, comm). Sums are kept in ns (no
 * sub-microsecond loss), and a stamp is only used by the same task (tid + start time: a reused
 * tid never inherits a stale stamp). Hooks: tp_btf, else raw_tp, else the classic tracepoint. */
#define NT_STACK_ENTRIES 16384
#include "filter.bpf.h"
#include "counters.bpf.h"
#include "sched.bpf.h"
#include "stack.bpf.h"

/* BCC's -p/-t lists: the first cfg_npids/cfg_ntids entries are the wanted tgids/tids. */
#define NT_OCT_IDS 16
const volatile __u32 cfg_pids[NT_OCT_IDS] = {};
const volatile __u32 cfg_npids = 0;
const volatile __u32 cfg_tids[NT_OCT_IDS] = {};
const volatile __u32 cfg_ntids = 0;
const volatile __u8 cfg_user_threads_only = 0;
const volatile __u8 cfg_kernel_threads_only = 0;
const volatile __u8 cfg_kernel_stacks = 1;
const volatile __u8 cfg_user_stacks = 1;
const volatile __u8 cfg_state_filter = 0;
const volatile __u32 cfg_state = 0; /* 0: only preempted (TASK_RUNNING) switches; else a mask */
const volatile __u64 cfg_min_ns = 1000;
const volatile __u64 cfg_max_ns = ~0ULL;

struct offcpu_start {
    __u64 ts;
    __u64 task_start; /* task start time: the stamp's owner */
    __s32 kstack;
    __s32 ustack;
    __u32 tgid;
    __u32 _pad;
    char comm[NT_TASK_COMM_LEN];
};

struct offcpu_key {
    __u32 tgid;
    __u32 tid;
    __s32 kstack; /* stack ids in `stacks`; negative: not captured (-1) or an error */
    __s32 ustack;
    char comm[NT_TASK_COMM_LEN];
};

struct offcpu_val {
    __u64 total_ns;
    __u64 blocks;
    __u64 max_ns;
    __u64 first_ns; /* CLOCK_MONOTONIC ns when the first counted block ended */
    __u64 last_ns;  /* ... and the last */
};

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 16384);
    __type(key, __u32); /* tid */
    __type(value, struct offcpu_start);
} start SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 10240);
    __type(key, struct offcpu_key);
    __type(value, struct offcpu_val);
} counts SEC(".maps");

/* Blocks that passed the filters but found the table full: never silently missing. */
enum oct_counter { OCT_UNTRACKED, OCT_COUNTERS };
NT_COUNTERS(oct_counter, OCT_COUNTERS);

static __always_inline bool listed(const volatile __u32 *ids, __u32 n, __u32 id) {
#pragma unroll
    for (int i = 0; i < NT_OCT_IDS; i++)
        if (i < n && ids[i] == id)
            return true;
    return false;
}

static __always_inline bool prev_wanted(__u32 tid, __u32 tgid, bool kthread, __u32 state) {
    if (!tid) /* the idle task */
        return false;
    if (cfg_npids && !listed(cfg_pids, cfg_npids, tgid))
        return false;
    if (cfg_ntids && !listed(cfg_tids, cfg_ntids, tid))
        return false;
    if (cfg_user_threads_only && kthread)
        return false;
    if (cfg_kernel_threads_only && !kthread)
        return false;
    if (cfg_state_filter && (cfg_state ? !(state & cfg_state) : state != NT_TASK_RUNNING))
        return false;
    return true;
}

/* prev is `current`: its stacks are the ones it blocks in. */
static __always_inline void stamp_prev(void *ctx, __u32 tid, __u32 tgid, __u64 task_start,
                                       bool kthread, __u64 now) {
    struct offcpu_start s = {
        .ts = now, .task_start = task_start, .tgid = tgid, .kstack = -1, .ustack = -1};
    if (cfg_kernel_stacks)
        s.kstack = nt_kernel_stack(ctx);
    if (cfg_user_stacks && !kthread)
        s.ustack = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
    bpf_get_current_comm(s.comm, sizeof(s.comm));
    bpf_map_update_elem(&start, &tid, &s, BPF_ANY);
}

static __always_inline void account_next(__u32 tid, __u64 task_start, __u64 now) {
    struct offcpu_start *s = bpf_map_lookup_elem(&start, &tid);
    if (!s)
        return;
    bool same_task = !task_start || s->task_start == task_start;
    __u64 delta = now - s->ts;
    struct offcpu_key key = {.tgid = s->tgid, .tid = tid, .kstack = s->kstack, .ustack = s->ustack};
    __builtin_memcpy(key.comm, s->comm, sizeof(key.comm));
    bpf_map_delete_elem(&start, &tid);
    if (!same_task || delta < cfg_min_ns || delta > cfg_max_ns)
        return;
    struct offcpu_val first = {.first_ns = now};
    struct offcpu_val *val = nt_map_lookup_or_init(&counts, &key, &first);
    if (!val) {
        nt_count(OCT_UNTRACKED, 1);
        return;
    }
    /* A task is switched in on one CPU at a time: its own entry is not updated concurrently. */
    val->total_ns += delta;
    val->blocks += 1;
    if (delta > val->max_ns)
        val->max_ns = delta;
    val->last_ns = now;
}

static __always_inline int switch_tasks(void *ctx, struct task_struct *prev,
                                        struct task_struct *next) {
    __u64 now = bpf_ktime_get_ns();
    __u32 tid = nt_task_tid(prev), tgid = nt_task_tgid(prev);
    bool kthread = nt_task_is_kthread(prev);
    if (prev_wanted(tid, tgid, kthread, cfg_state_filter ? nt_task_state(prev) : 0))
        stamp_prev(ctx, tid, tgid, nt_task_start_ns(prev), kthread, now);
    account_next(nt_task_tid(next), nt_task_start_ns(next), now);
    return 0;
}

NT_SCHED_SWITCH_PROGRAMS(nt_oct_btf, nt_oct_raw, switch_tasks)

/* The classic tracepoint has no task pointers: prev is `current`; next is known by tid only. */
SEC("tracepoint/sched/sched_switch")
int nt_oct_tp(struct trace_event_raw_sched_switch *args) {
    __u64 now = bpf_ktime_get_ns();
    struct task_struct *prev = (struct task_struct *)bpf_get_current_task();
    __u32 tid = nt_task_tid(prev), tgid = nt_task_tgid(prev);
    bool kthread = nt_task_is_kthread(prev);
    /* The state comes from the task as on the typed paths (the record's prev_state is a report
     * encoding: preempted tasks carry a TASK_REPORT_MAX bit, idle kthreads TASK_REPORT_IDLE). */
    if (prev_wanted(tid, tgid, kthread, cfg_state_filter ? nt_task_state(prev) : 0))
        stamp_prev(args, tid, tgid, nt_task_start_ns(prev), kthread, now);
    account_next(BPF_CORE_READ(args, next_pid), 0, now);
    return 0;
}
