// system-network-latency inside the test kernels, through a real Open vSwitch (ovsdb-server and
// ovs-vswitchd): the host's TCP, UDP and ICMP traffic to a peer behind the physical NIC, both ways,
// gives exactly as many completed sessions per direction as packets of the flow crossed the NIC
// (a decoy flow counts nowhere), the adjacent pairs conserve every packet and add up to the end to
// end sum, only the first packet of each direction goes up to ovs-vswitchd; ct() and tbf add
// their stages.
import { hostOvsProfile } from '@nettrace/core';
import { kernelSuite } from '../../../test-kernel/src/plugin-suite.js';
import { stageKernelCases } from '../../../tooling/test-support/stage-kernel.js';
import { STAGE_MODULES } from '../../../tooling/test-support/stage-ovs.js';

kernelSuite(
  'system-network-latency',
  (k) => stageKernelCases(k, { profile: hostOvsProfile, kind: 'host', mode: 'summary', ct: true, tbf: true }),
  { modules: STAGE_MODULES },
);
