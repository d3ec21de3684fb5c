// The hooks of trace-conntrack (in the nf_conntrack module, the OVS ones in openvswitch): fentry/fexit, else kprobes, per
// function. Only the return of nf_conntrack_in is required; its last rung is the
// net_dev_start_xmit tracepoint, so kernels without kprobes and fentry still show the entry each
// transmitted packet carries (degraded: no per-function points, NEW or DESTROY).
import { functionHook, ladder } from '@nettrace/core';

const module = 'nf_conntrack';

/** An entry/return pair: the return carries the event, the entry records what it needs. */
function pair<const F extends string>(fn: F, degrades: string, mod = module) {
  return [
    functionHook(`${fn} return`, fn, { module: mod, exit: true, optional: true, degrades }),
    functionHook(fn, fn, { module: mod, pairedWith: { hook: `${fn} return`, target: fn } }),
  ];
}

const ovs = { module: 'openvswitch', optional: true, degrades: 'the OVS conntrack points (ct() actions of an OVS datapath)' };

export const hooks = [
  ladder('nf_conntrack_in return', [
    { function: 'nf_conntrack_in', module, exit: true },
    {
      tracepoint: 'net/net_dev_start_xmit',
      degrades: 'only the entry each transmitted packet carries: no verdicts, TCP states, refreshes, NEW or DESTROY',
    },
  ]),
  functionHook('nf_conntrack_in', 'nf_conntrack_in', {
    module,
    pairedWith: { hook: 'nf_conntrack_in return', target: 'nf_conntrack_in' },
  }),
  ...pair('nf_conntrack_tcp_packet', 'TCP states per packet'),
  functionHook('__nf_ct_refresh_acct', '__nf_ct_refresh_acct', { module, optional: true, degrades: 'refresh events' }),
  ...pair('__nf_conntrack_confirm', 'NEW events'),
  // nf_ct_destroy since 5.19; destroy_conntrack before.
  ladder(
    'entry destroyed',
    [
      { function: 'nf_ct_destroy', module },
      { function: 'destroy_conntrack', module },
    ],
    { optional: true, degrades: 'DESTROY events' },
  ),
  ...pair('ovs_ct_execute', ovs.degrades, ovs.module),
  functionHook('__ovs_ct_lookup', '__ovs_ct_lookup', ovs),
  functionHook('__ovs_ct_update_key', '__ovs_ct_update_key', ovs),
];
