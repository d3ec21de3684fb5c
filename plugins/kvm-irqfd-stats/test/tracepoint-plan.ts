// The plan without kprobes and fentry (the live kernel here, and NETTRACE_AVOID=fentry,kprobe,fexit,kretprobe in
// the test kernels): hook → chosen target, null where the hook is missing.
export const TRACEPOINT_PLAN = [
  ['irqfd_wakeup', 'kvm/kvm_msi_set_irq'],
  ['inline delivery', null],
  ['inline delivery result', null],
  ['deferred delivery', 'kvm/kvm_set_irq'],
  ['vcpu kick', null],
  ['vhost signal', null],
];
