/* SPDX-License-Identifier: GPL-2.0 */
/* qdisc-latency-details: per packet, the time it sat in a device's qdisc, from net:net_dev_queue
 * (handed to the device layer) to qdisc:qdisc_dequeue (taken out for the driver). Packets are
 * identified by their skb while queued, so no flow-key collisions; every packet of a bulk dequeue
 * is reported, not only the first. */
#include "netdev.bpf.h"
#include "counters.bpf.h"
#include "buffer.bpf.h"
#include "hist.bpf.h"

#define MAX_BULK 32

const volatile __u64 cfg_threshold_ns = 0;

struct queued {
    __u64 enqueue_ns;
    __u32 len;
    __u16 queue;
    __u16 _pad;
    struct nt_flow flow;
};

struct event {
    __u64 enqueue_ns;
    __u64 dequeue_ns;
    __u64 sojourn_ns;
    __u32 netns;
    __u32 ifindex;
    __u32 len;
    __u32 handle; /* qdisc handle, major:minor in the upper/lower 16 bits */
    __u32 parent;
    __u16 queue; /* TX queue index */
    __u16 batch; /* packets taken out in that dequeue */
    char ifname[NT_IFNAMSIZ];
    char qdisc[16]; /* qdisc kind, e.g. "tbf" */
    struct nt_flow flow;
};
NT_EXPORT_TYPE(struct event, event);

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 10240);
    __type(key, __u64); /* the skb */
    __type(value, struct queued);
} queued SEC(".maps");

enum qld_counter {
    QLD_ENQUEUED,
    QLD_DEQUEUED,
    QLD_BELOW_THRESHOLD,
    QLD_BULK_UNSEEN,
    QLD_UNTRACKED,
    QLD_COUNTERS
};
NT_COUNTERS(qld_counter, QLD_COUNTERS);

/* Sojourn times in microseconds, every dequeued packet that passed the filters. */
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct nt_hist);
} sojourn_us SEC(".maps");

/* The qdisc of the TX queue this skb was given (dev->_tx[queue_mapping]), sized by CO-RE. */
static __always_inline struct Qdisc *tx_qdisc(const struct net_device *dev, __u16 queue) {
    if (queue >= BPF_CORE_READ(dev, real_num_tx_queues))
        return NULL;
    const char *txq = (const char *)BPF_CORE_READ(dev, _tx);
    txq += (__u64)queue * bpf_core_type_size(struct netdev_queue);
    return BPF_CORE_READ((struct netdev_queue *)txq, qdisc);
}

static __always_inline int on_queue(void *ctx, struct sk_buff *skb) {
    const struct net_device *dev = BPF_CORE_READ(skb, dev);
    if (!dev || !nt_dev_match(dev))
        return 0;
    __u16 queue = BPF_CORE_READ(skb, queue_mapping);
    /* noqueue devices (veth, vxlan, loopback by default) never dequeue: do not track them */
    struct Qdisc *q = tx_qdisc(dev, queue);
    if (!q || !BPF_CORE_READ(q, enqueue))
        return 0;
    struct queued val = {};
    if (nt_parse_skb(skb, &val.flow) < 0 &&
        (cfg_src_ip_set || cfg_dst_ip_set || cfg_protocol || cfg_src_port || cfg_dst_port))
        return 0;
    if (!nt_flow_match(&val.flow))
        return 0;
    val.enqueue_ns = bpf_ktime_get_ns();
    val.len = BPF_CORE_READ(skb, len);
    val.queue = queue;
    __u64 key = (__u64)skb;
    if (bpf_map_update_elem(&queued, &key, &val, BPF_ANY)) {
        nt_count(QLD_UNTRACKED, 1);
        return 0;
    }
    nt_count(QLD_ENQUEUED, 1);
    return 0;
}

/* The event being built for the current packet: filled by qld_report(), emitted by the caller,
 * which has the program context that the perf-buffer channel needs. */
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct event);
} pending SEC(".maps");

/* A global (not inlined) function is verified once, on its own: inlined into the unrolled bulk
 * loop below it made older verifiers (5.10, 6.1) give up after a million instructions. Global
 * functions take scalars, so the pointers travel as addresses. Returns 1 when `pending` holds an
 * event to emit. */
__noinline int qld_report(__u64 qaddr, __u64 skbaddr, __u64 now, __u32 packets) {
    struct Qdisc *q = (struct Qdisc *)qaddr;
    __u64 key = skbaddr;
    struct queued *val = bpf_map_lookup_elem(&queued, &key);
    if (!val)
        return 0;
    __u64 sojourn = now - val->enqueue_ns;
    nt_count(QLD_DEQUEUED, 1);
    __u32 zero = 0;
    struct nt_hist *h = bpf_map_lookup_elem(&sojourn_us, &zero);
    if (h)
        nt_hist_add(h, sojourn / 1000);
    if (sojourn < cfg_threshold_ns) {
        nt_count(QLD_BELOW_THRESHOLD, 1);
        bpf_map_delete_elem(&queued, &key);
        return 0;
    }
    struct event *e = bpf_map_lookup_elem(&pending, &zero);
    int emit = 0;
    if (e) {
        const struct net_device *dev = BPF_CORE_READ(q, dev_queue, dev);
        e->enqueue_ns = val->enqueue_ns;
        e->dequeue_ns = now;
        e->sojourn_ns = sojourn;
        e->netns = nt_dev_netns(dev);
        e->ifindex = BPF_CORE_READ(dev, ifindex);
        e->len = val->len;
        e->handle = BPF_CORE_READ(q, handle);
        e->parent = BPF_CORE_READ(q, parent);
        e->queue = val->queue;
        e->batch = packets;
        nt_dev_name(dev, e->ifname);
        const struct Qdisc_ops *ops = BPF_CORE_READ(q, ops);
        bpf_core_read_str(e->qdisc, sizeof(e->qdisc), &ops->id);
        e->flow = val->flow;
        emit = 1;
    }
    bpf_map_delete_elem(&queued, &key);
    return emit;
}

/* A bulk dequeue hands over a list linked through skb->next; the tracepoint shows its head.
 * Addresses are scalars here (qld_report() is a global function). */
static __always_inline int on_dequeue(void *ctx, __u64 q, int packets, __u64 skb) {
    __u64 now = bpf_ktime_get_ns();
    __u32 zero = 0;
    for (int i = 0; i < MAX_BULK; i++) {
        if (!skb || i >= packets)
            return 0;
        if (qld_report(q, skb, now, packets) == 1) {
            struct event *e = bpf_map_lookup_elem(&pending, &zero);
            if (e)
                nt_event_emit(ctx, e, sizeof(*e));
        }
        skb = (__u64)BPF_CORE_READ((struct sk_buff *)skb, next);
    }
    if (skb && packets > MAX_BULK)
        nt_count(QLD_BULK_UNSEEN, 1);
    return 0;
}

NT_SKB_EVENT_PROGRAMS(net_dev_queue, nt_qld_q_btf, nt_qld_q_tp, on_queue)

SEC("tp_btf/qdisc_dequeue")
int BPF_PROG(nt_qld_dq_btf, struct Qdisc *q, const struct netdev_queue *txq, int packets,
             struct sk_buff *skb) {
    /* tp_btf arguments are typed pointers to the verifier; read them as plain addresses. */
    __u64 qaddr = 0, skbaddr = 0;
    bpf_probe_read_kernel(&qaddr, sizeof(qaddr), &ctx[0]);
    bpf_probe_read_kernel(&skbaddr, sizeof(skbaddr), &ctx[3]);
    return on_dequeue(ctx, qaddr, packets, skbaddr);
}

SEC("tracepoint/qdisc/qdisc_dequeue")
int nt_qld_dq_tp(struct trace_event_raw_qdisc_dequeue *args) {
    return on_dequeue(args, (__u64)BPF_CORE_READ(args, qdisc), BPF_CORE_READ(args, packets),
                      (__u64)BPF_CORE_READ(args, skbaddr));
}
