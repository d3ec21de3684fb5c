// Live kernel (tracepoints only): the host's flow through a bridge standing in for OVS (br0 holds
// the host's address, vphy is the physical port): one record per packet that crossed vphy, the
// boundary stages this kernel has, none for the decoy.
import { hostOvsProfile } from '@nettrace/core';
import { stageLiveCases } from '../../../tooling/test-support/stage-live-cases.js';

stageLiveCases({
  id: 'system-network-performance-metrics',
  profile: hostOvsProfile,
  kind: 'host',
  mode: 'details',
  devices: () => ['--internal-interface', 'br0', '--phy-interface', 'vphy'],
  seen: { tx: ['internal-xmit', 'phy-queue', 'phy-xmit'], rx: ['phy-rx', 'backlog-rx'] },
});
