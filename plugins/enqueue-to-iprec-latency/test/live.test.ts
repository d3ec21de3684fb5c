// Live kernel (tracepoints only): on vphy (a veth receives through netif_rx and a CPU backlog),
// every packet of the target flow received is one completed session, net:netif_rx standing in for
// enqueue_to_backlog and net:netif_receive_skb for __netif_receive_skb (ip_rcv has no tracepoint);
// none for the decoy.
import { enqueueToIprecProfile } from '@nettrace/core';
import { stageLiveCases } from '../../../tooling/test-support/stage-live-cases.js';

stageLiveCases({
  id: 'enqueue-to-iprec-latency',
  profile: enqueueToIprecProfile,
  kind: 'rx',
  mode: 'summary',
  directions: ['rx'],
  devices: () => ['-I', 'vphy'],
  seen: { rx: ['enqueue', 'netif-receive'] },
});
