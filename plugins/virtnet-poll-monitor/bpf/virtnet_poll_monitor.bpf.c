/* SPDX-License-Identifier: GPL-2.0 */
/* virtnet-poll-monitor (inside a guest): each virtio-net rx virtqueue interrupt (skb_recv_done)
 * and each NAPI poll of an rx queue (virtnet_poll) with its budget, the packets it processed and
 * how long it ran, per device and queue, streamed, plus a per-queue summary in the kernel.
 *
 * A poll is reported when it ends: at fexit/kretprobe virtnet_poll (the packets are its return
 * value), else at the napi:napi_poll tracepoint (it carries the same count). Its duration needs
 * the entry (fentry/kprobe virtnet_poll), which a kernel without kprobes lacks; the interrupt has
 * no tracepoint. Devices: every virtio-net device by default, or the one --interface names (any
 * driver then, on the tracepoint). Queues from CO-RE reads of virtio_net's private structs,
 * checked both ways (modules/virtio_net.bpf.h), never from the upstream's fixed offsets. */
#include "netdev.bpf.h"
#include "counters.bpf.h"
#include "buffer.bpf.h"
#include "function.bpf.h"
#include "modules/virtio_net.bpf.h"

#define NT_QUEUE_UNKNOWN 0xffffffff

enum event_type { EV_POLL, EV_IRQ };

const volatile __u32 cfg_queue = 0;
const volatile __u8 cfg_queue_set = 0;

struct event {
    __u64 ts_ns;
    __u64 duration_ns; /* polls with a measured start (timed), else 0 */
    __u32 netns;
    __u32 ifindex;
    __u32 queue; /* rx queue (pair) index; NT_QUEUE_UNKNOWN for other drivers' napis */
    __u32 vq_index;
    __s32 budget;
    __s32 work; /* packets the poll processed (-1 for interrupts) */
    __u32 cpu;
    __u8 type;
    __u8 timed;
    __u8 _pad[2];
    char ifname[NT_IFNAMSIZ];
};
NT_EXPORT_TYPE(struct event, event);

struct queue_key {
    __u32 netns;
    __u32 ifindex;
    __u32 queue;
    char ifname[NT_IFNAMSIZ];
};

struct queue_val {
    __u64 irqs;
    __u64 polls;
    __u64 packets;
    __u64 full_budget; /* polls that used their whole budget (NAPI polls again at once) */
    __u64 timed;       /* polls with a duration */
    __u64 duration_sum_ns;
    __u64 duration_max_ns;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, struct queue_key);
    __type(value, struct queue_val);
} queues SEC(".maps");

/* The poll under way on this CPU (NAPI polls run in softirq: one at a time per CPU). */
struct poll_start {
    __u64 napi;
    __u64 ts_ns;
    __s32 budget;
};

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct poll_start);
} poll_start SEC(".maps");

enum vpm_counter { C_UNTIMED, C_NO_START, C_TABLE_FULL, C_MAX };
NT_COUNTERS(vpm_counter, C_MAX);

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct event);
} scratch SEC(".maps");

/* Device and queue filters. Without --interface only virtio-net devices are watched. */
static __always_inline bool wanted(const struct net_device *dev, __u32 queue) {
    if (!dev || !nt_dev_match(dev))
        return false;
    if (!cfg_ifindex && !nt_virtnet_drives(dev))
        return false;
    return !cfg_queue_set || queue == cfg_queue;
}

static __always_inline struct queue_val *queue_row(struct event *e) {
    struct queue_key k = {.netns = e->netns, .ifindex = e->ifindex, .queue = e->queue};
    __builtin_memcpy(k.ifname, e->ifname, sizeof(k.ifname));
    struct queue_val zero = {};
    struct queue_val *v = nt_map_lookup_or_init(&queues, &k, &zero);
    if (!v)
        nt_count(C_TABLE_FULL, 1);
    return v;
}

/* The event being built, filled for device `dev`; NULL when filtered out. */
static __always_inline struct event *begin(const struct net_device *dev, __u32 queue, __u32 vq,
                                           __u8 type) {
    if (!wanted(dev, queue))
        return NULL;
    __u32 zero = 0;
    struct event *e = bpf_map_lookup_elem(&scratch, &zero);
    if (!e)
        return NULL;
    __builtin_memset(e, 0, sizeof(*e));
    e->ts_ns = bpf_ktime_get_ns();
    e->netns = nt_dev_netns(dev);
    e->ifindex = BPF_CORE_READ(dev, ifindex);
    e->queue = queue;
    e->vq_index = vq;
    e->cpu = bpf_get_smp_processor_id();
    e->type = type;
    e->work = -1;
    nt_dev_name(dev, e->ifname);
    return e;
}

static __always_inline int on_poll_entry(void *ctx, struct napi_struct *napi, int budget) {
    __u32 zero = 0;
    struct poll_start *s = bpf_map_lookup_elem(&poll_start, &zero);
    if (s) {
        s->napi = (__u64)napi;
        s->ts_ns = bpf_ktime_get_ns();
        s->budget = budget;
    }
    return 0;
}

/* A finished rx poll; `rq` is known for virtnet_poll's napi, looked up for the tracepoint's. */
static __always_inline int on_poll_done(void *ctx, struct napi_struct *napi, int budget, int work,
                                        struct receive_queue___nt *rq) {
    struct net_device *dev = BPF_CORE_READ(napi, dev);
    struct virtqueue *vq = rq ? BPF_CORE_READ(rq, vq) : NULL;
    __u32 queue = vq ? nt_virtnet_vq_queue(vq) : NT_QUEUE_UNKNOWN;
    struct event *e = begin(dev, queue, vq ? BPF_CORE_READ(vq, index) : 0, EV_POLL);
    if (!e)
        return 0;
    e->budget = budget;
    e->work = work;
    __u32 zero = 0;
    struct poll_start *s = bpf_map_lookup_elem(&poll_start, &zero);
    if (s && s->napi == (__u64)napi && s->ts_ns) {
        e->duration_ns = e->ts_ns - s->ts_ns;
        e->timed = 1;
        s->napi = 0;
    } else {
        nt_count(C_UNTIMED, 1);
    }
    struct queue_val *v = queue_row(e);
    if (v) {
        __sync_fetch_and_add(&v->polls, 1);
        __sync_fetch_and_add(&v->packets, work > 0 ? work : 0);
        if (work >= budget)
            __sync_fetch_and_add(&v->full_budget, 1);
        if (e->timed) {
            __sync_fetch_and_add(&v->timed, 1);
            __sync_fetch_and_add(&v->duration_sum_ns, e->duration_ns);
            if (e->duration_ns > v->duration_max_ns)
                v->duration_max_ns = e->duration_ns;
        }
    }
    nt_event_emit(ctx, e, sizeof(*e));
    return 0;
}

/* fexit/kretprobe: the packets are the return value; the napi comes from the entry of the same
 * poll (a kretprobe has no arguments), so both return programs take the same path. */
static __always_inline int on_poll_return(void *ctx, int work) {
    __u32 zero = 0;
    struct poll_start *s = bpf_map_lookup_elem(&poll_start, &zero);
    if (!s || !s->napi) {
        nt_count(C_NO_START, 1);
        return 0;
    }
    struct napi_struct *napi = (struct napi_struct *)s->napi;
    return on_poll_done(ctx, napi, s->budget, work, nt_virtnet_rq_of_napi(napi));
}

/* napi:napi_poll fires for every NAPI: virtio-net's tx NAPI (virtnet_poll_tx) is not an rx poll. */
static __always_inline int on_tp_poll(void *ctx, struct napi_struct *napi, int work, int budget) {
    struct receive_queue___nt *rq = nt_virtnet_rx_napi(napi);
    if (!rq && nt_virtnet_drives(BPF_CORE_READ(napi, dev)))
        return 0;
    return on_poll_done(ctx, napi, budget, work, rq);
}

static __always_inline int on_irq(void *ctx, struct virtqueue *vq) {
    struct virtnet_info___nt *vi = nt_virtnet_of_vq(vq);
    struct event *e =
        begin(BPF_CORE_READ(vi, dev), nt_virtnet_vq_queue(vq), BPF_CORE_READ(vq, index), EV_IRQ);
    if (!e)
        return 0;
    struct queue_val *v = queue_row(e);
    if (v)
        __sync_fetch_and_add(&v->irqs, 1);
    nt_event_emit(ctx, e, sizeof(*e));
    return 0;
}

NT_FUNCTION_PROGRAMS(virtnet_poll, nt_vpm_in_fe, nt_vpm_in_kp, on_poll_entry, struct napi_struct *,
                     napi, int, budget)

NT_FUNCTION_EXIT_PROGRAMS(virtnet_poll, nt_vpm_out_fx, nt_vpm_out_kr, on_poll_return, 2, int)

SEC("tp_btf/napi_poll")
int BPF_PROG(nt_vpm_np_btf, struct napi_struct *napi, int work, int budget) {
    return on_tp_poll(ctx, napi, work, budget);
}

SEC("tracepoint/napi/napi_poll")
int nt_vpm_np_tp(struct trace_event_raw_napi_poll *args) {
    return on_tp_poll(args, (struct napi_struct *)BPF_CORE_READ(args, napi),
                      BPF_CORE_READ(args, work), BPF_CORE_READ(args, budget));
}

NT_FUNCTION_PROGRAMS(skb_recv_done, nt_vpm_irq_fe, nt_vpm_irq_kp, on_irq, struct virtqueue *, vq)
