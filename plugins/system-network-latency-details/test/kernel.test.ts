// system-network-latency-details inside the test kernels, through a real Open vSwitch: one record
// per packet of the host's TCP, UDP and ICMP flow that crossed the physical NIC (none for a decoy),
// each with its stages in path order, time never going back and deltas summing to the total; only
// the earliest packet of each direction went up to ovs-vswitchd.
import { hostOvsProfile } from '@nettrace/core';
import { kernelSuite } from '../../../test-kernel/src/plugin-suite.js';
import { stageKernelCases } from '../../../tooling/test-support/stage-kernel.js';
import { STAGE_MODULES } from '../../../tooling/test-support/stage-ovs.js';

kernelSuite(
  'system-network-latency-details',
  (k) =>
    stageKernelCases(k, {
      profile: hostOvsProfile,
      kind: 'host',
      mode: 'details',
      // ICMP's per-packet keys on this profile: system-network-performance-metrics (the same engine).
      protocols: ['udp', 'tcp'],
    }),
  {
    modules: STAGE_MODULES,
  },
);
