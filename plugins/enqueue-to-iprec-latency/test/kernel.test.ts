// enqueue-to-iprec-latency inside the test kernels, on the OVS internal port of a real Open
// vSwitch: every packet the internal port received for the flow is one completed session
// enqueue_to_backlog -> __netif_receive_skb -> ip_rcv (none for a decoy), and with -t 0 also one
// event each, its stages in order and deltas summing to the total.
import { enqueueToIprecProfile } from '@nettrace/core';
import { kernelSuite } from '../../../test-kernel/src/plugin-suite.js';
import { expectRecords } from '../../../tooling/test-support/stage-assert.js';
import { stageKernelCases } from '../../../tooling/test-support/stage-kernel.js';

kernelSuite('enqueue-to-iprec-latency', (k) =>
  stageKernelCases(k, {
    profile: enqueueToIprecProfile,
    kind: 'rx',
    mode: 'summary',
    directions: ['rx'],
    devices: (b) => ['-I', b.int],
    args: ['-t', '0'],
    check(r, _b, wire) {
      expectRecords(enqueueToIprecProfile, r.records, { wire: { rx: wire.rx } });
    },
  }),
);
