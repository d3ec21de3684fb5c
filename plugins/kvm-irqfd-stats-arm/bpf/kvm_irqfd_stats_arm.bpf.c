/* SPDX-License-Identifier: GPL-2.0 */
/* kvm-irqfd-stats-arm (arm64, GIC): the irqfd accounting of kvm-irqfd-stats (kvm_irqfd.bpf.h),
 * plus where the vGIC takes each interrupt of the VM: queued for a vCPU (vgic_queue_irq_unlock)
 * and written into a list register (vgic_v2_populate_lr / vgic_v3_populate_lr), per INTID. The
 * INTID is struct vgic_irq's intid field, read with CO-RE (upstream read offset 0: the irq_lock).
 * On arm64 kvm_arch_set_irq_inatomic returns 0 when the vGIC took the interrupt (an SPI, or an
 * MSI through a cached ITS translation), -EWOULDBLOCK when it must be deferred, and never how
 * many vCPUs. Built for arm64 (package.json nettrace.bpfArch): the kprobes read arm64 registers. */
#define NT_KVM_INLINE_DELIVERED(ret) ((ret) == 0)
#define NT_KVM_INLINE_VCPUS(ret) 0
#include "kvm_irqfd.bpf.h"

/* struct vgic_irq (include/kvm/arm_vgic.h): kvm is built in on arm64, so vmlinux BTF has it. */
struct vgic_irq___nt {
    __u32 intid;
} __attribute__((preserve_access_index));

struct vgic_lr_key {
    __u32 intid;
    __u32 version; /* GIC v2 or v3 list registers */
};

/* The VM's interrupts the vGIC queued for a vCPU, per INTID. */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4096);
    __type(key, __u32);
    __type(value, __u64);
} vgic_queued SEC(".maps");

/* ... and written into a list register on guest entry, per INTID and GIC version. */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4096);
    __type(key, struct vgic_lr_key);
    __type(value, __u64);
} vgic_lr SEC(".maps");

NT_EXPORT_TYPE(struct vgic_lr_key, vgic_lr_key);

/* vgic_queue_irq_unlock(kvm, irq, flags) */
static __always_inline int on_vgic_queue(void *ctx, struct kvm___nt *kvm,
                                         struct vgic_irq___nt *irq) {
    if (ours(kvm))
        add(&vgic_queued, BPF_CORE_READ(irq, intid));
    return 0;
}

/* vgic_v{2,3}_populate_lr(vcpu, irq, lr) */
static __always_inline int on_populate_lr(struct kvm_vcpu___nt *vcpu, struct vgic_irq___nt *irq,
                                          __u32 version) {
    if (!ours(BPF_CORE_READ(vcpu, kvm)))
        return 0;
    struct vgic_lr_key key = {.intid = BPF_CORE_READ(irq, intid), .version = version};
    __u64 one = 1, *n = bpf_map_lookup_elem(&vgic_lr, &key);
    if (n)
        __sync_fetch_and_add(n, 1);
    else if (bpf_map_update_elem(&vgic_lr, &key, &one, BPF_NOEXIST))
        nt_count(C_TABLE_FULL, 1);
    return 0;
}

static __always_inline int on_populate_lr_v2(void *ctx, struct kvm_vcpu___nt *vcpu,
                                             struct vgic_irq___nt *irq) {
    return on_populate_lr(vcpu, irq, 2);
}

static __always_inline int on_populate_lr_v3(void *ctx, struct kvm_vcpu___nt *vcpu,
                                             struct vgic_irq___nt *irq) {
    return on_populate_lr(vcpu, irq, 3);
}

NT_KVM_IRQFD_PROGRAMS(nt_kia)

NT_FUNCTION_PROGRAMS(vgic_queue_irq_unlock, nt_kia_vq_fe, nt_kia_vq_kp, on_vgic_queue,
                     struct kvm___nt *, kvm, struct vgic_irq___nt *, irq)
NT_FUNCTION_PROGRAMS(vgic_v2_populate_lr, nt_kia_lr2_fe, nt_kia_lr2_kp, on_populate_lr_v2,
                     struct kvm_vcpu___nt *, vcpu, struct vgic_irq___nt *, irq)
NT_FUNCTION_PROGRAMS(vgic_v3_populate_lr, nt_kia_lr3_fe, nt_kia_lr3_kp, on_populate_lr_v3,
                     struct kvm_vcpu___nt *, vcpu, struct vgic_irq___nt *, irq)
