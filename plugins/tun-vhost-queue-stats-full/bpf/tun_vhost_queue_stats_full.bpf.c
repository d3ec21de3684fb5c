/* SPDX-License-Identifier: GPL-2.0 */
/* tun-vhost-queue-stats-full: per tap queue, every stage of the host-to-guest path, aggregated in
 * the kernel. The packet is put in the queue's ring (tun_net_xmit: ring depth), vhost-net's
 * handle_rx wakes up (the receive virtqueue's indices), takes it with tun_recvmsg (ring depth
 * left) and returns the guest's buffer (vhost_add_used_and_signal_n: the indices again). At both
 * vhost points, from the receive virtqueue's state:
 *   consumption = avail_idx - last_avail_idx  guest buffers available that vhost has not taken
 *   delay       = last_avail_idx - last_used_idx  buffers vhost took and has not returned
 * Queues are found from every hook (modules/tun_queue.bpf.h): no stage depends on another having
 * been seen first. */
#include "netdev.bpf.h"
#include "hist.bpf.h"
#include "modules/tun_queue.bpf.h"

struct queue_stats {
    struct nt_ring_depth xmit; /* packets waiting in the ring at tun_net_xmit (full: dropped) */
    struct nt_ring_depth recv; /* packets left in the ring at tun_recvmsg (vhost reading) */
    __u64 handle_rx;
    __u64 signals; /* vhost_add_used_and_signal_n on the receive virtqueue */
    __u64 used;    /* buffers those calls returned: packets delivered to the guest */
    __u32 depth_max_xmit;
    __u32 depth_max_recv;
    struct nt_hist consumption_rx;     /* avail_idx - last_avail_idx at handle_rx */
    struct nt_hist delay_rx;           /* last_avail_idx - last_used_idx at handle_rx */
    struct nt_hist consumption_signal; /* the same at the signal call */
    struct nt_hist delay_signal;
};

enum tqf_counter { C_UNTRACKED, C_MAX };
NT_COUNTERS(tqf_counter, C_MAX);

NT_TUN_QUEUE_TABLE(struct queue_stats, 256, C_UNTRACKED)

/* The stats of the tap queue a tun_file serves, when it passes the filters. */
static __always_inline struct queue_stats *stats_of_file(struct tun_file___nt *tfile) {
    struct nt_tun_queue q;
    return tfile && nt_tun_file_queue(tfile, &q) ? nt_queue_entry(&q) : NULL;
}

static __always_inline int on_xmit(void *ctx, struct sk_buff *skb, struct net_device *dev) {
    struct tun_file___nt *tfile;
    struct nt_ring_state ring;
    struct queue_stats *s = nt_queue_entry_at_xmit(skb, dev, &tfile, &ring);
    if (!s)
        return 0;
    nt_ring_depth_add(&s->xmit, &s->depth_max_xmit, &ring);
    return 0;
}

static __always_inline int on_recvmsg(void *ctx, struct socket *sock) {
    struct tun_file___nt *tfile = nt_tun_file_of_sock(sock);
    struct queue_stats *s = stats_of_file(tfile);
    if (!s)
        return 0;
    struct nt_ring_state ring;
    nt_tun_ring_state(tfile, &ring);
    nt_ring_depth_add(&s->recv, &s->depth_max_recv, &ring);
    return 0;
}

/* The receive virtqueue's backlog at a vhost point: both histograms at once. */
static __always_inline void add_vq(struct vhost_virtqueue___nt *vq, struct nt_hist *consumption,
                                   struct nt_hist *delay) {
    struct nt_vq_state v;
    nt_vq_snapshot(vq, &v);
    nt_hist_add(consumption, (__u16)(v.avail_idx - v.last_avail_idx));
    nt_hist_add(delay, (__u16)(v.last_avail_idx - v.last_used_idx));
}

static __always_inline int on_handle_rx(void *ctx, struct vhost_net___nt *net) {
    struct vhost_virtqueue___nt *vq = nt_vhost_net_vq(net, NT_VHOST_NET_VQ_RX);
    struct queue_stats *s = stats_of_file(nt_vq_tun_file(vq));
    if (!s)
        return 0;
    __sync_fetch_and_add(&s->handle_rx, 1);
    add_vq(vq, &s->consumption_rx, &s->delay_rx);
    return 0;
}

static __always_inline int on_signal(void *ctx, struct vhost_dev___nt *dev,
                                     struct vhost_virtqueue___nt *vq, void *heads, __u32 count) {
    struct nt_tun_queue q;
    __u8 role;
    if (!nt_vq_tun_queue(vq, &q, &role) || role != NT_VHOST_NET_VQ_RX)
        return 0;
    struct queue_stats *s = nt_queue_entry(&q);
    if (!s)
        return 0;
    __sync_fetch_and_add(&s->signals, 1);
    __sync_fetch_and_add(&s->used, count);
    add_vq(vq, &s->consumption_signal, &s->delay_signal);
    return 0;
}

NT_TUN_XMIT_PROGRAMS(nt_tqf_x_fe, nt_tqf_x_kp, on_xmit)
NT_TUN_RECVMSG_PROGRAMS(nt_tqf_r_fe, nt_tqf_r_kp, on_recvmsg)
NT_VHOST_HANDLE_RX_PROGRAMS(nt_tqf_h_fe, nt_tqf_h_kp, on_handle_rx)
NT_VHOST_SIGNAL_ENTRY_PROGRAMS(nt_tqf_s_fe, nt_tqf_s_kp, on_signal)
