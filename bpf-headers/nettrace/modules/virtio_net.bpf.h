/* SPDX-License-Identifier: GPL-2.0 */
/* virtio_net's private queue structures (drivers/net/virtio_net.c), declared for CO-RE: libbpf
 * relocates each access against the virtio_net module's BTF (/sys/kernel/btf/virtio_net, 5.11+).
 * struct virtqueue and struct virtio_device are vmlinux types and come from vmlinux.h.
 *
 * How the pieces hang together (the guest-side tools start from any of them):
 *   net_device --netdev_priv--> virtnet_info --rq[q] / sq[q]--> receive_queue / send_queue
 *   receive_queue / send_queue --vq--> virtqueue --vdev--> virtio_device --priv--> virtnet_info
 *   virtqueue->index: rx queue q is 2q, tx queue q is 2q+1, the control queue comes last
 *   napi_struct: embedded in its queue (virtnet_poll gets &rq->napi, virtnet_poll_tx &sq->napi)
 *
 * Every offset and size comes from the running kernel's BTF. The upstream tools' constants
 * (receive_queue = napi - 8, vdev->priv at +248, ...) are exactly what this header replaces. */
#pragma once
#include "common.bpf.h"
#include "netdev_priv.bpf.h"

/* Queue counters: plain u64 on 5.10 and 6.1, u64_stats_t (a local64_t) on later kernels (6.8 has
 * it, 6.5 not; 6.12 here).
 * Same names, different types: two flavors, told apart by bpf_core_field_exists (a field whose
 * type does not match the kernel's counts as absent). Only the counters tools read are listed. */
struct virtnet_rq_stats___nt {
    __u64 packets;
    __u64 bytes;
    __u64 drops;
    __u64 kicks;
} __attribute__((preserve_access_index));

struct virtnet_rq_stats___nt_u64s {
    u64_stats_t packets;
    u64_stats_t bytes;
    u64_stats_t drops;
    u64_stats_t kicks;
} __attribute__((preserve_access_index));

struct virtnet_sq_stats___nt {
    __u64 packets;
    __u64 bytes;
    __u64 kicks;
} __attribute__((preserve_access_index));

struct virtnet_sq_stats___nt_u64s {
    u64_stats_t packets;
    u64_stats_t bytes;
    u64_stats_t kicks;
} __attribute__((preserve_access_index));

struct receive_queue___nt {
    struct virtqueue *vq;
    struct napi_struct napi;
    struct virtnet_rq_stats___nt stats;
} __attribute__((preserve_access_index));

struct send_queue___nt {
    struct virtqueue *vq;
    struct virtnet_sq_stats___nt stats;
    struct napi_struct napi;
    bool reset; /* 6.0+: the queue is being reset (ethtool ring resize); absent on 5.10 */
} __attribute__((preserve_access_index));

struct virtnet_info___nt {
    struct virtio_device *vdev;
    struct virtqueue *cvq;
    struct net_device *dev;
    struct send_queue___nt *sq; /* arrays of max_queue_pairs */
    struct receive_queue___nt *rq;
    __u16 max_queue_pairs;
    __u16 curr_queue_pairs;
    __u16 xdp_queue_pairs;
} __attribute__((preserve_access_index));

/* The queue a napi_struct is embedded in (virtnet_poll: &rq->napi; virtnet_poll_tx: &sq->napi). */
static __always_inline struct receive_queue___nt *nt_virtnet_rq_of_napi(struct napi_struct *napi) {
    return nt_container_of(napi, struct receive_queue___nt, napi);
}

static __always_inline struct send_queue___nt *nt_virtnet_sq_of_napi(struct napi_struct *napi) {
    return nt_container_of(napi, struct send_queue___nt, napi);
}

/* The device a virtqueue belongs to: virtnet_probe() stores vi in vdev->priv. */
static __always_inline struct virtnet_info___nt *nt_virtnet_of_vq(struct virtqueue *vq) {
    return (struct virtnet_info___nt *)BPF_CORE_READ(vq, vdev, priv);
}

/* alloc_etherdev_mq(sizeof(struct virtnet_info), ...): the net_device's private area. */
static __always_inline struct virtnet_info___nt *nt_virtnet_of_netdev(struct net_device *dev) {
    return (struct virtnet_info___nt *)nt_netdev_priv(dev);
}

/* Queue pair of a data virtqueue (rx 2q, tx 2q+1; the control queue is 2*max_queue_pairs). */
static __always_inline __u32 nt_virtnet_vq_queue(struct virtqueue *vq) {
    return BPF_CORE_READ(vq, index) / 2;
}

static __always_inline bool nt_virtnet_vq_is_rx(struct virtqueue *vq) {
    return (BPF_CORE_READ(vq, index) & 1) == 0;
}

/* &vi->rq[q] and &vi->sq[q]: the element size is the kernel's, not this build's. The caller keeps
 * q below max_queue_pairs (both arrays have that many elements). */
static __always_inline struct receive_queue___nt *nt_virtnet_rq(struct virtnet_info___nt *vi,
                                                                __u32 q) {
    __u64 size = bpf_core_type_size(struct receive_queue___nt);
    return (struct receive_queue___nt *)((char *)BPF_CORE_READ(vi, rq) + q * size);
}

static __always_inline struct send_queue___nt *nt_virtnet_sq(struct virtnet_info___nt *vi,
                                                             __u32 q) {
    __u64 size = bpf_core_type_size(struct send_queue___nt);
    return (struct send_queue___nt *)((char *)BPF_CORE_READ(vi, sq) + q * size);
}

/* Packets the rx queue has handed to the stack so far (updated at the end of each poll). */
static __always_inline __u64 nt_virtnet_rq_packets(struct receive_queue___nt *rq) {
    struct virtnet_rq_stats___nt_u64s *s64 = (void *)&rq->stats;
    if (bpf_core_field_exists(s64->packets))
        return BPF_CORE_READ(s64, packets.v.a.a.counter);
    return BPF_CORE_READ(rq, stats.packets);
}

/* Packets whose transmission the tx queue has completed (updated when used buffers are freed). */
static __always_inline __u64 nt_virtnet_sq_packets(struct send_queue___nt *sq) {
    struct virtnet_sq_stats___nt_u64s *s64 = (void *)&sq->stats;
    if (bpf_core_field_exists(s64->packets))
        return BPF_CORE_READ(s64, packets.v.a.a.counter);
    return BPF_CORE_READ(sq, stats.packets);
}

/* Whether the tx queue is being reset; always false where the field does not exist (before 6.0). */
static __always_inline bool nt_virtnet_sq_resetting(struct send_queue___nt *sq) {
    if (!bpf_core_field_exists(sq->reset))
        return false;
    return BPF_CORE_READ(sq, reset);
}

/* Whether virtio_net drives `dev`: its parent device (the virtio device, SET_NETDEV_DEV) is bound
 * to the driver named "virtio_net". vmlinux types only, so it also tells a tracepoint's device
 * apart (napi:napi_poll fires for every NAPI driver). */
static __always_inline bool nt_virtnet_drives(const struct net_device *dev) {
    const char *name = BPF_CORE_READ(dev, dev.parent, driver, name);
    char buf[12] = {};
    if (!name || bpf_probe_read_kernel_str(buf, sizeof(buf), name) != 11)
        return false;
    return buf[0] == 'v' && buf[1] == 'i' && buf[2] == 'r' && buf[3] == 't' && buf[4] == 'i' &&
           buf[5] == 'o' && buf[6] == '_' && buf[7] == 'n' && buf[8] == 'e' && buf[9] == 't';
}

/* The rx queue whose napi this is, or NULL when it is not one (a tx napi, or a napi of a kernel
 * without virtio_net's types): container_of, then vi->rq[q] must be that very queue. */
static __always_inline struct receive_queue___nt *nt_virtnet_rx_napi(struct napi_struct *napi) {
    if (!bpf_core_type_exists(struct receive_queue___nt))
        return NULL;
    struct receive_queue___nt *rq = nt_virtnet_rq_of_napi(napi);
    struct virtqueue *vq = BPF_CORE_READ(rq, vq);
    struct virtnet_info___nt *vi = vq ? nt_virtnet_of_vq(vq) : NULL;
    if (!vi || !nt_virtnet_vq_is_rx(vq))
        return NULL;
    __u32 q = nt_virtnet_vq_queue(vq);
    if (q >= BPF_CORE_READ(vi, max_queue_pairs) || nt_virtnet_rq(vi, q) != rq)
        return NULL;
    return rq;
}
