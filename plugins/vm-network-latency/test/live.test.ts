// Live kernel (tracepoints only): a "VM" namespace behind vnet0 and a peer behind vphy, both ports
// of a bridge standing in for OVS; every packet of the target flow that crossed vphy is one
// completed session per direction (tx: leaving the VM), through the boundary stages this kernel
// has; the decoy counts nowhere and the missing stages are named.
import { vmOvsProfile } from '@nettrace/core';
import { stageLiveCases } from '../../../tooling/test-support/stage-live-cases.js';

stageLiveCases({
  id: 'vm-network-latency',
  profile: vmOvsProfile,
  kind: 'vm',
  mode: 'summary',
  devices: () => ['--vm-interface', 'vnet0', '--phy-interface', 'vphy'],
  seen: { tx: ['vm-rx', 'phy-queue', 'phy-xmit'], rx: ['phy-rx', 'vm-queue', 'vm-xmit'] },
});
