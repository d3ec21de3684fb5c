// Catalog Appendix A, ovs_userspace_megaflow: every shape is accepted unchanged by `nettrace run
// ovs-userspace-megaflow` (`<IP>` = two addresses of this test). The live kernel has no
// openvswitch module, so after parsing the options each run is refused before anything is loaded,
// naming the upcall and flow-install hooks and why each alternative is missing. The same shape runs
// against a real Open vSwitch in plugins/ovs-userspace-megaflow/test/kernel.test.ts (its first case
// is `--src-ip <IP> --dst-ip <IP> --protocol udp`, with exact counts).
import { KernelBtf, KernelSupportError, planHooks } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import { loadPlugin, runWith } from '../../test-support/run.js';
import { shapeArgv } from '../../test-support/upstream-shapes.js';

const LINES = ['tcp', 'udp', 'icmp'].map((p) => `--src-ip <IP> --dst-ip <IP> --protocol ${p}`);

describe('upstream command lines of ovs-userspace-megaflow are accepted unchanged', () => {
  for (const line of LINES)
    it(`ovs_userspace_megaflow.py ${line}`, async () => {
      const btf = new KernelBtf({ kind: 'sysfs', path: '/sys/kernel/btf/vmlinux' });
      const plan = planHooks((await loadPlugin('ovs-userspace-megaflow')).hooks, btf);
      btf.release();
      const argv = [...shapeArgv(line, { ip: ['10.78.0.1', '10.78.0.2'] }), '-T', '1', '-o', 'json'];
      const result = await runWith('ovs-userspace-megaflow', argv, () => {}).catch((e: unknown) => e);
      if (!plan.missing.length) {
        expect(result).not.toBeInstanceOf(Error);
        return;
      }
      expect(result).toBeInstanceOf(KernelSupportError);
      const message = (result as Error).message;
      expect(message).toMatch(/ovs-userspace-megaflow cannot run on this kernel/);
      expect(message).toMatch(/upcall: UNAVAILABLE — tracepoint:openvswitch\/ovs_dp_upcall \[openvswitch\]: .*; fentry:ovs_dp_upcall \[openvswitch\]: .*; kprobe:ovs_dp_upcall \[openvswitch\]: /);
      expect(message).toMatch(/flow_new: UNAVAILABLE — fentry:ovs_flow_cmd_new \[openvswitch\]: .*; kprobe:ovs_flow_cmd_new \[openvswitch\]: /);
    });
});
