/* SPDX-License-Identifier: GPL-2.0 */
/* The few tun/tap fields the tools read, declared for CO-RE: libbpf relocates every access
 * against the running kernel's BTF (module BTF /sys/kernel/btf/tun, or vmlinux when tun is built
 * in). The ___nt suffix keeps these apart from vmlinux.h's own definitions; libbpf ignores it when
 * matching. No offsets are assumed anywhere. */
#pragma once
#include "common.bpf.h"
#include "netdev_priv.bpf.h"

struct ptr_ring___nt {
    int producer;
    int consumer_head;
    int consumer_tail;
    int size;
    void **queue;
} __attribute__((preserve_access_index));

struct tun_file___nt {
    struct socket socket;
    struct ptr_ring___nt tx_ring;
    union {
        __u16 queue_index;
        unsigned int ifindex;
    };
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

/* Entries waiting in a tun queue's ring (producer ahead of consumer_tail, modulo size). */
static __always_inline __u32 nt_ptr_ring_depth(struct ptr_ring___nt *ring) {
    __u32 producer = BPF_CORE_READ(ring, producer);
    __u32 tail = BPF_CORE_READ(ring, consumer_tail);
    __u32 size = BPF_CORE_READ(ring, size);
    if (!size || producer >= size || tail >= size)
        return 0;
    return producer >= tail ? producer - tail : producer + size - tail;
}
