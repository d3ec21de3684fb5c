/* SPDX-License-Identifier: GPL-2.0 */
/* vhost / vhost_net fields for CO-RE against module BTF (/sys/kernel/btf/vhost, vhost_net) or an
 * external BTF (`nettrace btf build`). Layouts differ between kernels (call_ctx became struct
 * vhost_vring_call in 5.8; vhost_dev lost its worker and vhost_virtqueue gained one in 6.4);
 * only the fields below are relied on, and their offsets come from the running kernel's BTF.
 * test-kernel/fixtures/vhost-smoke checks on 5.10, 6.1 and 6.12 the values of: vq dev, num,
 * call_ctx (5.8+ branch), last_used_idx, private_data; vhost_dev vqs, nvqs; vhost_net dev,
 * vqs[i].vq. The other vhost_virtqueue fields and the pre-5.8 call_ctx branch are not yet checked
 * on a kernel. */
#pragma once
#include "function.bpf.h"

struct vhost_vring_call___nt {
    struct eventfd_ctx *ctx;
} __attribute__((preserve_access_index));

struct vhost_virtqueue___nt;

struct vhost_dev___nt {
    struct vhost_virtqueue___nt **vqs;
    int nvqs;
} __attribute__((preserve_access_index));

struct vhost_virtqueue___nt {
    struct vhost_dev___nt *dev;
    unsigned int num;
    struct vhost_vring_call___nt call_ctx;
    __u16 last_avail_idx;
    __u16 avail_idx;
    __u16 last_used_idx;
    __u16 used_flags;
    __u16 signalled_used;
    bool signalled_used_valid;
    void *private_data; /* the backend socket (vhost_net: the tap/tun socket); NULL when stopped */
    __u64 acked_features;
    __u32 busyloop_timeout;
} __attribute__((preserve_access_index));

/* Before 5.8 call_ctx was a plain eventfd pointer. */
struct vhost_virtqueue___nt_old {
    struct eventfd_ctx *call_ctx;
} __attribute__((preserve_access_index));

static __always_inline struct eventfd_ctx *nt_vq_call_ctx(struct vhost_virtqueue___nt *vq) {
    if (bpf_core_type_exists(struct vhost_vring_call___nt) &&
        bpf_core_field_exists(vq->call_ctx.ctx))
        return BPF_CORE_READ(vq, call_ctx.ctx);
    return BPF_CORE_READ((struct vhost_virtqueue___nt_old *)vq, call_ctx);
}

/* vhost_net (drivers/vhost/net.c): the device embeds its vhost_dev and one vhost_net_virtqueue
 * per direction, each embedding its vhost_virtqueue; dev->vqs[i] points at vqs[i].vq. */
#define NT_VHOST_NET_VQ_RX 0
#define NT_VHOST_NET_VQ_TX 1

struct vhost_net_virtqueue___nt {
    struct vhost_virtqueue___nt vq;
} __attribute__((preserve_access_index));

struct vhost_net___nt {
    struct vhost_dev___nt dev;
    struct vhost_net_virtqueue___nt vqs[2];
} __attribute__((preserve_access_index));

/* The vhost_net device a vhost_dev belongs to (only valid for devices vhost_net created). */
static __always_inline struct vhost_net___nt *nt_vhost_net_of_dev(struct vhost_dev___nt *dev) {
    return nt_container_of(dev, struct vhost_net___nt, dev);
}

/* &net->vqs[idx].vq, with the offset and element size of the running kernel. */
static __always_inline struct vhost_virtqueue___nt *nt_vhost_net_vq(struct vhost_net___nt *net,
                                                                    int idx) {
    return idx == NT_VHOST_NET_VQ_RX
               ? __builtin_preserve_access_index(&net->vqs[NT_VHOST_NET_VQ_RX].vq)
               : __builtin_preserve_access_index(&net->vqs[NT_VHOST_NET_VQ_TX].vq);
}

/* virtio feature bits vhost tests in acked_features (include/uapi/linux/virtio_*.h). */
#define NT_VIRTIO_F_NOTIFY_ON_EMPTY 24
#define NT_VIRTIO_RING_F_EVENT_IDX 29

/* A virtqueue's indices and notification state at one instant (unlocked reads, as vhost's own
 * worker sees them between its updates):
 *   avail_idx - last_avail_idx   buffers the guest made available that vhost has not taken yet
 *                                (avail_idx is vhost's cached copy of the guest's index)
 *   last_avail_idx - last_used_idx  buffers vhost took and has not returned (used) yet
 *   signalled_used(_valid)       the used index of the last interrupt, with EVENT_IDX
 * All index arithmetic is modulo 2^16, as in the virtio ring. */
struct nt_vq_state {
    __u16 last_avail_idx;
    __u16 avail_idx;
    __u16 last_used_idx;
    __u16 used_flags;
    __u16 signalled_used;
    __u8 signalled_used_valid;
    __u8 event_idx; /* VIRTIO_RING_F_EVENT_IDX negotiated: the guest asks for interrupts by index */
    __u32 num;      /* ring size */
    __u32 busyloop_timeout;
    __u64 acked_features;
};

static __always_inline void nt_vq_snapshot(struct vhost_virtqueue___nt *vq, struct nt_vq_state *s) {
    s->last_avail_idx = BPF_CORE_READ(vq, last_avail_idx);
    s->avail_idx = BPF_CORE_READ(vq, avail_idx);
    s->last_used_idx = BPF_CORE_READ(vq, last_used_idx);
    s->used_flags = BPF_CORE_READ(vq, used_flags);
    s->signalled_used = BPF_CORE_READ(vq, signalled_used);
    s->signalled_used_valid = BPF_CORE_READ(vq, signalled_used_valid);
    s->num = BPF_CORE_READ(vq, num);
    s->busyloop_timeout = BPF_CORE_READ(vq, busyloop_timeout);
    s->acked_features = BPF_CORE_READ(vq, acked_features);
    s->event_idx = (s->acked_features >> NT_VIRTIO_RING_F_EVENT_IDX) & 1;
}

/* Which queue of its vhost_net device vq is (NT_VHOST_NET_VQ_RX / _TX), or -1 when it is neither
 * (a vq of another vhost driver: only call this for vqs known to serve a vhost_net backend). */
static __always_inline int nt_vhost_net_vq_index(struct vhost_virtqueue___nt *vq) {
    struct vhost_net___nt *net = nt_vhost_net_of_dev(BPF_CORE_READ(vq, dev));
    if (vq == nt_vhost_net_vq(net, NT_VHOST_NET_VQ_RX))
        return NT_VHOST_NET_VQ_RX;
    if (vq == nt_vhost_net_vq(net, NT_VHOST_NET_VQ_TX))
        return NT_VHOST_NET_VQ_TX;
    return -1;
}

/* Programs on vhost_add_used_and_signal_n(dev, vq, heads, count) (module vhost), where vhost
 * returns `count` used buffers of vq to the guest and may interrupt it: each calls
 * worker(ctx, dev, vq, heads, count). TypeScript: functionHook(name,
 * 'vhost_add_used_and_signal_n'). For the interrupt verdict as well, see vhost_signal.bpf.h. */
#define NT_VHOST_SIGNAL_ENTRY_PROGRAMS(fentry_name, kprobe_name, worker)                           \
    NT_FUNCTION_PROGRAMS(vhost_add_used_and_signal_n, fentry_name, kprobe_name, worker,            \
                         struct vhost_dev___nt *, dev, struct vhost_virtqueue___nt *, vq, void *,  \
                         heads, unsigned int, count)
