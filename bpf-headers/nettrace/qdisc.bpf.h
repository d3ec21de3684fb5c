/* SPDX-License-Identifier: GPL-2.0 */
/* The qdisc a transmitted skb is offered to: the qdisc of its transmit queue,
 * dev->_tx[skb->queue_mapping].qdisc, which is what __dev_queue_xmit enqueues to (the root qdisc,
 * or mq's per-queue child). Read through CO-RE: the netdev_queue array is indexed with the running
 * kernel's sizeof(struct netdev_queue), never this build's. */
#pragma once
#include "common.bpf.h"

#define NT_QDISC_KIND_LEN 16

/* What identifies a qdisc to a user: its device's tc handle (major:minor) and kind ("tbf"). */
struct nt_qdisc_id {
    __u32 handle;
    __u32 parent;
    char kind[NT_QDISC_KIND_LEN];
};

static __always_inline struct Qdisc *nt_txq_qdisc(const struct net_device *dev, __u16 queue) {
    struct netdev_queue *txq = BPF_CORE_READ(dev, _tx);
    if (!txq || queue >= BPF_CORE_READ(dev, num_tx_queues))
        return NULL;
    txq = (struct netdev_queue *)((char *)txq + queue * bpf_core_type_size(struct netdev_queue));
    return BPF_CORE_READ(txq, qdisc);
}

/* The qdisc __dev_queue_xmit hands this skb to, or NULL when the device has none that queues
 * (noqueue: veth, loopback and tunnels by default transmit directly). */
static __always_inline struct Qdisc *nt_skb_qdisc(struct sk_buff *skb,
                                                  const struct net_device *dev) {
    struct Qdisc *q = nt_txq_qdisc(dev, BPF_CORE_READ(skb, queue_mapping));
    if (!q || !BPF_CORE_READ(q, enqueue))
        return NULL;
    return q;
}

static __always_inline void nt_qdisc_identify(const struct Qdisc *q, struct nt_qdisc_id *id) {
    id->handle = BPF_CORE_READ(q, handle);
    id->parent = BPF_CORE_READ(q, parent);
    const struct Qdisc_ops *ops = BPF_CORE_READ(q, ops);
    if (ops)
        bpf_core_read_str(id->kind, sizeof(id->kind), &ops->id);
}
