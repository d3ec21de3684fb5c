// kvm-irqfd-stats: how many interrupts reach one VM through KVM irqfd, from which vhost or QEMU
// thread, on which GSI and CPU, and how KVM delivered them (inline to vCPUs, or deferred to the
// slow path).
import { definePlugin } from '@nettrace/core';
import { hooks, options } from './hooks.js';
import { contract } from './kvm_irqfd_stats.gen.js';
import { collect } from './report.js';
import { configureWith, liveProc } from './vm.js';

// For kvm-irqfd-stats-arm, the same tool on arm64: its options, hooks, checks and report.
export { type IrqfdArch, irqfdHooks, options } from './hooks.js';
export { type Ctx, collect, countRows } from './report.js';
export { configureWith, liveProc, type ProcView } from './vm.js';

export default definePlugin({
  id: 'kvm-irqfd-stats',
  summary: 'Interrupts injected into one VM through KVM irqfd, per vhost/QEMU thread, GSI and CPU, and how KVM delivered them',
  description:
    "Hooks kvm irqfd_wakeup (fentry, else kprobe; the VM is the one QEMU_PID created, read from the irqfd), kvm_arch_set_irq_inatomic entry and return (inline delivery and its result), kvm_set_msi (deferred MSIs), kvm_vcpu_kick and vhost_add_used_and_signal_n (rx/tx of data interrupts). Without kprobes and fentry it falls back to the kvm:kvm_msi_set_irq and kvm:kvm_set_irq tracepoints (degraded: MSIs by the VM's threads without GSI, deferred injections of every VM).",
  contract,
  options,
  defaultInterval: 5,
  hooks,
  configure: configureWith(liveProc),
  output: { kind: 'report', collect: (ctx) => collect(ctx) },
});
