/* SPDX-License-Identifier: GPL-2.0 */
/* Task helpers for scheduler hooks (sched_switch, sched_wakeup, ...): every field read is CO-RE,
 * and the version differences are resolved at load time:
 *  - task_struct.state was renamed __state (and became unsigned int) in 5.14;
 *  - the task's CPU lives in thread_info.cpu (5.16+ with THREAD_INFO_IN_TASK), before that in
 *    task_struct.cpu;
 *  - PF_KTHREAD is a macro, so it is not in BTF: defined here from include/linux/sched.h. */
#pragma once
#include "common.bpf.h"

#define NT_PF_KTHREAD 0x00200000 /* include/linux/sched.h, unchanged since 2.6 */
#define NT_TASK_RUNNING 0x0000
#define NT_TASK_INTERRUPTIBLE 0x0001
#define NT_TASK_UNINTERRUPTIBLE 0x0002

/* Kernels before 5.14 call the field `state` (a long). */
struct task_struct___nt_pre514 {
    long state;
} __attribute__((preserve_access_index));

/* Kernels before 5.16 keep the CPU in task_struct.cpu. */
struct task_struct___nt_pre516 {
    unsigned int cpu;
} __attribute__((preserve_access_index));

/* The task's scheduler state (TASK_RUNNING = 0, TASK_INTERRUPTIBLE = 1, ...). */
static __always_inline __u32 nt_task_state(struct task_struct *t) {
    if (bpf_core_field_exists(t->__state))
        return BPF_CORE_READ(t, __state);
    struct task_struct___nt_pre514 *old = (void *)t;
    return (__u32)BPF_CORE_READ(old, state);
}

static __always_inline bool nt_task_is_kthread(struct task_struct *t) {
    return BPF_CORE_READ(t, flags) & NT_PF_KTHREAD;
}

/* The CPU the task last ran on / is queued on (task_cpu()). */
static __always_inline __u32 nt_task_cpu(struct task_struct *t) {
    struct task_struct___nt_pre516 *old = (void *)t;
    if (bpf_core_field_exists(old->cpu))
        return BPF_CORE_READ(old, cpu);
    return BPF_CORE_READ(t, thread_info.cpu);
}

/* Thread id (the kernel's pid) and thread-group id (the user-visible pid). */
static __always_inline __u32 nt_task_tid(struct task_struct *t) {
    return BPF_CORE_READ(t, pid);
}

static __always_inline __u32 nt_task_tgid(struct task_struct *t) {
    return BPF_CORE_READ(t, tgid);
}

/* Boot-based start time in ns: with the tid it identifies a task even after its tid is reused. */
static __always_inline __u64 nt_task_start_ns(struct task_struct *t) {
    return BPF_CORE_READ(t, start_time);
}

/* `comm` must hold NT_TASK_COMM_LEN bytes (an array parameter decays to a pointer, so the size is
 * explicit here rather than sizeof-derived as in BPF_CORE_READ_STR_INTO). */
static __always_inline void nt_task_comm(struct task_struct *t, char *comm) {
    bpf_core_read_str(comm, NT_TASK_COMM_LEN, &t->comm);
}

/* Does a comm (NUL-terminated, at most 16 bytes) start with `prefix` (a string literal)? */
#define nt_comm_has_prefix(comm, prefix) nt_str_prefix((comm), (prefix), sizeof(prefix) - 1)

static __always_inline bool nt_str_prefix(const char *s, const char *prefix, __u32 n) {
#pragma unroll
    for (__u32 i = 0; i < NT_TASK_COMM_LEN; i++) {
        if (i >= n)
            return true;
        if (s[i] != prefix[i])
            return false;
    }
    return n <= NT_TASK_COMM_LEN;
}

/* The typed sched_switch programs (tp_btf, then raw_tp for kernels whose tp_btf is refused), both
 * thin wrappers over worker(ctx, prev, next). The classic tracepoint has no task pointers, so each
 * plugin writes that one itself. */
#define NT_SCHED_SWITCH_PROGRAMS(btf_name, raw_name, worker)                                       \
    SEC("tp_btf/sched_switch")                                                                     \
    int BPF_PROG(btf_name, bool preempt, struct task_struct *prev, struct task_struct *next) {     \
        return worker(ctx, prev, next);                                                            \
    }                                                                                              \
    SEC("raw_tp/sched_switch")                                                                     \
    int BPF_PROG(raw_name, bool preempt, struct task_struct *prev, struct task_struct *next) {     \
        return worker(ctx, prev, next);                                                            \
    }
