/* SPDX-License-Identifier: GPL-2.0 */
/* virtnet-irq-monitor: for chosen IRQs (by default the guest's virtio-net vectors), how often does
 * each handler run, on which CPU, with which return value, for how long, and how far apart? Kept
 * per (IRQ, CPU) so every CPU updates only its own entries. Entry/exit are paired through a small
 * per-CPU stack, so a nested handler never overwrites the outer one's start time. Hooks: tp_btf,
 * else raw_tp, else the classic tracepoints. */
#include "counters.bpf.h"

#define VIM_MAX_IRQ 8192
#define VIM_DEPTH 4

const volatile __u8 cfg_all_irqs = 0;
const volatile __u8 cfg_irq_mask[VIM_MAX_IRQ / 8] = {}; /* bitmap of traced IRQ numbers */

struct irq_key {
    __u32 irq;
    __u32 cpu;
};

struct irq_val {
    __u64 calls;       /* irq_handler_entry: handler invocations */
    __u64 ret_none;    /* irq_handler_exit with IRQ_NONE */
    __u64 ret_handled; /* IRQ_HANDLED */
    __u64 ret_wake;    /* IRQ_WAKE_THREAD */
    __u64 ret_other;
    __u64 dur_sum_ns; /* handler time of the paired entry/exit */
    __u64 dur_max_ns;
    __u64 paired;
};

struct irq_gap {
    __u64 last_ns; /* last entry of this IRQ on any CPU */
    __u64 gap_sum_ns;
    __u64 gaps;
};

struct irq_frames {
    __u64 ts[VIM_DEPTH];
    __s32 irq[VIM_DEPTH];
    __u32 depth;
    __u32 _pad;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4096);
    __type(key, struct irq_key);
    __type(value, struct irq_val);
} stats SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, __u32);
    __type(value, struct irq_gap);
} gaps SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct irq_frames);
} frames SEC(".maps");

/* Updates that found a table full, and entries/exits that could not be paired (attached
 * mid-handler, or nesting deeper than VIM_DEPTH): their duration is not measured. */
enum vim_counter { VIM_UNTRACKED, VIM_UNPAIRED, VIM_COUNTERS };
NT_COUNTERS(vim_counter, VIM_COUNTERS);

static __always_inline bool irq_traced(int irq) {
    if (cfg_all_irqs)
        return true;
    __u32 n = irq;
    if (irq < 0 || n >= VIM_MAX_IRQ)
        return false;
    return cfg_irq_mask[n / 8] & (1 << (n % 8));
}

static __always_inline struct irq_val *stats_of(__u32 irq, __u32 cpu) {
    struct irq_key key = {.irq = irq, .cpu = cpu};
    struct irq_val zero = {};
    struct irq_val *val = nt_map_lookup_or_init(&stats, &key, &zero);
    if (!val)
        nt_count(VIM_UNTRACKED, 1);
    return val;
}

static __always_inline int on_entry(int irq) {
    if (!irq_traced(irq))
        return 0;
    __u64 now = bpf_ktime_get_ns();
    __u32 cpu = bpf_get_smp_processor_id();
    struct irq_val *val = stats_of(irq, cpu);
    if (val)
        val->calls += 1; /* only this CPU updates its own (irq, cpu) entry */
    __u32 key = irq;
    struct irq_gap *g = bpf_map_lookup_elem(&gaps, &key);
    if (g) {
        __sync_fetch_and_add(&g->gap_sum_ns, now - g->last_ns);
        __sync_fetch_and_add(&g->gaps, 1);
        g->last_ns = now;
    } else {
        struct irq_gap first = {.last_ns = now};
        if (bpf_map_update_elem(&gaps, &key, &first, BPF_NOEXIST) &&
            !bpf_map_lookup_elem(&gaps, &key))
            nt_count(VIM_UNTRACKED, 1);
    }
    __u32 zero = 0;
    struct irq_frames *f = bpf_map_lookup_elem(&frames, &zero);
    if (!f)
        return 0;
    __u32 d = f->depth;
    if (d >= VIM_DEPTH) { /* exits were missed (e.g. attached mid-handler): start over */
        nt_count(VIM_UNPAIRED, 1);
        d = 0;
    }
    f->ts[d] = now;
    f->irq[d] = irq;
    f->depth = d + 1;
    return 0;
}

static __always_inline int on_exit(int irq, int ret) {
    if (!irq_traced(irq))
        return 0;
    __u64 now = bpf_ktime_get_ns();
    struct irq_val *val = stats_of(irq, bpf_get_smp_processor_id());
    if (!val)
        return 0;
    if (ret == 0)
        val->ret_none += 1;
    else if (ret == 1)
        val->ret_handled += 1;
    else if (ret == 2)
        val->ret_wake += 1;
    else
        val->ret_other += 1;
    __u32 zero = 0;
    struct irq_frames *f = bpf_map_lookup_elem(&frames, &zero);
    if (!f)
        return 0;
    __u32 d = f->depth - 1;
    if (f->depth == 0 || d >= VIM_DEPTH || f->irq[d] != irq) {
        nt_count(VIM_UNPAIRED, 1); /* no matching entry: drop the stack, it cannot be trusted */
        f->depth = 0;
        return 0;
    }
    f->depth = d;
    __u64 dur = now - f->ts[d];
    val->dur_sum_ns += dur;
    val->paired += 1;
    if (dur > val->dur_max_ns)
        val->dur_max_ns = dur;
    return 0;
}

SEC("tp_btf/irq_handler_entry")
int BPF_PROG(nt_vim_in_btf, int irq, struct irqaction *action) {
    return on_entry(irq);
}

SEC("tp_btf/irq_handler_exit")
int BPF_PROG(nt_vim_out_btf, int irq, struct irqaction *action, int ret) {
    return on_exit(irq, ret);
}

SEC("raw_tp/irq_handler_entry")
int BPF_PROG(nt_vim_in_raw, int irq, struct irqaction *action) {
    return on_entry(irq);
}

SEC("raw_tp/irq_handler_exit")
int BPF_PROG(nt_vim_out_raw, int irq, struct irqaction *action, int ret) {
    return on_exit(irq, ret);
}

SEC("tracepoint/irq/irq_handler_entry")
int nt_vim_in_tp(struct trace_event_raw_irq_handler_entry *args) {
    return on_entry(BPF_CORE_READ(args, irq));
}

SEC("tracepoint/irq/irq_handler_exit")
int nt_vim_out_tp(struct trace_event_raw_irq_handler_exit *args) {
    return on_exit(BPF_CORE_READ(args, irq), BPF_CORE_READ(args, ret));
}
