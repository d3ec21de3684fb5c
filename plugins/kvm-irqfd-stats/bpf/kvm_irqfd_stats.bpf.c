/* SPDX-License-Identifier: GPL-2.0 */
/* kvm-irqfd-stats (x86): the programs over the shared irqfd accounting (kvm_irqfd.bpf.h), with the
 * kvm:kvm_msi_set_irq and kvm:kvm_set_irq tracepoints as the fallbacks where kprobes and fentry
 * are missing. On x86 kvm_arch_set_irq_inatomic returns the vCPUs that took the interrupt. */
#define NT_KVM_INLINE_DELIVERED(ret) ((ret) > 0)
#define NT_KVM_INLINE_VCPUS(ret) (ret)
#include "kvm_irqfd.bpf.h"

NT_KVM_IRQFD_PROGRAMS(nt_kis)

SEC("tracepoint/kvm/kvm_msi_set_irq")
int nt_kis_msi_tp(struct trace_event_raw_kvm_msi_set_irq *args) {
    return on_msi_tp(BPF_CORE_READ(args, address), BPF_CORE_READ(args, data));
}

NT_EXPORT_TYPE(struct wake_key, wake_key);
NT_EXPORT_TYPE(struct wake_val, wake_val);
