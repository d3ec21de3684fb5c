// Live kernel (tracepoints only): one record per packet of the target flow between the host
// namespace (br0 standing in for the OVS internal port) and a peer behind vphy, with the boundary
// stages this kernel has and each stage's skb metadata, none for the decoy; the per-interface
// counters equal to the target's packets on both devices; and with -H (the libbpf port's
// --histogram) the in-kernel pair and end-to-end statistics of the same packets.
import { hostOvsProfile } from '@nettrace/core';
import { expectSummary, type SummaryFinal } from '../../../tooling/test-support/stage-assert.js';
import { stageLiveCases } from '../../../tooling/test-support/stage-live-cases.js';
import { expectInterfaces } from './expect-interfaces.js';

stageLiveCases({
  id: 'system-network-performance-metrics',
  profile: hostOvsProfile,
  kind: 'host',
  mode: 'details',
  devices: () => ['--internal-interface', 'br0', '--phy-interface', 'vphy'],
  seen: { tx: ['internal-xmit', 'phy-queue', 'phy-xmit'], rx: ['phy-rx', 'backlog-rx'] },
  args: ['-H'],
  check(final, wire, proto) {
    expectInterfaces(final, { phy: 'vphy', internal: 'br0' }, wire, proto);
    expectSummary(hostOvsProfile, final as unknown as SummaryFinal, { wire });
  },
});
