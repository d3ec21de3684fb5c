/* SPDX-License-Identifier: GPL-2.0 */
/* vhost-queue-correlation: every interrupt decision vhost makes for a tap queue's virtqueues.
 * One event per vhost_add_used_and_signal_n() call: the virtqueue's indices and notification
 * state before and after the call (used buffers added, signalled_used updated by vhost_notify()
 * with EVENT_IDX), and the verdict, observed where it takes effect: whether the call signalled the
 * virtqueue's call eventfd, i.e. whether the guest gets an interrupt (vhost_signal.bpf.h). */
#include "netdev.bpf.h"
#include "buffer.bpf.h"
#include "modules/vhost_signal.bpf.h"

struct event {
    __u64 entry_ns;
    __u64 exit_ns;
    const void *vq;
    const void *eventfd; /* the call eventfd (NULL: none, vhost cannot interrupt) */
    __u32 pid;
    __u32 tid;
    char comm[NT_TASK_COMM_LEN];
    struct nt_tun_queue queue;
    __u32 count;    /* used buffers this call returned */
    __u8 role;      /* NT_VHOST_NET_VQ_RX (host to guest) or _TX */
    __u8 signalled; /* the call eventfd was signalled: the guest is interrupted */
    __u8 _pad[2];
    struct nt_vq_state before;
    struct nt_vq_state after;
};
NT_EXPORT_TYPE(struct event, event);

static __always_inline int on_exit(void *ctx) {
    struct nt_signal_call call;
    if (!nt_signal_take(&call))
        return 0;
    struct event *e = nt_event_reserve(sizeof(*e));
    if (!e)
        return 0;
    struct vhost_virtqueue___nt *vq = (struct vhost_virtqueue___nt *)call.vq;
    if (!nt_vq_tun_queue(vq, &e->queue, &e->role)) {
        /* The backend went away during the call: the event still says what was decided. */
        __builtin_memset(&e->queue, 0, sizeof(e->queue));
        e->role = 0xff;
    }
    e->entry_ns = call.entry_ns;
    e->exit_ns = bpf_ktime_get_ns();
    e->vq = call.vq;
    e->eventfd = call.call_ctx;
    e->pid = nt_tgid();
    e->tid = nt_tid();
    bpf_get_current_comm(e->comm, sizeof(e->comm));
    e->count = call.count;
    e->signalled = call.signalled;
    e->_pad[0] = e->_pad[1] = 0;
    e->before = call.before;
    nt_vq_snapshot(vq, &e->after);
    nt_event_submit(ctx, e);
    return 0;
}

NT_VHOST_SIGNAL_PROGRAMS(nt_vqc_sig_fe, nt_vqc_sig_kp, nt_vqc_sig_fx, nt_vqc_sig_kr,
                         nt_signal_enter_tap, on_exit)
NT_EVENTFD_SIGNAL_PROGRAMS()
