/* SPDX-License-Identifier: GPL-2.0 */
/* A tun/tap queue: the unit the virtualization tools report on (catalog §3, families F and I).
 * One identity for it, struct nt_tun_queue (device and queue index), found from either end of the
 * host-to-guest data path:
 *   - tun_net_xmit(skb, dev): tun = netdev_priv(dev); the packet goes to queue skb->queue_mapping,
 *     whose file is tun->tfiles[queue] (nt_tun_xmit_file);
 *   - any vhost virtqueue: vq->private_data is its backend socket, for a tap backend
 *     &tun_file->socket (tun_get_socket()); the tun_file around it names the device
 *     (tfile->tun->dev) and the queue (tfile->queue_index) (nt_tun_file_of_sock).
 * The upstream tools registered each socket at tun_net_xmit and looked it up at the vhost hooks,
 * so a queue stayed invisible to vhost until the host had transmitted on it, and the map of
 * sockets grew stale. Here a socket is resolved where it is seen, and only accepted when the
 * tun_file around it is listed by its own device (tun->tfiles[queue_index] == tfile and
 * netdev_priv(tun->dev) == tun): a vhost backend that is not a tap (macvtap, AF_PACKET) or a
 * detached queue fails the check and is skipped.
 * The --interface / --netns / --queue filter (nt_tun_queue_match) is applied here, in the kernel.
 * User space formats the identity with tunQueueFields() / tunQueueText() from @nettrace/core. */
#pragma once
#include "counters.bpf.h"
#include "function.bpf.h"
#include "hist.bpf.h"
#include "netdev.bpf.h"
#include "modules/tun.bpf.h"
#include "modules/vhost.bpf.h"

/* --queue N: only queue N (set by @nettrace/core's tapQueueFilter). */
const volatile __u8 cfg_queue_set = 0;
const volatile __u16 cfg_queue = 0;

/* A map key as much as a record field: no pointers, stable while the device exists. */
struct nt_tun_queue {
    __u32 netns;   /* inode of the device's network namespace */
    __u32 ifindex; /* the tap device */
    __u16 queue;   /* its queue index (skb->queue_mapping at transmit, tfile->queue_index) */
    __u16 _pad;
    char ifname[NT_IFNAMSIZ];
};

/* Is `dev` a tun/tap device? For hooks that see every device (net:net_dev_start_xmit): tun gives
 * each of its devices its rtnl_link_ops, whose kind is "tun" for tun and tap alike. */
static __always_inline bool nt_netdev_is_tun(const struct net_device *dev) {
    char kind[4] = {};
    const char *name = BPF_CORE_READ(dev, rtnl_link_ops, kind);
    return name && bpf_probe_read_kernel_str(kind, sizeof(kind), name) == sizeof(kind) &&
           kind[0] == 't' && kind[1] == 'u' && kind[2] == 'n';
}

/* The tun_file a packet transmitted on tun device `dev` goes to, or NULL when that queue has no
 * file (tun_net_xmit drops such packets). *queue is set in both cases. */
static __always_inline struct tun_file___nt *
nt_tun_xmit_file(struct sk_buff *skb, struct net_device *dev, __u16 *queue) {
    struct tun_struct___nt *tun = nt_tun_of_netdev(dev);
    __u16 txq = BPF_CORE_READ(skb, queue_mapping);
    *queue = txq;
    if (txq >= BPF_CORE_READ(tun, numqueues) || txq >= 256)
        return NULL;
    struct tun_file___nt **tfiles = __builtin_preserve_access_index(&tun->tfiles[0]);
    struct tun_file___nt *tfile = NULL;
    bpf_probe_read_kernel(&tfile, sizeof(tfile), tfiles + txq);
    return tfile;
}

/* The tun_file whose socket `sock` is, or NULL when it is not an attached tun/tap queue. */
static __always_inline struct tun_file___nt *nt_tun_file_of_sock(void *sock) {
    if (!sock)
        return NULL;
    struct tun_file___nt *tfile = nt_container_of(sock, struct tun_file___nt, socket);
    struct tun_struct___nt *tun = BPF_CORE_READ(tfile, tun);
    if (!tun)
        return NULL;
    struct net_device *dev = BPF_CORE_READ(tun, dev);
    __u16 idx = BPF_CORE_READ(tfile, queue_index);
    if (!dev || nt_tun_of_netdev(dev) != tun || idx >= 256)
        return NULL;
    struct tun_file___nt **tfiles = __builtin_preserve_access_index(&tun->tfiles[0]);
    struct tun_file___nt *listed = NULL;
    bpf_probe_read_kernel(&listed, sizeof(listed), tfiles + idx);
    return listed == tfile ? tfile : NULL;
}

/* The tun_file a vhost virtqueue reads from and writes to (its tap backend), or NULL. */
static __always_inline struct tun_file___nt *nt_vq_tun_file(struct vhost_virtqueue___nt *vq) {
    return nt_tun_file_of_sock(BPF_CORE_READ(vq, private_data));
}

/* Fills the identity of queue `queue` of `dev`; false when the filters exclude it. */
static __always_inline bool nt_tun_queue_of_dev(struct net_device *dev, __u16 queue,
                                                struct nt_tun_queue *q) {
    if (cfg_queue_set && queue != cfg_queue)
        return false;
    if (!nt_dev_match(dev))
        return false;
    /* A map key: every byte set, the name's tail included (a string read stops at its NUL). */
    __builtin_memset(q, 0, sizeof(*q));
    q->netns = nt_dev_netns(dev);
    q->ifindex = BPF_CORE_READ(dev, ifindex);
    q->queue = queue;
    nt_dev_name(dev, q->ifname);
    return true;
}

/* The identity of a (validated) tun_file's queue; false when the filters exclude it. */
static __always_inline bool nt_tun_file_queue(struct tun_file___nt *tfile, struct nt_tun_queue *q) {
    struct net_device *dev = BPF_CORE_READ(tfile, tun, dev);
    return dev && nt_tun_queue_of_dev(dev, BPF_CORE_READ(tfile, queue_index), q);
}

/* The tap queue a vhost-net virtqueue serves and its direction (NT_VHOST_NET_VQ_RX, host to
 * guest, or _TX); false when its backend is not a tap queue or the filters exclude it. */
static __always_inline bool nt_vq_tun_queue(struct vhost_virtqueue___nt *vq, struct nt_tun_queue *q,
                                            __u8 *role) {
    struct tun_file___nt *tfile = nt_vq_tun_file(vq);
    int idx = tfile ? nt_vhost_net_vq_index(vq) : -1;
    if (idx < 0 || !nt_tun_file_queue(tfile, q))
        return false;
    *role = idx;
    return true;
}

/* The tx_ring of a tun_file: packets waiting for user space or vhost-net. */
static __always_inline void nt_tun_ring_state(struct tun_file___nt *tfile,
                                              struct nt_ring_state *s) {
    nt_ptr_ring_state(__builtin_preserve_access_index(&tfile->tx_ring), s);
}

/* Ring depths (pending packets) as a hook finds them, aggregated in a map value: the count, the
 * full rings among them, the sum (for the mean) and the log2 histogram, all cumulative; `max`,
 * kept beside it by the caller, is the largest seen. */
struct nt_ring_depth {
    __u64 samples;
    __u64 full;
    __u64 sum;
    struct nt_hist hist;
};

static __always_inline void nt_ring_depth_add(struct nt_ring_depth *d, __u32 *max,
                                              const struct nt_ring_state *ring) {
    __sync_fetch_and_add(&d->samples, 1);
    __sync_fetch_and_add(&d->full, ring->full);
    __sync_fetch_and_add(&d->sum, ring->pending);
    nt_hist_add(&d->hist, ring->pending);
    if (ring->pending > *max)
        *max = ring->pending; /* racy, but a maximum that was seen */
}

/* At tun_net_xmit(skb, dev): the file of the queue the packet goes to, with the queue's identity
 * and its ring as the packet finds it; NULL when the filters exclude the queue or it has no file
 * (the packet is then dropped without reaching a ring). */
static __always_inline struct tun_file___nt *nt_tun_xmit_queue(struct sk_buff *skb,
                                                               struct net_device *dev,
                                                               struct nt_tun_queue *q,
                                                               struct nt_ring_state *ring) {
    __u16 queue;
    struct tun_file___nt *tfile = nt_tun_xmit_file(skb, dev, &queue);
    if (!tfile || !nt_tun_queue_of_dev(dev, queue, q))
        return NULL;
    nt_tun_ring_state(tfile, ring);
    return tfile;
}

/* A per-tap-queue table of `value_type`, cumulative (user space: tunQueueRows()): the hash map
 * `queues` keyed by struct nt_tun_queue, `value_type *nt_queue_entry(struct nt_tun_queue *q)`,
 * which inserts a zeroed value on first use and counts counter `untracked` (NT_COUNTERS) when the
 * table is full, and nt_queue_entry_at_xmit() for tun_net_xmit's queue. */
#define NT_TUN_QUEUE_TABLE(value_type, entries, untracked)                                         \
    struct {                                                                                       \
        __uint(type, BPF_MAP_TYPE_HASH);                                                           \
        __uint(max_entries, entries);                                                              \
        __type(key, struct nt_tun_queue);                                                          \
        __type(value, value_type);                                                                 \
    } queues SEC(".maps");                                                                         \
    static const value_type nt_queue_zero;                                                         \
    static __always_inline value_type *nt_queue_entry(struct nt_tun_queue *q) {                    \
        value_type *v = nt_map_lookup_or_init(&queues, q, &nt_queue_zero);                         \
        if (!v)                                                                                    \
            nt_count(untracked, 1);                                                                \
        return v;                                                                                  \
    }                                                                                              \
    /* At tun_net_xmit: the entry of the packet's queue, its file and its ring as found. */        \
    static __always_inline value_type *nt_queue_entry_at_xmit(                                     \
        struct sk_buff *skb, struct net_device *dev, struct tun_file___nt **tfile,                 \
        struct nt_ring_state *ring) {                                                              \
        struct nt_tun_queue q;                                                                     \
        *tfile = nt_tun_xmit_queue(skb, dev, &q, ring);                                            \
        return *tfile ? nt_queue_entry(&q) : NULL;                                                 \
    }

/* The programs of the three functions the tun / vhost-net tools hook (function.bpf.h), each a
 * fentry/kprobe pair that functionHook() finds by section:
 *   tun_net_xmit(skb, dev)  (module tun): a packet the host sends into the queue; worker(ctx, skb,
 * dev) tun_recvmsg(sock, ...)  (module tun): a read of the queue whose socket is sock (vhost-net
 * reads every packet through it); worker(ctx, sock) handle_rx(net)          (module vhost_net,
 * static): the worker moving packets from the tap's ring into the guest's receive buffers;
 * worker(ctx, net) */
#define NT_TUN_XMIT_PROGRAMS(fentry_name, kprobe_name, worker)                                     \
    NT_FUNCTION_PROGRAMS(tun_net_xmit, fentry_name, kprobe_name, worker, struct sk_buff *, skb,    \
                         struct net_device *, dev)
#define NT_TUN_RECVMSG_PROGRAMS(fentry_name, kprobe_name, worker)                                  \
    NT_FUNCTION_PROGRAMS(tun_recvmsg, fentry_name, kprobe_name, worker, struct socket *, sock)
#define NT_VHOST_HANDLE_RX_PROGRAMS(fentry_name, kprobe_name, worker)                              \
    NT_FUNCTION_PROGRAMS(handle_rx, fentry_name, kprobe_name, worker, struct vhost_net___nt *, net)
