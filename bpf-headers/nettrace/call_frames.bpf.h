/* SPDX-License-Identifier: GPL-2.0 */
/* Entry/return pairs of one kernel function: a small per-thread LIFO of per-call records, so the
 * return program (a kretprobe sees only the return value) finds the record its own entry pushed,
 * also when calls nest on one thread (a tunnel's transmit inside the outer device's transmit, a
 * softirq running on the interrupted task). A hook that fires inside the call (a tracepoint) fills
 * the top record.
 *
 *   struct my_frame { ... };
 *   NT_CALL_FRAMES(xmit_frames, struct my_frame)
 *   entry:   struct my_frame *f = xmit_frames_push();   (NULL past NT_CALL_DEPTH: still counted)
 *   inside:  struct my_frame *f = xmit_frames_top();
 *   return:  struct my_frame f; if (xmit_frames_pop(&f) == 0) ...f is this call's record...
 *
 * Threads are keyed by pid_tgid; the idle tasks of all CPUs share pid_tgid 0 (a softirq that
 * interrupts idle runs as it), so for them the key is the CPU instead, and two CPUs in softirq at
 * once never share a stack. The map holds only threads that are inside a traced call (a thread's
 * entry is deleted when its outermost call returns), and it is an LRU so that a return that never
 * fired (kretprobe instances exhausted) cannot keep an entry forever. pop() returns -1 for a return
 * without a pushed entry (the program attached mid-call) and -2 for a call nested too deep to be
 * recorded.
 */
#pragma once
#include "common.bpf.h"

#define NT_CALL_DEPTH 8 /* a power of 2: indexes are masked with it */

/* An index into frames[] that the verifier can see is in bounds: masked, behind a barrier so the
 * compiler does not drop a mask it can prove redundant (the 6.1 verifier needs to see it). */
#define NT_FRAME_INDEX(i)                                                                          \
    ({                                                                                             \
        __u32 __i = (i);                                                                           \
        asm volatile("" : "+r"(__i));                                                              \
        __i &(NT_CALL_DEPTH - 1);                                                                  \
    })

/* The stack's key: the thread, or for the idle tasks (pid_tgid 0) the CPU, above every pid_tgid. */
static __always_inline __u64 nt_call_frames_key(void) {
    __u64 tid = bpf_get_current_pid_tgid();
    return tid ? tid : (1ULL << 63) | bpf_get_smp_processor_id();
}

#define NT_CALL_FRAMES(name, frame_type)                                                           \
    struct name##_stack {                                                                          \
        __u32 depth;                                                                               \
        __u32 _pad;                                                                                \
        frame_type frames[NT_CALL_DEPTH];                                                          \
    };                                                                                             \
    struct {                                                                                       \
        __uint(type, BPF_MAP_TYPE_LRU_HASH);                                                       \
        __uint(max_entries, 4096);                                                                 \
        __type(key, __u64);                                                                        \
        __type(value, struct name##_stack);                                                        \
    } name SEC(".maps");                                                                           \
    const struct name##_stack name##_empty = {};                                                   \
    static __always_inline frame_type *name##_push(void) {                                         \
        __u64 tid = nt_call_frames_key();                                                          \
        struct name##_stack *s = bpf_map_lookup_elem(&name, &tid);                                 \
        if (!s) {                                                                                  \
            bpf_map_update_elem(&name, &tid, &name##_empty, BPF_NOEXIST);                          \
            s = bpf_map_lookup_elem(&name, &tid);                                                  \
            if (!s)                                                                                \
                return NULL;                                                                       \
        }                                                                                          \
        __u32 d = s->depth++;                                                                      \
        if (d >= NT_CALL_DEPTH)                                                                    \
            return NULL;                                                                           \
        d = NT_FRAME_INDEX(d);                                                                     \
        __builtin_memset(&s->frames[d], 0, sizeof(frame_type));                                    \
        return &s->frames[d];                                                                      \
    }                                                                                              \
    static __always_inline frame_type *name##_top(void) {                                          \
        __u64 tid = nt_call_frames_key();                                                          \
        struct name##_stack *s = bpf_map_lookup_elem(&name, &tid);                                 \
        if (!s)                                                                                    \
            return NULL;                                                                           \
        __u32 depth = s->depth;                                                                    \
        if (depth == 0 || depth > NT_CALL_DEPTH)                                                   \
            return NULL;                                                                           \
        return &s->frames[NT_FRAME_INDEX(depth - 1)];                                              \
    }                                                                                              \
    static __always_inline int name##_pop(frame_type *out) {                                       \
        __u64 tid = nt_call_frames_key();                                                          \
        struct name##_stack *s = bpf_map_lookup_elem(&name, &tid);                                 \
        if (!s || s->depth == 0)                                                                   \
            return -1;                                                                             \
        __u32 d = --s->depth;                                                                      \
        int r = -2;                                                                                \
        if (d < NT_CALL_DEPTH) {                                                                   \
            __builtin_memcpy(out, &s->frames[NT_FRAME_INDEX(d)], sizeof(frame_type));              \
            r = 0;                                                                                 \
        }                                                                                          \
        if (d == 0)                                                                                \
            bpf_map_delete_elem(&name, &tid);                                                      \
        return r;                                                                                  \
    }
