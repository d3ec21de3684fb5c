// vxlan-tracer inside the test kernels (vxlan is a module there; kprobes and fentry exist): the
// vxlan driver's encapsulation and decapsulation points, as BCC's tool hooks them, and the wire
// with --wire. Two tunnels from the root namespace into namespace tkvx over one veth underlay:
// - VNI 42, a classic device (tk-vxlan: its VNI and remote configured), port 4789;
// - VNI 77, a flow-based ("external") device as Open vSwitch's vxlan_sys_4789 is, port 8472, the
//   VNI and remote coming with each packet from an lwtunnel route (encap ip id 77).
// N UDP datagrams through each, counted by tkvx's iptables DROP rule per port. Expected, exactly:
// N at vxlan_xmit on each VXLAN device with its VNI (the external one's from the packet's tunnel
// metadata), N at vxlan_rcv on tkvx's underlay with the outer headers; with --wire --vni 77, N on
// each side of the underlay with VNI 77 and nothing of VNI 42.
import { expect } from 'vitest';
import { kernelSuite } from '../../../test-kernel/src/plugin-suite.js';
import { parseHelperOutput } from '../../../test-kernel/src/traffic.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';

const N = 4;
const NS = 'tkvx';
const UNDER = '10.250.0';
const [CLASSIC, EXTERNAL] = [
  { vni: 42, overlay: '10.251.0', port: 7771, dev: `vx-${NS}`, udpPort: 4789 },
  { vni: 77, overlay: '10.252.0', port: 7772, dev: 'vxe', udpPort: 8472 },
];

type Ev = {
  direction: string;
  point: string;
  interface: string;
  vni: number;
  outer_src_ip: string;
  outer_dst_ip: string;
  outer_dst_port: number;
  inner_src_ip: string;
  inner_dst_ip: string;
  inner_dst_port: number;
};

const validate = schemaValidator('vxlan-tracer');

/** The two tunnels. The external device needs a neighbour entry: ARP cannot cross it (an ARP
 * frame carries no tunnel metadata, and the device drops what has none). */
const TUNNELS = [
  `tk-vxlan ${NS} ${UNDER} ${CLASSIC.overlay} ${CLASSIC.vni} >/dev/null`,
  `ip link add ${EXTERNAL.dev} type vxlan external dstport ${EXTERNAL.udpPort}`,
  `ip link set ${EXTERNAL.dev} up`,
  `ip addr add ${EXTERNAL.overlay}.1/24 dev ${EXTERNAL.dev}`,
  `ip route replace ${EXTERNAL.overlay}.0/24 encap ip id ${EXTERNAL.vni} dst ${UNDER}.2 dev ${EXTERNAL.dev}`,
  `ip -n ${NS} link add vx1 type vxlan id ${EXTERNAL.vni} local ${UNDER}.2 remote ${UNDER}.1 dstport ${EXTERNAL.udpPort} dev eth0`,
  `ip -n ${NS} addr add ${EXTERNAL.overlay}.2/24 dev vx1`,
  `ip -n ${NS} link set vx1 up`,
  `ip neigh replace ${EXTERNAL.overlay}.2 lladdr $(ip netns exec ${NS} cat /sys/class/net/vx1/address) dev ${EXTERNAL.dev}`,
];

/** N datagrams through each tunnel, then what tkvx's DROP rules counted per port; then the
 * tunnels go, for the next run. */
const TRAFFIC = [
  ...[CLASSIC, EXTERNAL].map((t) => `tk-udp-flows ${NS} ${t.overlay} ${N} ${t.port} >/dev/null`),
  ...[CLASSIC, EXTERNAL].map(
    (t) => `echo "received_${t.port} $(ip netns exec ${NS} iptables -nvxL INPUT | awk '/dpt:${t.port}/ { print $1 }')"`,
  ),
  `ip link del ${CLASSIC.dev}; ip link del ${EXTERNAL.dev}; ip netns del ${NS}`,
];

kernelSuite('vxlan-tracer', (k) => {
  k.verify('the driver points: N at vxlan_xmit per device with its VNI (external: from the packet), N at vxlan_rcv', async () => {
    const r = await k.run({ before: TUNNELS, args: ['--protocol', 'udp'], traffic: TRAFFIC });
    expect(r.exitCode, r.stderr).toBe(0);
    for (const rec of r.records) expect(validate(rec)).toBeUndefined();
    const w = parseHelperOutput(r.trafficOutput);
    for (const t of [CLASSIC, EXTERNAL]) expect(Number(w[`received_${t.port}`]), t.dev).toBe(N);
    const plan = (r.header as { plan: { hook: string; chosen: { kind: string; target: string } | null }[] }).plan;
    const kind = k.spec.facts.fentryOnModules ? 'fentry' : 'kprobe';
    expect(plan.map((p) => [p.hook, p.chosen?.kind, p.chosen?.target])).toEqual([
      ['receive', kind, 'vxlan_rcv'],
      ['transmit', kind, 'vxlan_xmit'],
    ]);
    const events = r.records.filter((l) => l.type === 'event') as unknown as Ev[];
    for (const t of [CLASSIC, EXTERNAL]) {
      const flow = events.filter((e) => e.inner_dst_ip === `${t.overlay}.2` && e.inner_dst_port === t.port);
      const tx = flow.filter((e) => e.direction === 'tx');
      const rx = flow.filter((e) => e.direction === 'rx');
      expect([tx.length, rx.length], t.dev).toEqual([N, N]);
      for (const e of tx)
        expect(e).toMatchObject({ point: 'vxlan_xmit', interface: t.dev, vni: t.vni, outer_src_ip: '-', inner_src_ip: `${t.overlay}.1` });
      for (const e of rx)
        expect(e).toMatchObject({
          point: 'vxlan_rcv',
          interface: 'eth0',
          vni: t.vni,
          outer_src_ip: `${UNDER}.1`,
          outer_dst_ip: `${UNDER}.2`,
          outer_dst_port: t.udpPort,
        });
    }
    expect(events).toHaveLength(4 * N);
  });

  k.verify('--wire --vni 77: N on each side of the underlay, with outer headers, and nothing of VNI 42', async () => {
    const r = await k.run({ before: TUNNELS, args: ['--wire', '--vni', String(EXTERNAL.vni), '--protocol', 'udp'], traffic: TRAFFIC });
    expect(r.exitCode, r.stderr).toBe(0);
    for (const rec of r.records) expect(validate(rec)).toBeUndefined();
    const w = parseHelperOutput(r.trafficOutput);
    expect(Number(w[`received_${EXTERNAL.port}`])).toBe(N);
    const plan = (r.header as { plan: { chosen: { kind: string; target: string } | null }[] }).plan;
    expect(plan.map((p) => [p.chosen?.kind, p.chosen?.target])).toEqual([
      ['tp_btf', 'netif_receive_skb'],
      ['tp_btf', 'net_dev_start_xmit'],
    ]);
    const events = r.records.filter((l) => l.type === 'event') as unknown as Ev[];
    const side = (direction: string, iface: string) =>
      events.filter(
        (e) => e.direction === direction && e.interface === iface && e.point === 'wire' && e.outer_dst_port === EXTERNAL.udpPort,
      );
    expect([side('tx', `v-${NS}`).length, side('rx', 'eth0').length]).toEqual([N, N]);
    expect(events).toHaveLength(2 * N);
    expect(events.every((e) => e.vni === EXTERNAL.vni && e.inner_dst_port === EXTERNAL.port)).toBe(true);
  });
});
