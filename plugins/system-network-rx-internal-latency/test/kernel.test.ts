// system-network-rx-internal-latency inside the test kernels, through a real Open vSwitch: every
// packet OVS delivers to the internal port for the flow (ICMP requests and replies, UDP, the TCP
// segments from the peer) is one completed session from OVS's output to TCP/UDP/ICMP receive,
// exactly as many as the internal port received, none for a decoy; the hops conserve every packet
// and add up to the end-to-end sum.
import { rxInternalProfile } from '@nettrace/core';
import { kernelSuite } from '../../../test-kernel/src/plugin-suite.js';
import { stageKernelCases } from '../../../tooling/test-support/stage-kernel.js';

kernelSuite('system-network-rx-internal-latency', (k) =>
  stageKernelCases(k, { profile: rxInternalProfile, kind: 'rx', mode: 'summary', directions: ['rx'] }),
);
