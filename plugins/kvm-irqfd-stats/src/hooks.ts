// The options and hooks of kvm-irqfd-stats; the programs are found in the object by their
// sections (NT_KVM_IRQFD_PROGRAMS in bpf-headers/nettrace/kvm_irqfd.bpf.h).
import { functionHook, type OptionsSchema } from '@nettrace/core';

export const options = {
  qemuPid: {
    kind: 'pid',
    long: 'qemu-pid',
    positional: true,
    required: true,
    description: 'the VM: pid of its QEMU (the process that created it)',
    rodata: 'cfg_qemu_pid',
  },
  vhostPid: {
    kind: 'pid',
    long: 'vhost-pid',
    description: 'only interrupts raised by this vhost worker thread (with --category data)',
  },
  category: {
    kind: 'enum',
    long: 'category',
    description: 'data: raised by vhost workers; control: by QEMU itself',
    choices: ['data', 'control'],
  },
  subcategory: {
    kind: 'enum',
    long: 'subcategory',
    description: 'with --category data: the vhost-net virtqueue that signalled',
    choices: ['rx', 'tx'],
  },
} as const satisfies OptionsSchema;

/** Where the kvm functions are and which tracepoints exist: x86 has kvm as a module and
 * kvm:kvm_msi_set_irq; arm64 builds kvm in and has no such tracepoint (kvm-irqfd-stats-arm). */
export interface IrqfdArch {
  kvmModule?: 'kvm';
  msiTracepoint: boolean;
}

/** irqfd_wakeup (kvm:kvm_msi_set_irq where kprobes and fentry are missing, if the architecture has
 * it), the inline delivery and its result, the deferred one (kvm:kvm_set_irq as its fallback),
 * vCPU kicks, and the vhost signal that tells rx from tx. The programs are NT_KVM_IRQFD_PROGRAMS'. */
export function irqfdHooks(arch: IrqfdArch) {
  const kvm = arch.kvmModule ? { module: arch.kvmModule } : {};
  return [
    functionHook('irqfd_wakeup', 'irqfd_wakeup', { ...kvm, fallback: arch.msiTracepoint ? ['kvm/kvm_msi_set_irq'] : [] }),
    functionHook('inline delivery', 'kvm_arch_set_irq_inatomic', { ...kvm, optional: true, degrades: 'inline delivery counts' }),
    functionHook('inline delivery result', 'kvm_arch_set_irq_inatomic', {
      ...kvm,
      exit: true,
      optional: true,
      degrades: 'inline delivery results and kicks',
    }),
    functionHook('deferred delivery', 'kvm_set_msi', {
      ...kvm,
      fallback: ['kvm/kvm_set_irq'],
      optional: true,
      degrades: 'the deferred (slow path) injections',
    }),
    functionHook('vcpu kick', 'kvm_vcpu_kick', { ...kvm, optional: true, degrades: 'vCPU kicks' }),
    functionHook('vhost signal', 'vhost_add_used_and_signal_n', {
      module: 'vhost',
      optional: true,
      degrades: 'the rx/tx subcategory (and its filter)',
    }),
  ];
}

export const hooks = irqfdHooks({ kvmModule: 'kvm', msiTracepoint: true });
