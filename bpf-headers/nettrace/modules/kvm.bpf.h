/* SPDX-License-Identifier: GPL-2.0 */
/* kvm irqfd fields for CO-RE against module BTF (/sys/kernel/btf/kvm). irqfd_wakeup() receives
 * the wait-queue entry embedded in struct kvm_kernel_irqfd: container_of with the offset taken
 * from the running kernel's BTF (bpf_core_field_offset), never a constant. */
#pragma once
#include "common.bpf.h"

struct kvm_kernel_irqfd___nt {
    struct kvm *kvm;
    wait_queue_entry_t wait;
    int gsi;
    struct eventfd_ctx *eventfd;
} __attribute__((preserve_access_index));

static __always_inline struct kvm_kernel_irqfd___nt *nt_irqfd_of_wait(wait_queue_entry_t *wait) {
    return (struct kvm_kernel_irqfd___nt *)((char *)wait -
                                           bpf_core_field_offset(struct kvm_kernel_irqfd___nt, wait));
}
