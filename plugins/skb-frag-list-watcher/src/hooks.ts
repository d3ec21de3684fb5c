// Entry/return pairs over the functions that create, change or drop a frag_list (fentry/fexit,
// else kprobe/kretprobe), skb_segment's entry, and tracepoint rungs for kernels with neither.
import { functionHook, ladder } from '@nettrace/core';

/** The functions watched with an entry/return pair, in enum fl_func order. */
export const PAIRED = [
  'skb_gro_receive_list',
  'skb_segment_list',
  'pskb_expand_head',
  '__pskb_pull_tail',
  '__skb_gso_segment',
  'skb_udp_tunnel_segment',
  'inet_gso_segment',
  'tcp_gso_segment',
] as const;

/** The return half of a pair (which carries the events) and the entry that goes with it. The GRO
 * return is required, with the tracepoint rung: without kprobes and fentry, skbs seen with a
 * frag_list after GRO (net:netif_receive_skb). */
function pair<const F extends (typeof PAIRED)[number]>(fn: F) {
  const degrades = `frag_list changes across ${fn}`;
  return [
    fn === 'skb_gro_receive_list'
      ? ladder(`${fn} return`, [
          { function: fn, exit: true },
          { tracepoint: 'net/netif_receive_skb', degrades: 'only skbs seen with a frag_list after GRO, no changes' },
        ])
      : functionHook(`${fn} return`, fn, { exit: true, optional: true, degrades }),
    functionHook(fn, fn, { pairedWith: { hook: `${fn} return`, target: fn } }),
  ];
}

export const hooks = [
  ...PAIRED.flatMap((fn) => pair(fn)),
  ladder(
    'skb_segment',
    [
      { function: 'skb_segment' },
      { tracepoint: 'net/net_dev_start_xmit', degrades: 'frag_list and inconsistent skbs at transmit instead of skb_segment' },
    ],
    { optional: true, degrades: 'ACCESS and INCONSISTENT events at skb_segment' },
  ),
];
