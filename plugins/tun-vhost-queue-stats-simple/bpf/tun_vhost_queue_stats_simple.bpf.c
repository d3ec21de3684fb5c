/* SPDX-License-Identifier: GPL-2.0 */
/* tun-vhost-queue-stats-simple: per tap queue, both ends of the host-to-guest path, aggregated
 * in the kernel: at tun_net_xmit the depth of the queue's tx_ring (packets waiting for vhost-net)
 * and the tun file's NAPI flags; at vhost_add_used_and_signal_n on the virtqueues whose backend is
 * that queue, the buffers returned and the used index vhost signals the guest about. The queue is
 * found from either end (modules/tun_queue.bpf.h), so a vhost queue is counted even before the
 * host transmitted on it. */
#include "netdev.bpf.h"
#include "hist.bpf.h"
#include "modules/tun_queue.bpf.h"

struct queue_stats {
    struct nt_ring_depth xmit; /* packets waiting in the ring at each transmit (full: dropped) */
    __u64 rx_signals;          /* vhost_add_used_and_signal_n on the receive virtqueue */
    __u64 rx_used;             /* buffers it returned: packets delivered to the guest */
    __u64 tx_signals;          /* ... on the transmit virtqueue (the guest's packets) */
    __u64 tx_used;
    struct nt_hist last_used; /* the receive queue's used index after each call */
    __u32 depth_max;          /* the most packets a transmit found waiting */
    __u16 last_used_idx;      /* the latest of those */
    __u8 napi_enabled;        /* tun_file flags, at the latest transmit */
    __u8 napi_frags_enabled;
};

enum tqs_counter { C_UNTRACKED, C_MAX };
NT_COUNTERS(tqs_counter, C_MAX);

NT_TUN_QUEUE_TABLE(struct queue_stats, 1024, C_UNTRACKED)

static __always_inline int on_xmit(void *ctx, struct sk_buff *skb, struct net_device *dev) {
    struct tun_file___nt *tfile;
    struct nt_ring_state ring;
    struct queue_stats *s = nt_queue_entry_at_xmit(skb, dev, &tfile, &ring);
    if (!s)
        return 0;
    nt_ring_depth_add(&s->xmit, &s->depth_max, &ring);
    s->napi_enabled = BPF_CORE_READ(tfile, napi_enabled);
    s->napi_frags_enabled = BPF_CORE_READ(tfile, napi_frags_enabled);
    return 0;
}

static __always_inline int on_signal(void *ctx, struct vhost_dev___nt *dev,
                                     struct vhost_virtqueue___nt *vq, void *heads, __u32 count) {
    struct nt_tun_queue q;
    __u8 role;
    struct queue_stats *s = nt_vq_tun_queue(vq, &q, &role) ? nt_queue_entry(&q) : NULL;
    if (!s)
        return 0;
    if (role == NT_VHOST_NET_VQ_TX) {
        __sync_fetch_and_add(&s->tx_signals, 1);
        __sync_fetch_and_add(&s->tx_used, count);
        return 0;
    }
    /* The index vhost_signal() compares: vhost_add_used_n() has added this call's buffers. */
    __u16 used = BPF_CORE_READ(vq, last_used_idx) + count;
    __sync_fetch_and_add(&s->rx_signals, 1);
    __sync_fetch_and_add(&s->rx_used, count);
    nt_hist_add(&s->last_used, used);
    s->last_used_idx = used;
    return 0;
}

NT_TUN_XMIT_PROGRAMS(nt_tqs_x_fe, nt_tqs_x_kp, on_xmit)
NT_VHOST_SIGNAL_ENTRY_PROGRAMS(nt_tqs_s_fe, nt_tqs_s_kp, on_signal)
