/* SPDX-License-Identifier: GPL-2.0 */
/* ovs-kernel-drop-monitor: which packets does the Open vSwitch kernel datapath drop, why, and
 * from which code path? A packet is followed by its skb from the moment OVS starts executing a
 * flow's actions on it (ovs_execute_actions: every datapath packet, megaflow hit or one sent back
 * by ovs-vswitchd, also after recirculation) until that call returns. Freed in between, it is a
 * datapath drop, in whatever context the datapath ran (softirq receive, a sending task, a handler
 * thread executing an upcall's answer):
 *   - skb:kfree_skb: a drop, with the kernel's reason (6.7+: OVS_DROP_* of the openvswitch
 *     subsystem, or a core reason such as the MTU check's);
 *   - skb:consume_skb: before 6.7 OVS frees a packet its actions dropped (a drop action, empty
 *     actions, a meter's drop band) as "consumed"; it is a drop unless the packet was handed on
 *     (ovs_vport_send: a device's own frees follow, e.g. GSO segmentation; an upcall: user space
 *     got a copy). A meter that said "drop" (ovs_meter_execute's return) names the cause.
 * Without the function hooks (no openvswitch module, kprobes or fentry) only drops the kernel
 * itself attributes to openvswitch (its drop-reason subsystem, 6.7+) are counted. The address,
 * port and protocol filters apply to the flow key OVS extracted, before anything is counted. */
#include "function.bpf.h"
#include "filter.bpf.h"
#include "counters.bpf.h"
#include "stack.bpf.h"
#include "buffer.bpf.h"
#include "call_frames.bpf.h"
#include "kfree_skb.bpf.h"
#include "netdev.bpf.h"
#include "modules/openvswitch.bpf.h"

/* --trace: one event per drop, besides the table. */
const volatile __u8 cfg_trace = 0;

/* How a drop was seen: a kfree_skb (the kernel's reason says why), or a consume_skb of a packet
 * the datapath did not hand on: after a meter's drop, or with no output left (drop actions). */
enum drop_kind { KIND_KFREE, KIND_METER, KIND_NO_OUTPUT, KIND_OVS_REASON };
NT_EXPORT_TYPE(enum drop_kind, drop_kind);

/* A packet inside OVS action execution. */
struct tracked {
    struct nt_flow flow;
    __u32 in_ifindex; /* the datapath port it came in on (0: sent by user space) */
    __u8 handed;      /* given to a port's device or to user space */
    __u8 metered;     /* a meter decided to drop it */
    __u8 _pad[2];
    char in_ifname[NT_IFNAMSIZ];
};

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 8192);
    __type(key, __u64);
    __type(value, struct tracked);
} tracked SEC(".maps");

struct drop_key {
    __u32 reason; /* enum skb_drop_reason of the running kernel (0 for consume_skb drops) */
    __u32 kind;   /* enum drop_kind */
    __s32 stack_id;
    __u32 in_ifindex;
    struct nt_flow flow;
};

struct drop_val {
    __u64 count;
    __u64 bytes;
    __u64 last_ns;
    char in_ifname[NT_IFNAMSIZ];
};

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 10240);
    __type(key, struct drop_key);
    __type(value, struct drop_val);
} drops SEC(".maps");

struct drop_event {
    __u64 ts_ns;
    void *location; /* the kernel address that freed it (kfree_skb; NULL for consume_skb); a
                     * pointer so it decodes as a bigint */
    __u32 reason;
    __u32 kind;
    __s32 stack_id;
    __u32 pid;
    __u32 cpu;
    __u32 in_ifindex;
    __u32 len;
    __u32 _pad;
    char comm[NT_TASK_COMM_LEN];
    char in_ifname[NT_IFNAMSIZ];
    struct nt_flow flow;
};
NT_EXPORT_TYPE(struct drop_event, drop_event);

enum okd_counter {
    C_DROPS,       /* every drop that passed the filters (the table is an LRU: this is the total) */
    C_EXECUTIONS,  /* action executions of packets that passed the filters */
    C_UNTRACKED,   /* executions not followed: the tracking table had no room */
    C_HANDED_FREE, /* consumed after being handed on: not drops */
    C_MAX,
};
NT_COUNTERS(okd_counter, C_MAX);

struct call_frame {
    __u64 skb;
};
NT_CALL_FRAMES(exec_frames, struct call_frame)
NT_CALL_FRAMES(meter_frames, struct call_frame)

/* Local flavour of the drop-reason subsystems (6.7+); CO-RE finds the kernel's value. */
enum skb_drop_reason_subsys___nt {
    SKB_DROP_REASON_SUBSYS_OPENVSWITCH___nt = 3,
};
#define NT_DROP_SUBSYS_SHIFT 16

/* The openvswitch subsystem's number, or ~0 on kernels without OVS drop reasons. */
static __always_inline __u32 ovs_reason_subsys(void) {
    if (bpf_core_enum_value_exists(enum skb_drop_reason_subsys___nt,
                                   SKB_DROP_REASON_SUBSYS_OPENVSWITCH___nt))
        return bpf_core_enum_value(enum skb_drop_reason_subsys___nt,
                                   SKB_DROP_REASON_SUBSYS_OPENVSWITCH___nt);
    return ~0U;
}

static __always_inline int on_execute(void *ctx, struct datapath___nt *dp, struct sk_buff *skb,
                                      const void *acts, const struct sw_flow_key___nt *key) {
    struct call_frame *f = exec_frames_push();
    struct tracked t = {};
    nt_ovs_key_flow(key, &t.flow);
    if (!nt_flow_match(&t.flow))
        return 0;
    struct net_device *in = nt_ovs_vport_dev(nt_ovs_input_vport(skb));
    if (in) {
        t.in_ifindex = BPF_CORE_READ(in, ifindex);
        nt_dev_name(in, t.in_ifname);
    }
    nt_count(C_EXECUTIONS, 1);
    __u64 id = (__u64)skb;
    if (bpf_map_update_elem(&tracked, &id, &t, BPF_ANY)) {
        nt_count(C_UNTRACKED, 1);
        return 0;
    }
    if (f)
        f->skb = id;
    return 0;
}

NT_FUNCTION_PROGRAMS(ovs_execute_actions, nt_okd_fe_exec, nt_okd_kp_exec, on_execute,
                     struct datapath___nt *, dp, struct sk_buff *, skb, const void *, acts,
                     const struct sw_flow_key___nt *, key)

/* The call returned: whatever became of the packet, the datapath has let go of it. */
static __always_inline int on_execute_return(void *ctx, long ret) {
    struct call_frame f;
    if (exec_frames_pop(&f) == 0 && f.skb)
        bpf_map_delete_elem(&tracked, &f.skb);
    return 0;
}

NT_FUNCTION_EXIT_PROGRAMS(ovs_execute_actions, nt_okd_fx_exec, nt_okd_kr_exec, on_execute_return, 4,
                          int)

static __always_inline int on_meter(void *ctx, struct datapath___nt *dp, struct sk_buff *skb) {
    struct call_frame *f = meter_frames_push();
    if (f)
        f->skb = (__u64)skb;
    return 0;
}

NT_FUNCTION_PROGRAMS(ovs_meter_execute, nt_okd_fe_meter, nt_okd_kp_meter, on_meter,
                     struct datapath___nt *, dp, struct sk_buff *, skb)

/* ovs_meter_execute() returns true when the packet exceeds the band: the caller drops it. */
static __always_inline int on_meter_return(void *ctx, bool drop) {
    struct call_frame f;
    if (meter_frames_pop(&f) || !drop)
        return 0;
    struct tracked *t = bpf_map_lookup_elem(&tracked, &f.skb);
    if (t)
        t->metered = 1;
    return 0;
}

NT_FUNCTION_EXIT_PROGRAMS(ovs_meter_execute, nt_okd_fx_meter, nt_okd_kr_meter, on_meter_return, 4,
                          bool)

static __always_inline void hand_on(struct sk_buff *skb) {
    __u64 id = (__u64)skb;
    struct tracked *t = bpf_map_lookup_elem(&tracked, &id);
    if (t)
        t->handed = 1;
}

static __always_inline int on_vport_send(void *ctx, const struct vport___nt *vport,
                                         struct sk_buff *skb) {
    hand_on(skb);
    return 0;
}

NT_FUNCTION_PROGRAMS(ovs_vport_send, nt_okd_fe_send, nt_okd_kp_send, on_vport_send,
                     const struct vport___nt *, vport, struct sk_buff *, skb)

SEC("tracepoint/openvswitch/ovs_dp_upcall")
int nt_okd_tp_upc(struct trace_event_raw_ovs_dp_upcall___nt *ctx) {
    hand_on((struct sk_buff *)ctx->skbaddr);
    return 0;
}

static __always_inline int on_upcall(void *ctx, struct datapath___nt *dp, struct sk_buff *skb) {
    hand_on(skb);
    return 0;
}

NT_FUNCTION_PROGRAMS(ovs_dp_upcall, nt_okd_fe_upc, nt_okd_kp_upc, on_upcall, struct datapath___nt *,
                     dp, struct sk_buff *, skb)

static __always_inline void count(void *ctx, struct sk_buff *skb, __u64 location, __u32 reason,
                                  __u32 kind, const struct tracked *t) {
    nt_count(C_DROPS, 1);
    struct drop_key key = {.reason = reason, .kind = kind, .in_ifindex = t->in_ifindex};
    key.flow = t->flow;
    key.stack_id = nt_kernel_stack(ctx);
    __u32 len = BPF_CORE_READ(skb, len);
    struct drop_val zero = {};
    struct drop_val *val = nt_map_lookup_or_init(&drops, &key, &zero);
    if (val) {
        if (!val->in_ifname[0])
            __builtin_memcpy(val->in_ifname, t->in_ifname, NT_IFNAMSIZ);
        __sync_fetch_and_add(&val->count, 1);
        __sync_fetch_and_add(&val->bytes, len);
        val->last_ns = bpf_ktime_get_ns();
    }
    if (!cfg_trace)
        return;
    struct drop_event *e = nt_event_reserve(sizeof(*e));
    if (!e)
        return;
    e->ts_ns = bpf_ktime_get_ns();
    e->location = (void *)location;
    e->reason = reason;
    e->kind = kind;
    e->stack_id = key.stack_id;
    e->pid = nt_tgid();
    e->cpu = bpf_get_smp_processor_id();
    e->in_ifindex = t->in_ifindex;
    e->len = len;
    e->_pad = 0;
    bpf_get_current_comm(e->comm, sizeof(e->comm));
    __builtin_memcpy(e->in_ifname, t->in_ifname, NT_IFNAMSIZ);
    e->flow = t->flow;
    nt_event_submit(ctx, e);
}

/* Scratch for a drop of an untracked packet (too big for the stack next to the key). */
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct tracked);
} scratch SEC(".maps");

static __always_inline int on_kfree(void *ctx, struct sk_buff *skb, __u64 location, __u32 reason) {
    if (!skb || reason == nt_skb_consumed_reason())
        return 0;
    __u64 id = (__u64)skb;
    struct tracked *t = bpf_map_lookup_elem(&tracked, &id);
    if (t) {
        count(ctx, skb, location, reason, KIND_KFREE, t);
        bpf_map_delete_elem(&tracked, &id);
        return 0;
    }
    /* Not followed (a clone made inside the actions, or no function hooks): a drop the kernel
     * itself attributes to openvswitch still is one; its flow is read from the packet. */
    if (reason >> NT_DROP_SUBSYS_SHIFT != ovs_reason_subsys())
        return 0;
    __u32 zero = 0;
    struct tracked *s = bpf_map_lookup_elem(&scratch, &zero);
    if (!s)
        return 0;
    __builtin_memset(s, 0, sizeof(*s));
    if (nt_parse_skb(skb, &s->flow) < 0 && (cfg_src_ip_set || cfg_dst_ip_set || cfg_protocol))
        return 0;
    if (!nt_flow_match(&s->flow))
        return 0;
    count(ctx, skb, location, reason, KIND_OVS_REASON, s);
    return 0;
}

NT_KFREE_SKB_PROGRAMS(nt_okd_btf_free, nt_okd_tp_free, on_kfree)

static __always_inline int on_consume(void *ctx, struct sk_buff *skb) {
    __u64 id = (__u64)skb;
    struct tracked *t = skb ? bpf_map_lookup_elem(&tracked, &id) : NULL;
    if (!t)
        return 0;
    if (t->metered)
        count(ctx, skb, 0, 0, KIND_METER, t);
    else if (t->handed)
        nt_count(C_HANDED_FREE, 1);
    else
        count(ctx, skb, 0, 0, KIND_NO_OUTPUT, t);
    bpf_map_delete_elem(&tracked, &id);
    return 0;
}

struct trace_event_raw_consume_skb___nt {
    void *skbaddr;
} __attribute__((preserve_access_index));

SEC("tp_btf/consume_skb")
int BPF_PROG(nt_okd_btf_cons, struct sk_buff *skb) {
    return on_consume(ctx, skb);
}

SEC("tracepoint/skb/consume_skb")
int nt_okd_tp_cons(struct trace_event_raw_consume_skb___nt *args) {
    return on_consume(args, (struct sk_buff *)BPF_CORE_READ(args, skbaddr));
}
