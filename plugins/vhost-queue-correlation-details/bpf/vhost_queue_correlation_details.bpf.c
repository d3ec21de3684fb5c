/* SPDX-License-Identifier: GPL-2.0 */
/* vhost-queue-correlation-details: a per-event trace of tap queues along the host-to-guest path,
 * to line up what the host sent with what vhost did:
 *   XMIT      tun_net_xmit: the packet (flow, length) and the queue's ring as it finds it
 *   HANDLE_RX handle_rx: vhost-net's worker wakes up; the receive virtqueue's indices
 *   RECVMSG   tun_recvmsg: vhost reads a packet; the ring it leaves
 *   SIGNAL    vhost_add_used_and_signal_n: buffers returned, the virtqueue before and after, and
 *             whether the guest was interrupted (vhost_signal.bpf.h)
 * Every hook finds its tap queue itself (modules/tun_queue.bpf.h); --interface / --queue filter
 * in the kernel. */
#include "netdev.bpf.h"
#include "buffer.bpf.h"
#include "modules/vhost_signal.bpf.h"

enum kind { K_XMIT, K_HANDLE_RX, K_RECVMSG, K_SIGNAL };

struct event {
    __u64 ts_ns;
    __u64 entry_ns; /* SIGNAL: when the call began */
    const void *vq; /* HANDLE_RX, SIGNAL: the virtqueue */
    const void *eventfd;
    __u32 pid;
    __u32 tid;
    char comm[NT_TASK_COMM_LEN];
    struct nt_tun_queue queue;
    __u32 len;      /* XMIT: skb->len; SIGNAL: used buffers returned */
    __u8 kind;      /* enum kind */
    __u8 role;      /* SIGNAL: NT_VHOST_NET_VQ_RX or _TX */
    __u8 signalled; /* SIGNAL: the guest was interrupted */
    __u8 _pad;
    struct nt_ring_state ring; /* XMIT, RECVMSG */
    struct nt_flow flow;       /* XMIT */
    struct nt_vq_state before; /* HANDLE_RX: the receive virtqueue; SIGNAL: at the call */
    struct nt_vq_state after;  /* SIGNAL: at its return */
};
NT_EXPORT_TYPE(struct event, event);

/* A zeroed event of `kind` for `q` (copied in) with who and when; NULL when the channel is full. */
static __always_inline struct event *new_event(__u8 kind, struct nt_tun_queue *q) {
    struct event *e = nt_event_reserve(sizeof(*e));
    if (!e)
        return NULL;
    __builtin_memset(e, 0, sizeof(*e));
    e->ts_ns = bpf_ktime_get_ns();
    e->kind = kind;
    e->queue = *q;
    e->pid = nt_tgid();
    e->tid = nt_tid();
    bpf_get_current_comm(e->comm, sizeof(e->comm));
    return e;
}

static __always_inline int on_xmit(void *ctx, struct sk_buff *skb, struct net_device *dev) {
    struct nt_tun_queue q;
    struct nt_ring_state ring;
    if (!nt_tun_xmit_queue(skb, dev, &q, &ring))
        return 0;
    struct event *e = new_event(K_XMIT, &q);
    if (!e)
        return 0;
    e->ring = ring;
    e->len = BPF_CORE_READ(skb, len);
    nt_parse_skb(skb, &e->flow);
    nt_event_submit(ctx, e);
    return 0;
}

static __always_inline int on_recvmsg(void *ctx, struct socket *sock) {
    struct nt_tun_queue q;
    struct tun_file___nt *tfile = nt_tun_file_of_sock(sock);
    if (!tfile || !nt_tun_file_queue(tfile, &q))
        return 0;
    struct event *e = new_event(K_RECVMSG, &q);
    if (!e)
        return 0;
    nt_tun_ring_state(tfile, &e->ring);
    nt_event_submit(ctx, e);
    return 0;
}

static __always_inline int on_handle_rx(void *ctx, struct vhost_net___nt *net) {
    struct nt_tun_queue q;
    struct vhost_virtqueue___nt *vq = nt_vhost_net_vq(net, NT_VHOST_NET_VQ_RX);
    struct tun_file___nt *tfile = nt_vq_tun_file(vq);
    if (!tfile || !nt_tun_file_queue(tfile, &q))
        return 0;
    struct event *e = new_event(K_HANDLE_RX, &q);
    if (!e)
        return 0;
    e->vq = vq;
    e->eventfd = nt_vq_call_ctx(vq);
    nt_vq_snapshot(vq, &e->before);
    nt_event_submit(ctx, e);
    return 0;
}

static __always_inline int on_signal_exit(void *ctx) {
    struct nt_signal_call call;
    struct nt_tun_queue q;
    __u8 role;
    struct vhost_virtqueue___nt *vq;
    if (!nt_signal_take(&call))
        return 0;
    vq = (struct vhost_virtqueue___nt *)call.vq;
    if (!nt_vq_tun_queue(vq, &q, &role))
        return 0;
    struct event *e = new_event(K_SIGNAL, &q);
    if (!e)
        return 0;
    e->entry_ns = call.entry_ns;
    e->vq = call.vq;
    e->eventfd = call.call_ctx;
    e->len = call.count;
    e->role = role;
    e->signalled = call.signalled;
    e->before = call.before;
    nt_vq_snapshot(vq, &e->after);
    nt_event_submit(ctx, e);
    return 0;
}

NT_TUN_XMIT_PROGRAMS(nt_vqd_x_fe, nt_vqd_x_kp, on_xmit)
NT_TUN_RECVMSG_PROGRAMS(nt_vqd_r_fe, nt_vqd_r_kp, on_recvmsg)
NT_VHOST_HANDLE_RX_PROGRAMS(nt_vqd_h_fe, nt_vqd_h_kp, on_handle_rx)
NT_VHOST_SIGNAL_PROGRAMS(nt_vqd_s_fe, nt_vqd_s_kp, nt_vqd_s_fx, nt_vqd_s_kr, nt_signal_enter_tap,
                         on_signal_exit)
NT_EVENTFD_SIGNAL_PROGRAMS()
