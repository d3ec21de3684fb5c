/* SPDX-License-Identifier: GPL-2.0 */
/* tun-ring-monitor: is a tap queue's tx_ring (the ptr_ring vhost-net or the reader drains) full
 * when the host transmits into it? At each transmit on a tun/tap device: the queue it goes to, the
 * ring's state as ptr_ring_produce() will find it (full: the packet is dropped), and the flow.
 * Drops are always streamed; --all streams every transmit. Per queue, the kernel counts transmits
 * and drops. Hooks: tun_net_xmit (fentry, else kprobe), else net:net_dev_start_xmit (tp_btf, else
 * the tracepoint), which the stack calls right before the driver's tun_net_xmit. */
#include "netdev.bpf.h"
#include "buffer.bpf.h"
#include "modules/tun_queue.bpf.h"

/* What tun_net_xmit will do with the packet, as far as its queue decides. */
enum trm_verdict { V_QUEUED, V_RING_FULL, V_NO_QUEUE };
NT_EXPORT_TYPE(enum trm_verdict, trm_verdict);

const volatile __u8 cfg_all = 0;

struct event {
    __u64 ts_ns;
    const void *skb;
    __u32 pid;
    __u32 tid;
    char comm[NT_TASK_COMM_LEN];
    struct nt_tun_queue queue;
    __u32 numqueues; /* queues attached to the device */
    __u32 len;       /* skb->len */
    __u8 verdict;    /* enum trm_verdict */
    __u8 _pad[3];
    struct nt_ring_state ring; /* before this packet */
    struct nt_flow flow;
};
NT_EXPORT_TYPE(struct event, event);

struct queue_counts {
    __u64 xmits;
    __u64 ring_full; /* dropped: the ring had no free slot */
    __u64 no_queue;  /* dropped: the queue had no file (a detached queue) */
    __u64 max_occupied;
};

enum trm_counter { C_XMITS, C_RING_FULL, C_NO_QUEUE, C_UNTRACKED, C_MAX };
NT_COUNTERS(trm_counter, C_MAX);

NT_TUN_QUEUE_TABLE(struct queue_counts, 1024, C_UNTRACKED)

static __always_inline void count_queue(struct nt_tun_queue *q, __u8 verdict, __u32 occupied) {
    struct queue_counts *c = nt_queue_entry(q);
    if (!c)
        return;
    __sync_fetch_and_add(&c->xmits, 1);
    if (verdict == V_RING_FULL)
        __sync_fetch_and_add(&c->ring_full, 1);
    if (verdict == V_NO_QUEUE)
        __sync_fetch_and_add(&c->no_queue, 1);
    if (occupied > c->max_occupied)
        c->max_occupied = occupied; /* a racy maximum is still a maximum seen */
}

static __always_inline int on_xmit(void *ctx, struct sk_buff *skb, struct net_device *dev) {
    if (!dev)
        return 0;
    struct event ev = {}, *e = &ev;
    __u16 queue;
    struct tun_file___nt *tfile = nt_tun_xmit_file(skb, dev, &queue);
    if (!nt_tun_queue_of_dev(dev, queue, &e->queue))
        return 0;
    if (nt_parse_skb(skb, &e->flow) < 0 &&
        (cfg_src_ip_set || cfg_dst_ip_set || cfg_protocol || cfg_src_port || cfg_dst_port))
        return 0;
    if (!nt_flow_match(&e->flow))
        return 0;
    if (tfile)
        nt_tun_ring_state(tfile, &e->ring);
    e->verdict = !tfile ? V_NO_QUEUE : e->ring.full ? V_RING_FULL : V_QUEUED;
    nt_count(C_XMITS, 1);
    nt_count(C_RING_FULL, e->verdict == V_RING_FULL);
    nt_count(C_NO_QUEUE, e->verdict == V_NO_QUEUE);
    count_queue(&e->queue, e->verdict, e->ring.occupied);
    if (!cfg_all && e->verdict == V_QUEUED)
        return 0;
    e->ts_ns = bpf_ktime_get_ns();
    e->skb = skb;
    e->pid = nt_tgid();
    e->tid = nt_tid();
    bpf_get_current_comm(e->comm, sizeof(e->comm));
    e->numqueues = BPF_CORE_READ(nt_tun_of_netdev(dev), numqueues);
    e->len = BPF_CORE_READ(skb, len);
    nt_event_emit(ctx, e, sizeof(*e));
    return 0;
}

NT_TUN_XMIT_PROGRAMS(nt_trm_x_fe, nt_trm_x_kp, on_xmit)

/* The tracepoint sees every device: only tun/tap ones are this tool's. */
static __always_inline int on_start_xmit(void *ctx, struct sk_buff *skb, struct net_device *dev) {
    return dev && nt_netdev_is_tun(dev) ? on_xmit(ctx, skb, dev) : 0;
}

SEC("tp_btf/net_dev_start_xmit")
int BPF_PROG(nt_trm_x_btf, struct sk_buff *skb, struct net_device *dev) {
    return on_start_xmit(ctx, skb, dev);
}

SEC("tracepoint/net/net_dev_start_xmit")
int nt_trm_x_tp(struct trace_event_raw_net_dev_start_xmit *args) {
    struct sk_buff *skb = (struct sk_buff *)BPF_CORE_READ(args, skbaddr);
    return on_start_xmit(args, skb, BPF_CORE_READ(skb, dev));
}
