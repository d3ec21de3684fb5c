/* SPDX-License-Identifier: GPL-2.0 */
/* tun-tx-to-kvm-irq: for packets the host sends into a VM's tap queue, follow the interrupt chain
 * tun_net_xmit -> vhost signal (vhost_add_used_and_signal_n on the queue's rx virtqueue, with
 * vhost_signal.bpf.h's verdict) -> KVM irqfd_wakeup of its call eventfd, per tap queue, with the
 * signal -> irqfd and first packet -> irqfd delays.
 *
 * The chain is followed where it happens: irqfd_wakeup runs inside eventfd_signal, inside the
 * signal call, on the vhost worker's thread, so the per-thread signal record links the three; the
 * queue comes from the virtqueue's backend socket (tun_queue.bpf.h) and the irqfd is the one whose
 * eventfd is the vq's call eventfd. The upstream keyed its chains by eventfd in a global map
 * (concurrent signals overwrote each other), read the irqfd at the offsets of a 4.19 kernel and
 * only accepted GSIs 24..255 (x86 MSIs).
 *
 * Packet filters (addresses, ports, protocol, ICMP echo id/seq) apply to the packets at
 * tun_net_xmit; a signal is followed when a matching packet was transmitted on its queue since
 * the queue's previous signal (with no packet filter, every signal of the selected queues is). */
#include "netdev.bpf.h"
#include "buffer.bpf.h"
#include "counters.bpf.h"
#include "modules/kvm.bpf.h"
#include "modules/tun_queue.bpf.h"
#include "modules/vhost_signal.bpf.h"

#define NT_EPOLLIN 0x1

enum ttk_event_type { EV_XMIT, EV_SIGNAL };
NT_EXPORT_TYPE(enum ttk_event_type, ttk_event_type);

/* BCC's --icmp-id / --icmp-seq: only ICMP echo packets with this id / sequence number. */
const volatile __u8 cfg_icmp_id_set = 0;
const volatile __u16 cfg_icmp_id = 0;
const volatile __u8 cfg_icmp_seq_set = 0;
const volatile __u16 cfg_icmp_seq = 0;

struct event {
    __u64 ts_ns;
    const void *eventfd;      /* signal: the vq's call eventfd (NULL: none set) */
    __u64 signal_to_irqfd_ns; /* signal: from the signal call to irqfd_wakeup (irqfd only) */
    __u64 xmit_to_irqfd_ns;   /* signal: from its first packet to irqfd_wakeup (0: unknown) */
    struct nt_tun_queue queue;
    struct nt_flow flow; /* xmit */
    __u32 ring_pending;  /* xmit: packets already waiting in the queue's ring */
    __u32 used;          /* signal: buffers vhost returned to the guest */
    __u32 packets;       /* signal: (matching) packets transmitted since the queue's last signal */
    __u32 gsi;           /* signal: the GSI of the KVM irqfd it woke */
    __u32 tid;           /* the thread: the sender at xmit, vhost's worker at a signal */
    __u8 type;           /* enum ttk_event_type */
    __u8 ring_full;      /* xmit: the ring was full (tun_net_xmit drops the packet) */
    __u8 signalled;      /* signal: the call eventfd was signalled: the guest is interrupted */
    __u8 event_idx;      /* signal: the vq uses EVENT_IDX (why a signal was suppressed) */
    __u8 irqfd;          /* signal: a KVM irqfd took it (else user space reads the eventfd) */
    __u8 _pad[3];
};
NT_EXPORT_TYPE(struct event, event);

struct queue_val {
    __u64 xmits;
    __u64 signals;
    __u64 used;
    __u64 interrupts;             /* signals that signalled the call eventfd */
    __u64 irqfd;                  /* ... and woke a KVM irqfd */
    __u64 suppressed;             /* signals the guest asked not to get */
    __u64 no_eventfd;             /* signals of a vq without call eventfd */
    __u64 signal_to_irqfd_sum_us; /* the histograms' sums (their exact means) */
    __u64 xmit_to_irqfd_sum_us;
    struct nt_hist signal_to_irqfd_us;
    struct nt_hist xmit_to_irqfd_us;
};
NT_EXPORT_TYPE(struct queue_val, queue_val);

/* unparsed: packets whose headers could not be read (dropped by any packet filter). */
enum ttk_counter { C_UNPARSED, C_UNTRACKED, C_MAX };
NT_COUNTERS(ttk_counter, C_MAX);

NT_TUN_QUEUE_TABLE(struct queue_val, 1024, C_UNTRACKED)

/* Per queue: matching packets transmitted since its previous signal, and when the first was. */
struct pending {
    __u64 first_ns;
    __u32 packets;
    __u32 _pad;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, struct nt_tun_queue);
    __type(value, struct pending);
} pending SEC(".maps");

static const struct pending pending_zero;

/* Per vhost worker thread, beside its nt_signal_calls record: the queue of the signal under way,
 * its packets, and the irqfd it woke. */
struct chain {
    struct nt_tun_queue queue;
    __u64 first_xmit_ns;
    __u64 irqfd_ns;
    __u32 packets;
    __u32 gsi;
    __u8 irqfd;
    __u8 _pad[7];
};

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 1024);
    __type(key, __u32);
    __type(value, struct chain);
} chains SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct event);
} scratch SEC(".maps");

static __always_inline bool packet_filtered(void) {
    return cfg_src_ip_set || cfg_dst_ip_set || cfg_src_port || cfg_dst_port || cfg_protocol ||
           cfg_icmp_id_set || cfg_icmp_seq_set;
}

/* The ICMP filters select echo packets by id and sequence: other packets do not match them. */
static __always_inline bool packet_match(const struct nt_flow *f) {
    bool icmp = f->protocol == NT_IPPROTO_ICMP || f->protocol == NT_IPPROTO_ICMPV6;
    if ((cfg_icmp_id_set && (!icmp || f->icmp_id != cfg_icmp_id)) ||
        (cfg_icmp_seq_set && (!icmp || f->icmp_seq != cfg_icmp_seq)))
        return false;
    return nt_flow_match(f);
}

static __always_inline struct event *new_event(__u8 type, struct nt_tun_queue *q) {
    __u32 zero = 0;
    struct event *e = bpf_map_lookup_elem(&scratch, &zero);
    if (!e)
        return NULL;
    __builtin_memset(e, 0, sizeof(*e));
    e->ts_ns = bpf_ktime_get_ns();
    e->type = type;
    e->tid = nt_tid();
    e->queue = *q;
    return e;
}

static __always_inline int on_xmit(void *ctx, struct sk_buff *skb, struct net_device *dev) {
    struct nt_tun_queue q;
    struct nt_ring_state ring = {};
    if (!dev)
        return 0;
    /* Filtered out, or a queue without file (the packet never reaches a ring). */
    if (!nt_tun_xmit_queue(skb, dev, &q, &ring))
        return 0;
    struct event *e = new_event(EV_XMIT, &q);
    if (!e)
        return 0;
    if (nt_parse_skb(skb, &e->flow) < 0) {
        nt_count(C_UNPARSED, 1);
        if (packet_filtered())
            return 0;
    } else if (!packet_match(&e->flow)) {
        return 0;
    }
    e->ring_pending = ring.pending;
    e->ring_full = ring.full;
    struct pending *p = nt_map_lookup_or_init(&pending, &q, &pending_zero);
    if (p) {
        if (!p->packets)
            p->first_ns = e->ts_ns;
        __sync_fetch_and_add(&p->packets, 1);
    }
    struct queue_val *v = nt_queue_entry(&q);
    if (v)
        __sync_fetch_and_add(&v->xmits, 1);
    nt_event_emit(ctx, e, sizeof(*e));
    return 0;
}

/* vhost_add_used_and_signal_n entry: only the rx virtqueue of a selected tap queue (host to
 * guest), and with packet filters only when it carries a matching packet. */
static __always_inline int on_signal(void *ctx, struct vhost_dev___nt *dev,
                                     struct vhost_virtqueue___nt *vq, void *heads, __u32 count) {
    struct nt_tun_queue q;
    __u8 role;
    if (!nt_vq_tun_queue(vq, &q, &role) || role != NT_VHOST_NET_VQ_RX)
        return 0;
    struct pending *p = bpf_map_lookup_elem(&pending, &q);
    if (packet_filtered() && (!p || !p->packets))
        return 0;
    struct chain c = {.queue = q};
    /* Taken and reset without a lock: a packet transmitted on another CPU in between is missing
     * from this signal's `packets` (never from XMITS). */
    if (p) {
        c.packets = p->packets;
        c.first_xmit_ns = p->first_ns;
        p->packets = 0;
    }
    __u32 tid = nt_tid();
    bpf_map_update_elem(&chains, &tid, &c, BPF_ANY);
    nt_signal_enter(vq, count);
    return 0;
}

/* irqfd_wakeup(wait, mode, sync, key) inside that call's eventfd_signal: the irqfd whose eventfd
 * is the vq's call eventfd (EPOLLIN: an interrupt; EPOLLHUP is the irqfd's shutdown). */
static __always_inline int on_wakeup(void *ctx, wait_queue_entry_t *wait, unsigned int mode,
                                     int sync, void *key) {
    if (!((__u64)key & NT_EPOLLIN))
        return 0;
    __u32 tid = nt_tid();
    struct chain *c = bpf_map_lookup_elem(&chains, &tid);
    struct nt_signal_call *call = bpf_map_lookup_elem(&nt_signal_calls, &tid);
    if (!c || !call || !call->call_ctx || c->irqfd)
        return 0;
    struct kvm_kernel_irqfd___nt *irqfd = nt_irqfd_of_wait(wait);
    if ((const void *)BPF_CORE_READ(irqfd, eventfd) != call->call_ctx)
        return 0;
    c->irqfd = 1;
    c->irqfd_ns = bpf_ktime_get_ns();
    c->gsi = BPF_CORE_READ(irqfd, gsi);
    return 0;
}

static __always_inline void count_signal(struct queue_val *v, struct nt_signal_call *call,
                                         struct event *e) {
    __sync_fetch_and_add(&v->signals, 1);
    __sync_fetch_and_add(&v->used, call->count);
    if (!call->call_ctx)
        __sync_fetch_and_add(&v->no_eventfd, 1);
    else if (!call->signalled)
        __sync_fetch_and_add(&v->suppressed, 1);
    else
        __sync_fetch_and_add(&v->interrupts, 1);
    if (!e->irqfd)
        return;
    __sync_fetch_and_add(&v->irqfd, 1);
    __sync_fetch_and_add(&v->signal_to_irqfd_sum_us, e->signal_to_irqfd_ns / 1000);
    nt_hist_add(&v->signal_to_irqfd_us, e->signal_to_irqfd_ns / 1000);
    if (!e->xmit_to_irqfd_ns)
        return;
    __sync_fetch_and_add(&v->xmit_to_irqfd_sum_us, e->xmit_to_irqfd_ns / 1000);
    nt_hist_add(&v->xmit_to_irqfd_us, e->xmit_to_irqfd_ns / 1000);
}

static __always_inline int on_signal_exit(void *ctx) {
    struct nt_signal_call call;
    if (!nt_signal_take(&call))
        return 0;
    __u32 tid = nt_tid();
    struct chain *c = bpf_map_lookup_elem(&chains, &tid);
    if (!c)
        return 0;
    struct event *e = new_event(EV_SIGNAL, &c->queue);
    struct queue_val *v = nt_queue_entry(&c->queue);
    if (!e || !v)
        goto out;
    e->eventfd = call.call_ctx;
    e->used = call.count;
    e->packets = c->packets;
    e->signalled = call.signalled;
    e->event_idx = call.before.event_idx;
    e->irqfd = c->irqfd;
    if (c->irqfd) {
        e->gsi = c->gsi;
        e->signal_to_irqfd_ns = c->irqfd_ns - call.entry_ns;
        e->xmit_to_irqfd_ns = c->first_xmit_ns ? c->irqfd_ns - c->first_xmit_ns : 0;
    }
    count_signal(v, &call, e);
    nt_event_emit(ctx, e, sizeof(*e));
out:
    bpf_map_delete_elem(&chains, &tid);
    return 0;
}

NT_TUN_XMIT_PROGRAMS(nt_ttk_xmit_fe, nt_ttk_xmit_kp, on_xmit)
NT_VHOST_SIGNAL_PROGRAMS(nt_ttk_sig_fe, nt_ttk_sig_kp, nt_ttk_sig_fx, nt_ttk_sig_kr, on_signal,
                         on_signal_exit)
NT_EVENTFD_SIGNAL_PROGRAMS()
NT_FUNCTION_PROGRAMS(irqfd_wakeup, nt_ttk_wake_fe, nt_ttk_wake_kp, on_wakeup, wait_queue_entry_t *,
                     wait, unsigned int, mode, int, sync, void *, key)
