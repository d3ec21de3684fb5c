/* SPDX-License-Identifier: GPL-2.0 */
/* kvm irqfd fields for CO-RE against module BTF (/sys/kernel/btf/kvm). irqfd_wakeup() receives
 * the wait-queue entry embedded in struct kvm_kernel_irqfd: container_of with the offset taken
 * from the running kernel's BTF (bpf_core_field_offset), never a constant. Every read is proven on
 * 5.10, 6.1 and 6.12 by test-kernel/fixtures/kvm-smoke (on 6.12 through the kprobe: fentry on
 * irqfd_wakeup links there but never runs). The vCPU and routing-entry reads are proven by
 * plugins/kvm-irqfd-stats's kernel test (exact per-GSI and per-vCPU counts against tk-kvm-vm). */
#pragma once
#include "common.bpf.h"

/* struct kvm (include/linux/kvm_host.h, described by the kvm module's BTF): the VM's owner. */
struct kvm___nt {
    struct mm_struct *mm; /* mm of the process that created the VM (KVM_CREATE_VM) */
    pid_t userspace_pid;  /* its pid (the VMM, e.g. qemu) */
} __attribute__((preserve_access_index));

/* The vCPU kvm_vcpu_kick() is given, and its VM. */
struct kvm_vcpu___nt {
    struct kvm___nt *kvm;
    int vcpu_id;
} __attribute__((preserve_access_index));

/* A GSI's routing entry, as kvm_arch_set_irq_inatomic() and kvm_set_msi() receive it. */
struct kvm_kernel_irq_routing_entry___nt {
    __u32 gsi;
    __u32 type;
} __attribute__((preserve_access_index));

struct kvm_kernel_irqfd___nt {
    struct kvm___nt *kvm;
    wait_queue_entry_t wait;
    int gsi;
    struct eventfd_ctx *eventfd;
} __attribute__((preserve_access_index));

static __always_inline struct kvm_kernel_irqfd___nt *nt_irqfd_of_wait(wait_queue_entry_t *wait) {
    return nt_container_of(wait, struct kvm_kernel_irqfd___nt, wait);
}
