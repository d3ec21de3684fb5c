/* SPDX-License-Identifier: GPL-2.0 */
/* The few tun/tap fields the tools read, declared for CO-RE: libbpf relocates every access
 * against the running kernel's BTF (module BTF /sys/kernel/btf/tun, or vmlinux when tun is built
 * in). The ___nt suffix keeps these apart from vmlinux.h's own definitions; libbpf ignores it when
 * matching. No offsets are assumed anywhere. Which queue a packet or a vhost virtqueue belongs to
 * is in tun_queue.bpf.h. */
#pragma once
#include "common.bpf.h"
#include "netdev_priv.bpf.h"

/* include/linux/ptr_ring.h: producer and consumer indices live on separate cache lines in the
 * kernel; their offsets come from BTF, so that alignment is the kernel's business. */
struct ptr_ring___nt {
    int producer;
    int consumer_head;
    int consumer_tail;
    int size;
    void **queue;
} __attribute__((preserve_access_index));

struct tun_struct___nt;

struct tun_file___nt {
    struct socket socket;        /* what tun_get_socket() hands to vhost-net: vq->private_data */
    struct tun_struct___nt *tun; /* NULL while the queue is detached */
    union {
        __u16 queue_index;
        unsigned int ifindex;
    };
    bool napi_enabled;            /* IFF_NAPI: packets written by user space go through NAPI */
    bool napi_frags_enabled;      /* IFF_NAPI_FRAGS */
    struct ptr_ring___nt tx_ring; /* packets for user space / vhost-net to read */
} __attribute__((preserve_access_index));

struct tun_struct___nt {
    struct tun_file___nt *tfiles[256];
    unsigned int numqueues;
    unsigned int flags;
    struct net_device *dev;
} __attribute__((preserve_access_index));

static __always_inline struct tun_struct___nt *nt_tun_of_netdev(struct net_device *dev) {
    return (struct tun_struct___nt *)nt_netdev_priv(dev);
}

/* The state of a ptr_ring as its producer sees it. Consumers take entries at consumer_head but
 * give the slots back (NULL them) in batches up to consumer_tail, so a slot is free for the
 * producer only once it is behind consumer_tail: `occupied` counts those not yet free, `pending`
 * those not yet consumed. When every slot is occupied, producer == consumer_tail as when none is:
 * `full` is what tells them apart, read exactly as ptr_ring_produce() decides it (queue[producer]
 * is set), which is the condition under which tun_net_xmit drops the packet. */
struct nt_ring_state {
    __u32 size;
    __u32 producer;
    __u32 consumer_head;
    __u32 consumer_tail;
    __u32 pending;
    __u32 occupied;
    __u8 full;
    __u8 _pad[3];
};

/* a - b modulo size, for indices already below size. */
static __always_inline __u32 nt_ring_distance(__u32 a, __u32 b, __u32 size) {
    return a >= b ? a - b : a + size - b;
}

static __always_inline void nt_ptr_ring_state(struct ptr_ring___nt *ring, struct nt_ring_state *s) {
    s->producer = BPF_CORE_READ(ring, producer);
    s->consumer_head = BPF_CORE_READ(ring, consumer_head);
    s->consumer_tail = BPF_CORE_READ(ring, consumer_tail);
    s->size = BPF_CORE_READ(ring, size);
    s->pending = s->occupied = s->full = 0;
    __u32 size = s->size;
    /* Unlocked reads: indices that are not all inside the ring are a torn snapshot. */
    if (!size || s->producer >= size || s->consumer_head >= size || s->consumer_tail >= size)
        return;
    void **queue = BPF_CORE_READ(ring, queue);
    void *slot = NULL;
    bpf_probe_read_kernel(&slot, sizeof(slot), queue + s->producer);
    s->full = slot != NULL;
    __u32 consumed = nt_ring_distance(s->consumer_head, s->consumer_tail, size);
    s->occupied = s->full ? size : nt_ring_distance(s->producer, s->consumer_tail, size);
    s->pending = s->occupied > consumed ? s->occupied - consumed : 0;
}
