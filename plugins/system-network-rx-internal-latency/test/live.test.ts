// Live kernel (tracepoints only: no kprobes, no fentry, no openvswitch): netif_rx_internal and
// __netif_receive_skb give way to net:netif_rx and net:netif_receive_skb on the interface, the OVS,
// IP and TCP/UDP stages are lost and named. The bridge's "physical" veth (vphy) receives through
// netif_rx and a CPU's backlog as an OVS internal port does: every packet of the target flow it
// received is one completed session (netif-rx-internal -> backlog-rx), the decoy none.
import { rxInternalProfile } from '@nettrace/core';
import { stageLiveCases } from '../../../tooling/test-support/stage-live-cases.js';

stageLiveCases({
  id: 'system-network-rx-internal-latency',
  profile: rxInternalProfile,
  kind: 'rx',
  mode: 'summary',
  directions: ['rx'],
  devices: () => ['--interface', 'vphy'],
  seen: { rx: ['netif-rx-internal', 'backlog-rx'] },
});
