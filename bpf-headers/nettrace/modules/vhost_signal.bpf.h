/* SPDX-License-Identifier: GPL-2.0 */
/* vhost's interrupt decision, observed. vhost_add_used_and_signal_n(dev, vq, heads, count) returns
 * `count` used buffers to the guest, then calls vhost_signal(): the guest is interrupted through
 * the vq's call eventfd when there is one and vhost_notify() says the guest wants it
 * (VRING_AVAIL_F_NO_INTERRUPT unset, or, with EVENT_IDX, the used index passed the guest's
 * used_event). On Debian's 6.1 and 6.12 vhost_signal is inlined into vhost_add_used_and_signal_n
 * and vhost_notify exists only as a compiler clone (vhost_notify.constprop.0) whose arguments
 * cannot be trusted, so the verdict is read where it takes effect: an eventfd_signal() of the
 * vq's call eventfd, by the same thread, inside the call.
 *   entry   nt_signal_enter(vq, count): records the call for this thread (vq state before it)
 *   eventfd nt_signal_eventfd(ctx):      marks the record when ctx is its call eventfd
 *   exit    nt_signal_take(out):         the finished record (removed)
 * The programs: NT_VHOST_SIGNAL_PROGRAMS (entry and exit, fentry/fexit else kprobe/kretprobe)
 * and NT_EVENTFD_SIGNAL_PROGRAMS (eventfd_signal, or eventfd_signal_mask where eventfd_signal
 * is inlined, 6.12); on the TypeScript side vhostSignalHooks() from @nettrace/core. */
#pragma once
#include "modules/tun_queue.bpf.h"

struct nt_signal_call {
    const void *vq;       /* pointers are exported as addresses (bigint in TypeScript) */
    const void *call_ctx; /* the vq's call eventfd at entry; NULL: vhost cannot interrupt */
    __u64 entry_ns;
    __u32 count;    /* used buffers returned by this call */
    __u8 signalled; /* eventfd_signal(call_ctx) happened: the guest gets an interrupt */
    __u8 _pad[3];
    struct nt_vq_state before; /* at entry */
};

/* One record per thread inside the call; LRU so that a lost exit cannot fill the table. */
struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 1024);
    __type(key, __u32);
    __type(value, struct nt_signal_call);
} nt_signal_calls SEC(".maps");

static __always_inline void nt_signal_enter(struct vhost_virtqueue___nt *vq, __u32 count) {
    __u32 tid = nt_tid();
    struct nt_signal_call call = {};
    call.vq = vq;
    call.call_ctx = nt_vq_call_ctx(vq);
    call.entry_ns = bpf_ktime_get_ns();
    call.count = count;
    nt_vq_snapshot(vq, &call.before);
    bpf_map_update_elem(&nt_signal_calls, &tid, &call, BPF_ANY);
}

static __always_inline void nt_signal_eventfd(void *eventfd_ctx) {
    __u32 tid = nt_tid();
    struct nt_signal_call *call = bpf_map_lookup_elem(&nt_signal_calls, &tid);
    if (call && call->call_ctx && call->call_ctx == eventfd_ctx)
        call->signalled = 1;
}

/* Copies this thread's finished call into *out and forgets it; false when there is none (the
 * entry was filtered out or not seen). */
static __always_inline bool nt_signal_take(struct nt_signal_call *out) {
    __u32 tid = nt_tid();
    struct nt_signal_call *call = bpf_map_lookup_elem(&nt_signal_calls, &tid);
    if (!call)
        return false;
    __builtin_memcpy(out, call, sizeof(*out));
    bpf_map_delete_elem(&nt_signal_calls, &tid);
    return true;
}

/* An entry worker for the tools that follow tap queues: records the call when vq serves a tap
 * queue that passes the --interface / --queue filters (tun_queue.bpf.h). */
static __always_inline int nt_signal_enter_tap(void *ctx, struct vhost_dev___nt *dev,
                                               struct vhost_virtqueue___nt *vq, void *heads,
                                               __u32 count) {
    struct nt_tun_queue q;
    __u8 role;
    if (nt_vq_tun_queue(vq, &q, &role))
        nt_signal_enter(vq, count);
    return 0;
}

/* vhost_add_used_and_signal_n (module vhost): entry programs call enter(ctx, dev, vq, heads,
 * count), exit programs exit(ctx). */
#define NT_VHOST_SIGNAL_PROGRAMS(fentry_name, kprobe_name, fexit_name, kretprobe_name, enter,      \
                                 exit)                                                             \
    NT_VHOST_SIGNAL_ENTRY_PROGRAMS(fentry_name, kprobe_name, enter)                                \
    NT_FUNCTION_EXIT_VOID_PROGRAMS(vhost_add_used_and_signal_n, fexit_name, kretprobe_name, exit)

static __always_inline int nt_signal_eventfd_worker(void *ctx, struct eventfd_ctx *efd) {
    nt_signal_eventfd(efd);
    return 0;
}

/* eventfd_signal(ctx, n) (5.10, 6.1), or eventfd_signal_mask(ctx, ...) where eventfd_signal is
 * an inline wrapper (6.12): the first argument is the eventfd in both. Fixed program names, as
 * vhostSignalHooks() declares them. */
#define NT_EVENTFD_SIGNAL_PROGRAMS()                                                               \
    NT_FUNCTION_PROGRAMS(eventfd_signal, nt_efd_sig_fe, nt_efd_sig_kp, nt_signal_eventfd_worker,   \
                         struct eventfd_ctx *, efd)                                                \
    NT_FUNCTION_PROGRAMS(eventfd_signal_mask, nt_efd_msk_fe, nt_efd_msk_kp,                        \
                         nt_signal_eventfd_worker, struct eventfd_ctx *, efd)
