// system-network-performance-metrics inside the test kernels, through a real Open vSwitch: one
// record per packet of the host's flow (as the details plugin), every stage with its device and
// skb length; the interface counters equal the NIC's own; ct() gives every packet its ct() time,
// tbf its qdisc sojourn, a frame's worth of tokens apart.
import { hostOvsProfile } from '@nettrace/core';
import { expect } from 'vitest';
import { kernelSuite } from '../../../test-kernel/src/plugin-suite.js';
import { expectDevices } from '../../../tooling/test-support/stage-assert.js';
import { stageKernelCases } from '../../../tooling/test-support/stage-kernel.js';
import { marks } from '../../../tooling/test-support/stage-ovs.js';

kernelSuite('system-network-performance-metrics', (k) =>
  stageKernelCases(k, {
    profile: hostOvsProfile,
    kind: 'host',
    mode: 'details',
    ct: true,
    tbf: true,
    check(r, b) {
      expectDevices(r.records, {
        'phy-queue': [b.phys],
        'phy-xmit': [b.phys],
        'phy-rx': [b.phys],
        'internal-xmit': [b.int],
        'backlog-rx': [b.int],
      });
      // The NIC's packets since the start: exactly what its own counters moved by (the run starts
      // before the marks and sends nothing else).
      const nic = (r.final as { interfaces: { interface: string; tx_packets: number; rx_packets: number }[] }).interfaces.find(
        (i) => i.interface === b.phys,
      );
      const m = marks(r.trafficOutput);
      expect(nic).toMatchObject({ tx_packets: m.decoy.tx - m.before.tx, rx_packets: m.decoy.rx - m.before.rx });
    },
  }),
);
