/* SPDX-License-Identifier: GPL-2.0 */
/* vhost-eventfd-count: how often does each vhost virtqueue interrupt its guest, per (virtqueue,
 * call eventfd)? Counted in the kernel at every vhost_add_used_and_signal_n(): the call (buffers
 * returned), and whether it really signalled the call eventfd (vhost_signal.bpf.h: the eventfd
 * the guest's interrupt travels through, e.g. a KVM irqfd). A virtqueue whose backend is a tap
 * queue is named by it (device, queue, rx/tx); --interface / --queue keep only those. */
#include "netdev.bpf.h"
#include "counters.bpf.h"
#include "modules/tun_queue.bpf.h"
#include "modules/vhost_signal.bpf.h"

#define ROLE_UNKNOWN 0xff /* not a vhost_net queue with a tap backend */

/* Addresses are reused once a device is freed: the tap queue in the key keeps a new device's
 * virtqueue apart from an old one's that had the same address. */
struct vq_key {
    const void *vq;
    const void *eventfd;       /* the call eventfd at the time (NULL: none set) */
    struct nt_tun_queue queue; /* its tap queue, when role != ROLE_UNKNOWN (else zero) */
    __u8 role;                 /* NT_VHOST_NET_VQ_RX (host to guest), _TX, or ROLE_UNKNOWN */
    __u8 _pad[3];
};

struct vq_counts {
    __u64 calls;   /* vhost_add_used_and_signal_n calls */
    __u64 signals; /* of those, the ones that signalled the eventfd */
    __u64 used;    /* buffers returned to the guest */
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, struct vq_key);
    __type(value, struct vq_counts);
} vqs SEC(".maps");

enum vec_counter { C_CALLS, C_SIGNALS, C_UNTRACKED, C_MAX };
NT_COUNTERS(vec_counter, C_MAX);

/* Only virtqueues of the chosen tap queue when a device or queue filter is set. */
static __always_inline bool wanted(struct vhost_virtqueue___nt *vq) {
    if (!cfg_ifindex && !cfg_netns_ino && !cfg_queue_set)
        return true;
    struct nt_tun_queue q;
    __u8 role;
    return nt_vq_tun_queue(vq, &q, &role);
}

static __always_inline int on_enter(void *ctx, struct vhost_dev___nt *dev,
                                    struct vhost_virtqueue___nt *vq, void *heads, __u32 count) {
    if (wanted(vq))
        nt_signal_enter(vq, count);
    return 0;
}

static const struct vq_counts zero_counts;

static __always_inline struct vq_counts *counts_of(struct nt_signal_call *call) {
    struct vq_key key = {.vq = call->vq, .eventfd = call->call_ctx};
    if (!nt_vq_tun_queue((struct vhost_virtqueue___nt *)call->vq, &key.queue, &key.role)) {
        __builtin_memset(&key.queue, 0, sizeof(key.queue));
        key.role = ROLE_UNKNOWN;
    }
    return nt_map_lookup_or_init(&vqs, &key, &zero_counts);
}

static __always_inline int on_exit(void *ctx) {
    struct nt_signal_call call;
    if (!nt_signal_take(&call))
        return 0;
    nt_count(C_CALLS, 1);
    nt_count(C_SIGNALS, call.signalled);
    struct vq_counts *c = counts_of(&call);
    if (!c) {
        nt_count(C_UNTRACKED, 1);
        return 0;
    }
    __sync_fetch_and_add(&c->calls, 1);
    __sync_fetch_and_add(&c->signals, call.signalled);
    __sync_fetch_and_add(&c->used, call.count);
    return 0;
}

NT_VHOST_SIGNAL_PROGRAMS(nt_vec_sig_fe, nt_vec_sig_kp, nt_vec_sig_fx, nt_vec_sig_kr, on_enter,
                         on_exit)
NT_EVENTFD_SIGNAL_PROGRAMS()
