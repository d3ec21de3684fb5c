// The hooks of bpf-headers/nettrace/modules/vhost_signal.bpf.h, shared by the vhost-net plugins
// that follow a signal call to the interrupt it raises (or not).
import { functionHook, type HookSpec } from './hooks.js';

/**
 * Entry and exit of vhost_add_used_and_signal_n (NT_VHOST_SIGNAL_PROGRAMS), and the
 * eventfd_signal() that carries the interrupt (NT_EVENTFD_SIGNAL_PROGRAMS: eventfd_signal where it
 * is a function, eventfd_signal_mask where it is an inline wrapper, 6.12; fixed program names).
 */
export function vhostSignalHooks() {
  const fn = 'vhost_add_used_and_signal_n';
  const eventfd: HookSpec<'nt_efd_sig_fe' | 'nt_efd_sig_kp' | 'nt_efd_msk_fe' | 'nt_efd_msk_kp', never> = {
    name: 'eventfd_signal',
    alternatives: [
      { program: 'nt_efd_sig_fe', kind: 'fentry', target: 'eventfd_signal' },
      { program: 'nt_efd_sig_kp', kind: 'kprobe', target: 'eventfd_signal' },
      { program: 'nt_efd_msk_fe', kind: 'fentry', target: 'eventfd_signal_mask' },
      { program: 'nt_efd_msk_kp', kind: 'kprobe', target: 'eventfd_signal_mask' },
    ],
  };
  return [functionHook(fn, fn, { module: 'vhost' }), functionHook(`${fn} return`, fn, { module: 'vhost', exit: true }), eventfd] as const;
}
