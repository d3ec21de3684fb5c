/* SPDX-License-Identifier: GPL-2.0 */
/* KVM irqfd accounting for one VM, shared by kvm-irqfd-stats (x86) and kvm-irqfd-stats-arm: the
 * configuration, maps and workers; each plugin declares its programs over them.
 *
 * Interrupts injected into the VM through irqfd, per waking thread, GSI and CPU, and what became
 * of each: delivered inline by kvm_arch_set_irq_inatomic (kicking vCPUs), or deferred to
 * irqfd_inject, which goes through kvm_set_irq (-> kvm_set_msi for an MSI route).
 *
 * The VM is the one QEMU_PID created (kvm->userspace_pid), read from the irqfd itself, so another
 * VM's identical GSI is never counted (upstream gated later probes on "a GSI seen active"). The
 * waker tells the category: a vhost worker (comm vhost-<pid>: a kthread before 6.4, a thread of
 * QEMU since) is data, any other thread of QEMU is control. The rx/tx subcategory of a data
 * interrupt comes from the vhost signal that woke it (vhost_add_used_and_signal_n on virtqueue 0
 * or 1 of the vhost-net device, matched by its call eventfd); upstream parsed it and ignored it.
 *
 * What kvm_arch_set_irq_inatomic returns depends on the architecture: on x86 the vCPUs reached
 * (> 0: delivered), on arm64 0 when the vGIC took the interrupt. A plugin defines
 * NT_KVM_INLINE_DELIVERED(ret) and NT_KVM_INLINE_VCPUS(ret) (the vCPUs reached, 0 when the
 * architecture does not say) before including this.
 *
 * Kernels without kprobes/fentry: kvm:kvm_msi_set_irq (x86) counts the MSIs the VM's own threads
 * inject (the VM told by the thread, the GSI unknown, the MSI's destination and vector instead),
 * and kvm:kvm_set_irq the deferred injections per GSI (in a kworker: no VM is known). */
#pragma once
#include "common.bpf.h"
#include "counters.bpf.h"
#include "function.bpf.h"
#include "modules/kvm.bpf.h"
#include "modules/vhost.bpf.h"

#if !defined(NT_KVM_INLINE_DELIVERED) || !defined(NT_KVM_INLINE_VCPUS)
#error                                                                                             \
    "define NT_KVM_INLINE_DELIVERED(ret) and NT_KVM_INLINE_VCPUS(ret) for the target architecture"
#endif

#define NT_EPOLLIN 0x1
#define NT_EWOULDBLOCK 11
#define NT_GSI_UNKNOWN 0xffffffff

enum category { CAT_OTHER, CAT_DATA, CAT_CONTROL };
enum subcategory { SUB_NONE, SUB_RX, SUB_TX };

const volatile __u32 cfg_qemu_pid = 0;
const volatile __u32 cfg_vhost_tid = 0; /* --vhost-pid: the vhost worker thread */
const volatile __u8 cfg_category = 0;   /* 0 all, else enum category */
const volatile __u8 cfg_subcategory = 0;
const volatile char cfg_vhost_comm[NT_TASK_COMM_LEN] = {}; /* "vhost-<QEMU_PID>" */

/* One row: who woke which GSI on which CPU. */
struct wake_key {
    __u32 gsi; /* NT_GSI_UNKNOWN when counted at kvm:kvm_msi_set_irq */
    __u32 cpu;
    __u32 tid;
    __u32 tgid;
    __u32 msi_dest; /* kvm:kvm_msi_set_irq only: APIC destination and vector */
    __u32 msi_vector;
    __u8 category;
    __u8 subcategory;
    __u8 _pad[2];
    char comm[NT_TASK_COMM_LEN];
};

struct wake_val {
    __u64 wakeups;     /* EPOLLIN wake-ups of the irqfd (or MSIs injected, tracepoint mode) */
    __u64 inatomic;    /* kvm_arch_set_irq_inatomic calls within them */
    __u64 inline_ok;   /* ... that returned > 0: delivered at once */
    __u64 deferred;    /* ... -EWOULDBLOCK: left to irqfd_inject (the slow path) */
    __u64 undelivered; /* ... 0 (no vCPU took it) or another error */
    __u64 vcpus;       /* sum of the positive returns: vCPUs reached */
    __u64 kicks;       /* kvm_vcpu_kick calls inside those deliveries */
    __u64 first_ns;
    __u64 last_ns;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4096);
    __type(key, struct wake_key);
    __type(value, struct wake_val);
} wakes SEC(".maps");

/* Deferred injections reaching kvm_set_msi (level 1; kvm:kvm_set_irq level 1 in tracepoint mode),
 * per GSI, and every kick of the VM's vCPUs (setup, EOIs and the slow path included), per vCPU. */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4096);
    __type(key, __u32);
    __type(value, __u64);
} slow_path SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, __u32);
    __type(value, __u64);
} vcpu_kicks SEC(".maps");

/* Per thread: the counted wake-up whose inline delivery is under way (irqfd_wakeup calls
 * kvm_arch_set_irq_inatomic, which kicks), and the vhost signal that may cause a wake-up. */
struct inflight {
    struct wake_key key;
    __u64 kvm;
    __u32 gsi;
    __u8 in_delivery;
};

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 4096);
    __type(key, __u32);
    __type(value, struct inflight);
} inflight SEC(".maps");

struct signal {
    __u64 eventfd;
    __u8 subcategory;
};

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 4096);
    __type(key, __u32);
    __type(value, struct signal);
} signals SEC(".maps");

/* wakeups_seen: EPOLLIN wake-ups of any irqfd (MSIs at the tracepoint); other_vm: of another VM. */
enum kis_counter { C_WAKEUPS_SEEN, C_OTHER_VM, C_FILTERED, C_TABLE_FULL, C_MAX };
NT_COUNTERS(kis_counter, C_MAX);

static __always_inline bool is_vhost_worker(const char *comm) {
    return comm[0] == 'v' && comm[1] == 'h' && comm[2] == 'o' && comm[3] == 's' && comm[4] == 't' &&
           comm[5] == '-';
}

static __always_inline bool ours(struct kvm___nt *kvm) {
    return kvm && BPF_CORE_READ(kvm, userspace_pid) == cfg_qemu_pid;
}

static __always_inline struct wake_val *row(struct wake_key *key) {
    struct wake_val zero = {.first_ns = bpf_ktime_get_ns()};
    struct wake_val *v = nt_map_lookup_or_init(&wakes, key, &zero);
    if (!v)
        nt_count(C_TABLE_FULL, 1);
    return v;
}

/* Fills the waker fields of key; false when the filters drop it. */
static __always_inline bool waker(struct wake_key *key, __u8 subcategory) {
    __u64 id = bpf_get_current_pid_tgid();
    key->tid = (__u32)id;
    key->tgid = id >> 32;
    key->cpu = bpf_get_smp_processor_id();
    bpf_get_current_comm(key->comm, sizeof(key->comm));
    key->category = is_vhost_worker(key->comm)  ? CAT_DATA
                    : key->tgid == cfg_qemu_pid ? CAT_CONTROL
                                                : CAT_OTHER;
    key->subcategory = subcategory;
    if ((cfg_category && key->category != cfg_category) ||
        (cfg_vhost_tid && key->tid != cfg_vhost_tid) ||
        (cfg_subcategory && key->subcategory != cfg_subcategory)) {
        nt_count(C_FILTERED, 1);
        return false;
    }
    return true;
}

static __always_inline int on_wakeup(void *ctx, wait_queue_entry_t *wait, unsigned int mode,
                                     int sync, void *key) {
    __u64 flags = (__u64)key;
    if (!(flags & NT_EPOLLIN))
        return 0;
    nt_count(C_WAKEUPS_SEEN, 1);
    struct kvm_kernel_irqfd___nt *irqfd = nt_irqfd_of_wait(wait);
    struct kvm___nt *kvm = BPF_CORE_READ(irqfd, kvm);
    if (!ours(kvm)) {
        nt_count(C_OTHER_VM, 1);
        return 0;
    }
    __u32 tid = nt_tid();
    __u8 sub = SUB_NONE;
    struct signal *s = bpf_map_lookup_elem(&signals, &tid);
    if (s && s->eventfd == (__u64)BPF_CORE_READ(irqfd, eventfd))
        sub = s->subcategory;
    struct inflight f = {.kvm = (__u64)kvm, .gsi = BPF_CORE_READ(irqfd, gsi)};
    f.key.gsi = f.gsi;
    if (!waker(&f.key, sub))
        return 0;
    struct wake_val *v = row(&f.key);
    if (!v)
        return 0;
    __sync_fetch_and_add(&v->wakeups, 1);
    v->last_ns = bpf_ktime_get_ns();
    bpf_map_update_elem(&inflight, &tid, &f, BPF_ANY);
    return 0;
}

/* kvm_arch_set_irq_inatomic(e, kvm, ...): entry marks the wake-up's delivery as under way. */
static __always_inline int on_inatomic(void *ctx, struct kvm_kernel_irq_routing_entry___nt *e,
                                       struct kvm___nt *kvm) {
    __u32 tid = nt_tid();
    struct inflight *f = bpf_map_lookup_elem(&inflight, &tid);
    if (f && f->kvm == (__u64)kvm && f->gsi == BPF_CORE_READ(e, gsi))
        f->in_delivery = 1;
    return 0;
}

static __always_inline int on_inatomic_ret(void *ctx, int ret) {
    __u32 tid = nt_tid();
    struct inflight *f = bpf_map_lookup_elem(&inflight, &tid);
    if (!f || !f->in_delivery)
        return 0;
    struct wake_val *v = bpf_map_lookup_elem(&wakes, &f->key);
    if (v) {
        __sync_fetch_and_add(&v->inatomic, 1);
        if (NT_KVM_INLINE_DELIVERED(ret)) {
            __sync_fetch_and_add(&v->inline_ok, 1);
            __sync_fetch_and_add(&v->vcpus, NT_KVM_INLINE_VCPUS(ret));
        } else if (ret == -NT_EWOULDBLOCK) {
            __sync_fetch_and_add(&v->deferred, 1);
        } else {
            __sync_fetch_and_add(&v->undelivered, 1);
        }
    }
    bpf_map_delete_elem(&inflight, &tid);
    return 0;
}

static __always_inline void add(void *map, __u32 key) {
    __u64 one = 1;
    __u64 *n = bpf_map_lookup_elem(map, &key);
    if (n)
        __sync_fetch_and_add(n, 1);
    else if (bpf_map_update_elem(map, &key, &one, BPF_NOEXIST))
        nt_count(C_TABLE_FULL, 1);
}

/* kvm_set_msi(e, kvm, irq_source_id, level, line_status): the deferred delivery of an MSI route. */
static __always_inline int on_set_msi(void *ctx, struct kvm_kernel_irq_routing_entry___nt *e,
                                      struct kvm___nt *kvm, int irq_source_id, int level) {
    if (level && ours(kvm))
        add(&slow_path, BPF_CORE_READ(e, gsi));
    return 0;
}

static __always_inline int on_kick(void *ctx, struct kvm_vcpu___nt *vcpu) {
    if (!ours(BPF_CORE_READ(vcpu, kvm)))
        return 0;
    add(&vcpu_kicks, BPF_CORE_READ(vcpu, vcpu_id));
    __u32 tid = nt_tid();
    struct inflight *f = bpf_map_lookup_elem(&inflight, &tid);
    if (!f || !f->in_delivery)
        return 0;
    struct wake_val *v = bpf_map_lookup_elem(&wakes, &f->key);
    if (v)
        __sync_fetch_and_add(&v->kicks, 1);
    return 0;
}

/* vhost_add_used_and_signal_n(dev, vq, heads, count): the signal that may wake an irqfd next,
 * with the vhost-net queue it is for (rx virtqueue 0, tx 1). */
static __always_inline int on_vhost_signal(void *ctx, struct vhost_dev___nt *dev,
                                           struct vhost_virtqueue___nt *vq, void *heads,
                                           unsigned int count) {
    /* Without vhost_net's types (only vhost loaded, e.g. for vhost-vsock) there is no rx/tx. */
    int idx = bpf_core_type_exists(struct vhost_net___nt) ? nt_vhost_net_vq_index(vq) : -1;
    struct signal s = {
        .eventfd = (__u64)nt_vq_call_ctx(vq),
        .subcategory = idx == NT_VHOST_NET_VQ_RX   ? SUB_RX
                       : idx == NT_VHOST_NET_VQ_TX ? SUB_TX
                                                   : SUB_NONE,
    };
    __u32 tid = nt_tid();
    bpf_map_update_elem(&signals, &tid, &s, BPF_ANY);
    return 0;
}

/* kvm:kvm_set_irq (tracepoint mode): a deferred injection (level 1) of a GSI, of any VM. */
static __always_inline int on_set_irq_tp(int level, __u32 gsi) {
    if (level)
        add(&slow_path, gsi);
    return 0;
}

/* Tracepoint mode: the VM is known only from the injecting thread. */
static __always_inline int on_msi_tp(__u64 address, __u64 data) {
    char comm[NT_TASK_COMM_LEN];
    bpf_get_current_comm(comm, sizeof(comm));
    bool vm_thread = nt_tgid() == cfg_qemu_pid;
    for (int i = 0; i < NT_TASK_COMM_LEN && !vm_thread; i++) {
        if (comm[i] != cfg_vhost_comm[i])
            break;
        if (!comm[i] || i == NT_TASK_COMM_LEN - 1)
            vm_thread = true;
    }
    nt_count(C_WAKEUPS_SEEN, 1);
    if (!vm_thread) {
        nt_count(C_OTHER_VM, 1);
        return 0;
    }
    struct wake_key key = {
        .gsi = NT_GSI_UNKNOWN, .msi_dest = (__u8)(address >> 12), .msi_vector = (__u8)data};
    if (!waker(&key, SUB_NONE))
        return 0;
    struct wake_val *v = row(&key);
    if (v) {
        __sync_fetch_and_add(&v->wakeups, 1);
        v->last_ns = bpf_ktime_get_ns();
    }
    return 0;
}

/* The programs of the shared hooks, named <p>_wake_fe, <p>_wake_kp, ...; the TypeScript side finds
 * them by their sections (functionHook). Each plugin adds its own tracepoint fallback for
 * irqfd_wakeup where one exists. kvm_arch_set_irq_inatomic(e, kvm, irq_source_id, level,
 * line_status): five arguments before the return value. */
#define NT_KVM_IRQFD_PROGRAMS(p)                                                                   \
    NT_FUNCTION_PROGRAMS(irqfd_wakeup, p##_wake_fe, p##_wake_kp, on_wakeup, wait_queue_entry_t *,  \
                         wait, unsigned int, mode, int, sync, void *, key)                         \
    NT_FUNCTION_PROGRAMS(kvm_arch_set_irq_inatomic, p##_inat_fe, p##_inat_kp, on_inatomic,         \
                         struct kvm_kernel_irq_routing_entry___nt *, e, struct kvm___nt *, kvm)    \
    NT_FUNCTION_EXIT_PROGRAMS(kvm_arch_set_irq_inatomic, p##_inat_fx, p##_inat_kr,                 \
                              on_inatomic_ret, 5, int)                                             \
    NT_FUNCTION_PROGRAMS(kvm_set_msi, p##_msi_fe, p##_msi_kp, on_set_msi,                          \
                         struct kvm_kernel_irq_routing_entry___nt *, e, struct kvm___nt *, kvm,    \
                         int, irq_source_id, int, level)                                           \
    SEC("tracepoint/kvm/kvm_set_irq")                                                              \
    int p##_sirq_tp(struct trace_event_raw_kvm_set_irq *args) {                                    \
        return on_set_irq_tp(BPF_CORE_READ(args, level), BPF_CORE_READ(args, gsi));                \
    }                                                                                              \
    NT_FUNCTION_PROGRAMS(kvm_vcpu_kick, p##_kick_fe, p##_kick_kp, on_kick, struct kvm_vcpu___nt *, \
                         vcpu)                                                                     \
    NT_VHOST_SIGNAL_ENTRY_PROGRAMS(p##_vsig_fe, p##_vsig_kp, on_vhost_signal)
