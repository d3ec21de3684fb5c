// Entry/return pairs over the points that set or carry UDP-tunnel GSO bits (fentry/fexit, else
// kprobe/kretprobe); virtio's receive as napi_gro_receive inside a virtio_net NAPI poll; and
// tracepoint rungs (after GRO, at transmit) for kernels with neither kprobes nor fentry.
import { functionHook, ladder } from '@nettrace/core';

/** The return half of a pair (which carries the events) and the entry that goes with it. */
function pair<const F extends string>(fn: F, o: { optional?: boolean; degrades?: string; module?: string }) {
  const module = o.module ? { module: o.module } : {};
  return [
    functionHook(`${fn} return`, fn, { exit: true, ...o }),
    functionHook(fn, fn, { ...module, pairedWith: { hook: `${fn} return`, target: fn } }),
  ];
}

/** The same, with a tracepoint rung for the return hook when neither fexit nor kretprobe attach. */
function pairOr<const F extends string, const T extends string>(
  fn: F,
  tracepoint: T,
  rung: string,
  o: { optional?: boolean; degrades?: string },
) {
  return [
    ladder(
      `${fn} return`,
      [
        { function: fn, exit: true },
        { tracepoint, degrades: rung },
      ],
      o,
    ),
    functionHook(fn, fn, { pairedWith: { hook: `${fn} return`, target: fn } }),
  ];
}

export const hooks = [
  ...pair('virtnet_poll', {
    optional: true,
    degrades: 'virtio receive events (the virtio_net_hdr of each received skb)',
    module: 'virtio_net',
  }),
  functionHook('napi_gro_receive', 'napi_gro_receive', { pairedWith: { hook: 'virtnet_poll', target: 'virtnet_poll' } }),
  // Required: its tracepoint rung shows the skbs that carry tunnel bits after GRO on any kernel.
  ...pairOr('udp4_gro_complete', 'net/netif_receive_skb', 'only skbs carrying the bits after GRO, no changes', {}),
  ...pair('tcp_gro_complete', { optional: true, degrades: 'inner TCP GRO completion' }),
  ...pair('vxlan_rcv', { optional: true, degrades: 'VXLAN decapsulation', module: 'vxlan' }),
  ...pairOr('skb_segment', 'net/net_dev_start_xmit', 'tunnel skbs at transmit instead of skb_segment', {
    optional: true,
    degrades: 'software GSO of tunnel skbs',
  }),
];
