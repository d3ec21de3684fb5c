// skb-vxlan-source-detector inside the test kernels, over the VM's virtio-net pair (neither NIC
// offloads tunnels, so VXLAN GSO is done in software on the way out and by GRO on the way in):
// - TCP over VXLAN: every VXLAN GSO super-packet the root namespace sends (its iptables OUTPUT
//   counter of outer packets longer than the MTU) passes skb_segment with the tunnel bits (KEPT);
//   every aggregate the receiving namespace's GRO builds (its INPUT counter) gets them SET at
//   udp4_gro_complete, keeps them through the inner tcp_gro_complete, and has them CLEARED by
//   vxlan_rcv (decapsulation). The virtio receive point sees no tunnel bits from the device.
// - The same without a tunnel, every skb reported (--all-skbs): one virtio receive event per frame
//   each NIC received (its rx_packets), none with tunnel bits anywhere.
import { expect } from 'vitest';
import { kernelSuite } from '../../../test-kernel/src/plugin-suite.js';
import { parseHelperOutput } from '../../../test-kernel/src/traffic.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';

type Ev = { point: string; kind: string; interface: string; vnet_gso_type?: string; gso_type_after: string[] };
const OUTER_LONG = '-p udp --dport 4789 -m length --length 1501:65535';
const count = (chain: string) => `iptables -nvxL ${chain} | awk '/dpt:4789/ { print $1 }'`;

const validate = schemaValidator('skb-vxlan-source-detector');

kernelSuite('skb-vxlan-source-detector', (k) => {
  k.verify('TCP over VXLAN: tunnel bits kept at skb_segment, set by GRO, cleared by vxlan_rcv, per packet', async () => {
    const r = await k.run({
      args: ['--no-static-check'],
      setup: [
        'tk-vxlan-virtio tkvx 10.247.0 10.248.0 42 >/dev/null',
        `iptables -A OUTPUT ${OUTER_LONG}`,
        `ip netns exec tkvx iptables -A INPUT ${OUTER_LONG}`,
      ],
      traffic: [
        'tk-tcp-transfer tkvx 10.248.0.2 5331 400000',
        `echo "sent $(${count('OUTPUT')}) merged $(ip netns exec tkvx ${count('INPUT')})"`,
        `iptables -D OUTPUT ${OUTER_LONG}`,
        'tk-vxlan-virtio -d tkvx',
      ],
    });
    expect(r.exitCode, r.stderr).toBe(0);
    for (const rec of r.records) expect(validate(rec)).toBeUndefined();
    const w = parseHelperOutput(r.trafficOutput);
    expect(Number(w.received)).toBe(400000);
    const [sent, merged] = [Number(w.sent), Number(w.merged)];
    expect(sent).toBeGreaterThan(0);
    expect(merged).toBeGreaterThan(0);
    // Module functions: fentry where the module has BTF, else kprobes; vmlinux ones fentry everywhere.
    const plan = (r.header as { plan: { hook: string; chosen: { kind: string } | null }[] }).plan;
    const rung = (hook: string) => plan.find((h) => h.hook === hook)?.chosen?.kind;
    expect([rung('vxlan_rcv return'), rung('virtnet_poll'), rung('skb_segment return')]).toEqual(
      k.spec.facts.fentryOnModules ? ['fexit', 'fentry', 'fexit'] : ['kretprobe', 'kprobe', 'fexit'],
    );
    const events = r.records.filter((l) => l.type === 'event') as unknown as Ev[];
    const at = (point: string, kind: string) => events.filter((e) => e.point === point && e.kind === kind).length;
    expect(at('skb_segment', 'KEPT')).toBe(sent);
    expect(at('udp4_gro_complete', 'SET')).toBe(merged);
    expect(at('tcp_gro_complete', 'KEPT')).toBe(merged);
    expect(at('vxlan_rcv', 'CLEARED')).toBe(merged);
    expect(events.length).toBe(sent + 3 * merged); // and nothing else: no virtio receive had the bits
    // The final report counts what the events showed, and every return found its entry.
    const final = r.final as { per_point: Record<string, number | string>[]; pairing: Record<string, number> };
    expect(final.per_point).toEqual([
      { point: 'udp4_gro_complete', set: merged, cleared: 0, kept: 0, none: 0 },
      { point: 'tcp_gro_complete', set: 0, cleared: 0, kept: merged, none: 0 },
      { point: 'vxlan_rcv', set: 0, cleared: merged, kept: 0, none: 0 },
      { point: 'skb_segment', set: 0, cleared: 0, kept: sent, none: 0 },
    ]);
    expect(final.pairing).toEqual({ unmatched_returns: 0, too_deep: 0 });
  });

  k.verify('no tunnel: every virtio receive and GSO skb seen (--all-skbs), none with tunnel bits', async () => {
    const rx = (dev: string, ns = '') => `$(${ns ? `ip netns exec ${ns} ` : ''}cat /sys/class/net/${dev}/statistics/rx_packets)`;
    const r = await k.run({
      args: ['--all-skbs', '--no-static-check'],
      traffic: [
        'eval "$(tk-virtio-pair tkvp 10.249.0)"',
        `a0=${rx('$host_dev')} b0=${rx('$ns_dev', 'tkvp')}`,
        'tk-tcp-transfer tkvp 10.249.0.2 5332 200000',
        `echo "host_dev $host_dev ns_dev $ns_dev rx_a $((${rx('$host_dev')} - a0)) rx_b $((${rx('$ns_dev', 'tkvp')} - b0))"`,
        'tk-virtio-pair -d tkvp',
      ],
    });
    expect(r.exitCode, r.stderr).toBe(0);
    for (const rec of r.records) expect(validate(rec)).toBeUndefined();
    const w = parseHelperOutput(r.trafficOutput);
    expect(Number(w.received)).toBe(200000);
    const events = r.records.filter((l) => l.type === 'event') as unknown as Ev[];
    expect(events.filter((e) => e.kind !== 'NONE')).toEqual([]);
    const virtio = (dev: string) => events.filter((e) => e.point === 'virtio_rx' && e.interface === dev);
    expect([virtio(w.host_dev).length, virtio(w.ns_dev).length]).toEqual([Number(w.rx_a), Number(w.rx_b)]);
    expect(Number(w.rx_b)).toBeGreaterThan(0);
    expect(new Set(virtio(w.ns_dev).map((e) => e.vnet_gso_type))).toEqual(new Set(['NONE']));
  });
});
