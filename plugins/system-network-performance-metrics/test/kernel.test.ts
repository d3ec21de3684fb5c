// system-network-performance-metrics inside the test kernels, through a real Open vSwitch: one
// record per packet of the host's TCP, UDP and ICMP flow (none for the decoy), every stage with its
// skb metadata on the right device, ct() time with --enable-ct, the qdisc sojourn under a real tbf
// on the NIC; the per-interface counters equal to the packets each device passed (the NIC's own
// counters, tc's sent and dropped), their bytes equal to the records' lengths.
import { hostOvsProfile } from '@nettrace/core';
import { expect } from 'vitest';
import { kernelSuite } from '../../../test-kernel/src/plugin-suite.js';
import { expectDevices, type StageRec } from '../../../tooling/test-support/stage-assert.js';
import { stageKernelCases } from '../../../tooling/test-support/stage-kernel.js';
import { STAGE_MODULES } from '../../../tooling/test-support/stage-ovs.js';
import { expectInterfaces, type IfcRow } from './expect-interfaces.js';

const ETH_HLEN = 14;

kernelSuite(
  'system-network-performance-metrics',
  (k) =>
    stageKernelCases(k, {
      profile: hostOvsProfile,
      kind: 'host',
      mode: 'details',
      // UDP's per-packet keys on this profile: system-network-latency-details' kernel test (the same
      // engine and profile), and this plugin's live and Appendix A tests with exact counts.
      protocols: ['icmp', 'tcp'],
      ct: true,
      tbf: true,
      check(r, b, wire, proto) {
        expectDevices(r.records, {
          'internal-xmit': [b.int],
          'phy-queue': [b.phys],
          'qdisc-dequeue': [b.phys],
          'phy-xmit': [b.phys],
          'phy-rx': [b.phys],
          'internal-rx': [b.int],
          'backlog-rx': [b.int],
        });
        const { phy } = expectInterfaces(r.final as Record<string, unknown>, { phy: b.phys, internal: b.int }, wire, proto);
        // Bytes: the frames as the NIC's stages saw them (rx: after the Ethernet header was pulled).
        const recs = r.records.filter((x) => x.type === 'event') as unknown as StageRec[];
        const len = (d: string, stage: string) =>
          recs.filter((x) => x.direction === d).map((x) => x.stages.find((s) => s.stage === stage)?.len as number);
        expect(phy.tx_bytes).toBe(len('tx', 'phy-xmit').reduce((a, n) => a + n, 0));
        expect(phy.rx_bytes).toBe(len('rx', 'phy-rx').reduce((a, n) => a + n + ETH_HLEN, 0));
      },
      checkTbf(r, b, tc) {
        const rows = (r.final as { interfaces: IfcRow[] }).interfaces;
        expect(rows.find((x) => x.interface === b.phys)).toMatchObject({ tx_packets: tc.sent, drops: tc.dropped });
        expect(rows.find((x) => x.interface === b.int)).toMatchObject({ tx_packets: tc.sent + tc.dropped });
      },
    }),
  { modules: STAGE_MODULES },
);
