// Live kernel (tracepoints only): one record per packet of the target flow between a "VM"
// namespace (vnet0) and a peer (vphy) across a bridge standing in for OVS, with the boundary
// stages this kernel has and each stage's skb metadata; none for the decoy.
import { vmOvsProfile } from '@nettrace/core';
import { stageLiveCases } from '../../../tooling/test-support/stage-live-cases.js';

stageLiveCases({
  id: 'vm-network-performance-metrics',
  profile: vmOvsProfile,
  kind: 'vm',
  mode: 'details',
  devices: () => ['--vm-interface', 'vnet0', '--phy-interface', 'vphy'],
  seen: { tx: ['vm-rx', 'phy-queue', 'phy-xmit'], rx: ['phy-rx', 'vm-queue', 'vm-xmit'] },
});
