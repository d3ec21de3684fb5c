// vm-network-latency-details inside the test kernels, through a real Open vSwitch: one record per
// packet of the VM's TCP, UDP and ICMP flow that crossed the physical NIC, stages in path order,
// deltas summing to the total, the upcall on the earliest packet of each direction only.
import { vmOvsProfile } from '@nettrace/core';
import { kernelSuite } from '../../../test-kernel/src/plugin-suite.js';
import { stageKernelCases } from '../../../tooling/test-support/stage-kernel.js';
import { STAGE_MODULES } from '../../../tooling/test-support/stage-ovs.js';

kernelSuite(
  'vm-network-latency-details',
  (k) =>
    stageKernelCases(k, {
      profile: vmOvsProfile,
      kind: 'vm',
      mode: 'details',
      // ICMP's per-packet keys on this profile: vm-network-performance-metrics (the same engine).
      protocols: ['udp', 'tcp'],
    }),
  {
    modules: STAGE_MODULES,
  },
);
