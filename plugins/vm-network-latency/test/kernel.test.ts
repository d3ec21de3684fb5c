// vm-network-latency inside the test kernels, through a real Open vSwitch: a VM (vhost-net driving
// the bridge's tap; for TCP a namespace behind a veth port) exchanging TCP, UDP and ICMP with a peer
// behind the physical NIC gives exactly as many completed sessions per direction (tx: leaving the
// VM) as packets of the flow crossed the NIC, none for a decoy, pairs conserving every packet and
// adding up to the end-to-end sum, the upcall on the first packet only; ct() and tbf add stages.
import { vmOvsProfile } from '@nettrace/core';
import { kernelSuite } from '../../../test-kernel/src/plugin-suite.js';
import { stageKernelCases } from '../../../tooling/test-support/stage-kernel.js';
import { STAGE_MODULES } from '../../../tooling/test-support/stage-ovs.js';

kernelSuite(
  'vm-network-latency',
  (k) =>
    stageKernelCases(k, {
      profile: vmOvsProfile,
      kind: 'vm',
      mode: 'summary',
      // The engine's per-protocol keys: system-network-latency (summary) and the VM profile's details
      // plugins (ICMP: vm-network-performance-metrics, UDP: vm-network-latency-details), as is tbf on
      // this profile (vm-network-performance-metrics); here TCP and ct() in summary mode (CI time).
      protocols: ['tcp'],
      ct: true,
    }),
  {
    modules: STAGE_MODULES,
  },
);
