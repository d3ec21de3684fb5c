// Live kernel (tracepoints only): what the host receives through vphy (a veth receives through
// netif_rx and a CPU backlog, as an OVS internal port does) is one completed session per packet of
// the target flow, netif_rx -> backlog, exactly as many as vphy received; none for the decoy.
import { rxInternalProfile } from '@nettrace/core';
import { stageLiveCases } from '../../../tooling/test-support/stage-live-cases.js';

stageLiveCases({
  id: 'system-network-rx-internal-latency',
  profile: rxInternalProfile,
  kind: 'rx',
  mode: 'summary',
  directions: ['rx'],
  devices: () => ['--internal-interface', 'vphy'],
  seen: { rx: ['netif-rx', 'backlog-rx'] },
});
