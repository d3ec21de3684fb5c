// Catalog Appendix A, ovs_upcall_latency_summary: every shape is accepted unchanged by `nettrace
// run ovs-upcall-latency` (`<IP>` = two addresses of this test). The live kernel has no
// openvswitch module, so after parsing the options each run is refused before anything is loaded,
// naming the upcall and execute hooks and why each alternative is missing. The same shapes run
// against a real Open vSwitch in plugins/ovs-upcall-latency/test/kernel.test.ts (its first case is
// `--src-ip <IP> --dst-ip <IP> --protocol icmp --interval 1`, with exact counts).
import { KernelBtf, KernelSupportError, planHooks } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import { loadPlugin, runWith } from '../../test-support/run.js';
import { shapeArgv } from '../../test-support/upstream-shapes.js';

const LINES = ['tcp', 'udp', 'icmp'].flatMap((p) => [
  `--src-ip <IP> --dst-ip <IP> --protocol ${p}`,
  `--src-ip <IP> --dst-ip <IP> --protocol ${p} --interval 1`,
]);

describe('upstream command lines of ovs-upcall-latency are accepted unchanged', () => {
  for (const line of LINES)
    it(`ovs_upcall_latency_summary.py ${line}`, async () => {
      const btf = new KernelBtf({ kind: 'sysfs', path: '/sys/kernel/btf/vmlinux' });
      const plan = planHooks((await loadPlugin('ovs-upcall-latency')).hooks, btf);
      btf.release();
      const argv = [...shapeArgv(line, { ip: ['10.77.0.1', '10.77.0.2'] }), '-T', '1', '-o', 'json'];
      const result = await runWith('ovs-upcall-latency', argv, () => {}).catch((e: unknown) => e);
      if (!plan.missing.length) {
        expect(result).not.toBeInstanceOf(Error);
        return;
      }
      expect(result).toBeInstanceOf(KernelSupportError);
      const message = (result as Error).message;
      expect(message).toMatch(/ovs-upcall-latency cannot run on this kernel/);
      expect(message).toMatch(/upcall: UNAVAILABLE — tracepoint:openvswitch\/ovs_dp_upcall \[openvswitch\]: .*; fentry:ovs_dp_upcall \[openvswitch\]: .*; kprobe:ovs_dp_upcall \[openvswitch\]: /);
      expect(message).toMatch(/execute: UNAVAILABLE — fentry:ovs_packet_cmd_execute \[openvswitch\]: .*; kprobe:ovs_packet_cmd_execute \[openvswitch\]: /);
    });
});
