// Live kernel (tracepoints only: no kprobes, no fentry): enqueue_to_backlog and __netif_receive_skb
// give way to net:netif_rx and net:netif_receive_skb on the interface, ip_rcv is lost and named.
// The bridge's "physical" veth (vphy) receives through netif_rx and a CPU's backlog as an OVS
// internal port does: every packet of the target flow it received is one completed session
// (enqueue -> netif-receive), the decoy none.
import { enqueueToIprecProfile } from '@nettrace/core';
import { stageLiveCases } from '../../../tooling/test-support/stage-live-cases.js';

stageLiveCases({
  id: 'enqueue-to-iprec-latency',
  profile: enqueueToIprecProfile,
  kind: 'rx',
  mode: 'summary',
  directions: ['rx'],
  devices: () => ['--interface', 'vphy'],
  seen: { rx: ['enqueue', 'netif-receive'] },
});
