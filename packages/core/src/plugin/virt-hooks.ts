// Hook declarations for kernel functions, and the ones the tun / vhost-net plugins share with the
// program macros of bpf-headers/nettrace/modules/{tun_queue,vhost_signal}.bpf.h.
import type { HookSpec } from './contract.js';

/** Programs of one kernel function, by attach kind (thin SEC wrappers over one worker). */
export interface FunctionPrograms {
  fentry?: string;
  fexit?: string;
  kprobe?: string;
  kretprobe?: string;
}

/**
 * A hook on kernel function `target` (in `module` when it is one) with the usual ladder: fentry
 * or fexit (cheapest; on module functions it needs module BTF, 5.11+), then kprobe or kretprobe
 * (everywhere kprobes exist; also on compiler clones such as `name.isra.0`, which have no BTF).
 */
export function functionHook(
  name: string,
  target: string,
  programs: FunctionPrograms,
  extra: { module?: string } & Pick<HookSpec, 'optional' | 'degrades'> = {},
): HookSpec {
  const { module, ...rest } = extra;
  const order = ['fentry', 'fexit', 'kprobe', 'kretprobe'] as const;
  const alternatives = order.flatMap((kind) =>
    programs[kind] ? [{ program: programs[kind] as string, kind, target, ...(module ? { module } : {}) }] : [],
  );
  return { name, alternatives, ...rest };
}

/** The entry and exit programs a plugin gave NT_VHOST_SIGNAL_PROGRAMS. */
export interface VhostSignalPrograms {
  fentry: string;
  kprobe: string;
  fexit: string;
  kretprobe: string;
}

/**
 * The three hooks of vhost_signal.bpf.h: entry and exit of vhost_add_used_and_signal_n, and the
 * eventfd_signal() that carries the interrupt (NT_EVENTFD_SIGNAL_PROGRAMS: eventfd_signal where it
 * is a function, eventfd_signal_mask where it is an inline wrapper, 6.12).
 */
export function vhostSignalHooks(p: VhostSignalPrograms): HookSpec[] {
  const fn = 'vhost_add_used_and_signal_n';
  return [
    vhostSignalEntryHook(p.fentry, p.kprobe),
    functionHook(`${fn} return`, fn, { fexit: p.fexit, kretprobe: p.kretprobe }, { module: 'vhost' }),
    {
      name: 'eventfd_signal',
      alternatives: [
        ...functionHook('', 'eventfd_signal', { fentry: 'nt_efd_sig_fe', kprobe: 'nt_efd_sig_kp' }).alternatives,
        ...functionHook('', 'eventfd_signal_mask', { fentry: 'nt_efd_msk_fe', kprobe: 'nt_efd_msk_kp' }).alternatives,
      ],
    },
  ];
}

/** vhost_add_used_and_signal_n(dev, vq, heads, count) alone, with the programs given to
 * NT_VHOST_SIGNAL_ENTRY_PROGRAMS (modules/vhost.bpf.h). */
export const vhostSignalEntryHook = (fentry: string, kprobe: string): HookSpec =>
  functionHook('vhost_add_used_and_signal_n', 'vhost_add_used_and_signal_n', { fentry, kprobe }, { module: 'vhost' });

/** tun_net_xmit(skb, dev), with the programs given to NT_TUN_XMIT_PROGRAMS. */
export const tunXmitHook = (fentry: string, kprobe: string): HookSpec =>
  functionHook('tun_net_xmit', 'tun_net_xmit', { fentry, kprobe }, { module: 'tun' });

/** tun_recvmsg(sock, ...), with the programs given to NT_TUN_RECVMSG_PROGRAMS. */
export const tunRecvmsgHook = (fentry: string, kprobe: string): HookSpec =>
  functionHook('tun_recvmsg', 'tun_recvmsg', { fentry, kprobe }, { module: 'tun' });

/** handle_rx(net) of vhost_net (static), with the programs given to NT_VHOST_HANDLE_RX_PROGRAMS. */
export const vhostHandleRxHook = (fentry: string, kprobe: string): HookSpec =>
  functionHook('handle_rx', 'handle_rx', { fentry, kprobe }, { module: 'vhost_net' });
