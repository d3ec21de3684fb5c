// Catalog Appendix A, ovs-kernel-module-drop-monitor: every shape is accepted unchanged by
// `nettrace run ovs-kernel-drop-monitor` (`<IP>` = two addresses of this test). The live kernel
// has no openvswitch module (nor kprobes or fentry), so the run is degraded to the drops the kernel
// itself attributes to openvswitch, and says so; it must still run, with the shape's filters in
// the object, and count nothing of a flow no datapath carries. The same shape runs against a real
// Open vSwitch in plugins/ovs-kernel-drop-monitor/test/kernel.test.ts, with exact counts per cause.
import { describe, expect, it } from 'vitest';
import { runWith } from '../../test-support/run.js';
import { flagValue, shapeArgv } from '../../test-support/upstream-shapes.js';

const PROTOCOLS: Record<string, number> = { tcp: 6, udp: 17, icmp: 1 };
const LINES = Object.keys(PROTOCOLS).map((p) => `--src-ip <IP> --dst-ip <IP> --protocol ${p}`);

describe('upstream command lines of ovs-kernel-drop-monitor are accepted unchanged', () => {
  for (const line of LINES)
    it(`ovs-kernel-module-drop-monitor.py ${line}`, async () => {
      const argv = [...shapeArgv(line, { ip: ['10.78.0.1', '10.78.0.2'] }), '-T', '1', '-o', 'json'];
      const { json } = await runWith('ovs-kernel-drop-monitor', argv, () => {});
      const header = json.find((r) => r.type === 'header') as Record<string, unknown>;
      const final = json.find((r) => r.type === 'final') as Record<string, unknown>;
      const options = header.options as Record<string, unknown>;
      expect([options.srcIp, options.dstIp, options.protocol]).toEqual(['10.78.0.1', '10.78.0.2', PROTOCOLS[flagValue(argv, '--protocol') ?? '']]);
      // The function hooks are missing here: named, degraded, not refused.
      const plan = header.plan as { hook: string; chosen: unknown }[];
      expect(plan.filter((p) => p.chosen === null).map((p) => p.hook)).toEqual(['execute return', 'execute', 'meter return', 'meter', 'port send', 'upcall']);
      expect(plan.filter((p) => p.chosen !== null).map((p) => p.hook)).toEqual(['kfree_skb', 'consume_skb']);
      expect(final.totals).toMatchObject({ drops: 0, executions: 0 });
    });
});
