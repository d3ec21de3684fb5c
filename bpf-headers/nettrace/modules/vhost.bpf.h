/* SPDX-License-Identifier: GPL-2.0 */
/* vhost / vhost_net fields for CO-RE against module BTF (/sys/kernel/btf/vhost). Layouts differ
 * between kernels (call_ctx became struct vhost_vring_call in 5.8); flavors cover both. */
#pragma once
#include "common.bpf.h"

struct vhost_vring_call___nt {
    struct eventfd_ctx *ctx;
} __attribute__((preserve_access_index));

struct vhost_virtqueue___nt {
    unsigned int num;
    struct vhost_vring_call___nt call_ctx;
    __u16 last_avail_idx;
    __u16 avail_idx;
    __u16 last_used_idx;
    __u16 used_flags;
    __u16 signalled_used;
    bool signalled_used_valid;
    void *private_data;
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
