// vm-network-performance-metrics inside the test kernels, through a real Open vSwitch: one record
// per packet of the VM's flow with every stage's device and skb length (the tap or veth port and
// the NIC where they are), ct() time with --enable-ct, and the qdisc sojourn under tbf.
import { vmOvsProfile } from '@nettrace/core';
import { kernelSuite } from '../../../test-kernel/src/plugin-suite.js';
import { expectDevices } from '../../../tooling/test-support/stage-assert.js';
import { stageKernelCases } from '../../../tooling/test-support/stage-kernel.js';
import { STAGE_MODULES } from '../../../tooling/test-support/stage-ovs.js';

kernelSuite(
  'vm-network-performance-metrics',
  (k) =>
    stageKernelCases(k, {
      profile: vmOvsProfile,
      kind: 'vm',
      mode: 'details',
      // UDP's per-packet keys on this profile: vm-network-latency-details (the same engine).
      protocols: ['icmp', 'tcp'],
      ct: true,
      tbf: true,
      check(r, b) {
        expectDevices(r.records, {
          'phy-queue': [b.phys],
          'phy-xmit': [b.phys],
          'phy-rx': [b.phys],
          'vm-rx': [b.tap, b.vmt],
          'vm-queue': [b.tap, b.vmt],
          'vm-xmit': [b.tap, b.vmt],
        });
      },
    }),
  { modules: STAGE_MODULES },
);
