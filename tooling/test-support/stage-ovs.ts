// A real Open vSwitch for the stage-latency plugins inside a test VM (test-kernel's tk-ovs-bridge:
// ovsdb-server + ovs-vswitchd, a bridge with an internal port for the host, the first virtio NIC as
// the physical port to a peer namespace, and a tap driven by vhost-net as the VM port), plus what
// these tests add: a decoy address on the peer, a second VM port (a veth into namespace `slvm`,
// whose kernel TCP stack the vhost-net driver does not have) and UDP/TCP listeners everywhere.
// Each case resets the bridge (no megaflow: the first packet of each direction is an upcall), then
// sends the target flow and a decoy flow between snapshots of a device's packet counters, the
// ground truth (IPv6 off, static neighbours and MAC entries: only the test's packets cross it).
import type { KernelContext } from '../../test-kernel/src/plugin-suite.js';
import { parseHelperOutput } from '../../test-kernel/src/traffic.js';

export const PORT = 7001;
export const DECOY_PORT = 7002;
const BR = 'slb';
/** Modules the stage cases load in the guest: Open vSwitch and what its ports, ct() and tbf need. */
export const STAGE_MODULES = ['openvswitch', 'virtio_net', 'tun', 'vhost_net', 'veth', 'nf_conntrack', 'sch_tbf'];
const NET = '10.93.0';

export interface StageBridge {
  int: string;
  phys: string;
  tap: string;
  peerNs: string;
  host: string;
  peer: string;
  decoy: string;
  vm: string;
  vmMac: string;
  /** The veth VM port and the namespace behind it (TCP). */
  vmt: string;
  vmtNs: string;
  vmtAddr: string;
}

const traffic = (args: string) => `node tooling/test-support/stage-traffic.cjs ${args}`;

function extraSetup(b: StageBridge): string {
  const listen = (ns: string) =>
    [PORT, DECOY_PORT].flatMap((p) =>
      ['udp-sink', 'tcp-server'].map((m) => `(${ns ? `ip netns exec ${ns} ` : ''}${traffic(`${m} ${p}`)} >/dev/null 2>&1 &)`),
    );
  return [
    'set -e',
    `peer_mac=$(ip netns exec ${b.peerNs} cat /sys/class/net/$(ip netns exec ${b.peerNs} ls /sys/class/net | grep -v lo | head -1)/address)`,
    `peer_dev=$(ip netns exec ${b.peerNs} ls /sys/class/net | grep -v lo | head -1)`,
    `ip -n ${b.peerNs} addr add ${b.decoy}/24 dev $peer_dev`,
    `ip neigh replace ${b.decoy} lladdr $peer_mac dev ${b.int} nud permanent`,
    // The veth VM port: a namespace with a real TCP stack behind an OVS port.
    `ip netns add ${b.vmtNs}`,
    `ip link add ${b.vmt} type veth peer name eth0 netns ${b.vmtNs}`,
    `sysctl -qw net.ipv6.conf.${b.vmt}.disable_ipv6=1`,
    `ip netns exec ${b.vmtNs} sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1`,
    `ip link set ${b.vmt} up`,
    `ip -n ${b.vmtNs} link set lo up`,
    `ip -n ${b.vmtNs} addr add ${b.vmtAddr}/24 dev eth0`,
    `ip -n ${b.vmtNs} link set eth0 up`,
    `ovs-vsctl add-port ${BR} ${b.vmt} -- set interface ${b.vmt} mtu_request=1500`,
    `vmt_mac=$(ip netns exec ${b.vmtNs} cat /sys/class/net/eth0/address)`,
    `ovs-appctl fdb/add ${BR} ${b.vmt} 0 $vmt_mac >/dev/null`,
    `ip -n ${b.peerNs} neigh replace ${b.vmtAddr} lladdr $vmt_mac dev $peer_dev nud permanent`,
    `ip -n ${b.vmtNs} neigh replace ${b.peer} lladdr $peer_mac dev eth0 nud permanent`,
    ...listen(''),
    ...listen(b.peerNs),
    ...listen(b.vmtNs),
    'sleep 1',
  ].join('\n');
}

const started = new WeakMap<KernelContext, () => Promise<StageBridge>>();

/** Starts the bridge in the suite's VM the first time a case needs it: one bridge per suite's VM,
 * whoever asks (stageKernelCases() and a plugin's own cases share it). */
export function bridgeOnce(k: KernelContext): () => Promise<StageBridge> {
  const known = started.get(k);
  if (known) return known;
  let bridge: StageBridge | undefined;
  const get = async () => {
    if (bridge) return bridge;
    const r = await k.vm().exec(`tk-ovs-bridge start ${BR} ${NET}`, { timeoutMs: 600_000 });
    if (r.code !== 0) throw new Error(`tk-ovs-bridge start failed (exit ${r.code}):\n${r.stderr}${r.stdout}`);
    const f = parseHelperOutput(r.stdout);
    const b: StageBridge = {
      int: f.int_dev as string,
      phys: f.phys_dev as string,
      tap: f.vm_dev as string,
      peerNs: f.peer_ns as string,
      host: f.int_addr as string,
      peer: f.peer_addr as string,
      decoy: `${NET}.5`,
      vm: f.vm_addr as string,
      vmMac: f.vm_guest_mac as string,
      vmt: 'slvmt',
      vmtNs: 'slvm',
      vmtAddr: `${NET}.4`,
    };
    const x = await k.vm().exec(extraSetup(b), { timeoutMs: 300_000 });
    if (x.code !== 0) throw new Error(`stage bridge setup failed (exit ${x.code}):\n${x.stderr}${x.stdout}`);
    bridge = b;
    return b;
  };
  started.set(k, get);
  return get;
}

export type Proto = 'tcp' | 'udp' | 'icmp';
/** Whose path: the host's own traffic (internal port <-> NIC), a VM's (its port <-> NIC), or what
 * the host receives through the internal port (rx only). */
export type PathKind = 'host' | 'vm' | 'rx';

const mark = (name: string, dev: string, which: 'both' | 'rx') => [
  which === 'rx'
    ? `echo "mark_${name}=0 $(cat /sys/class/net/${dev}/statistics/rx_packets)"`
    : `echo "mark_${name}=$(cat /sys/class/net/${dev}/statistics/tx_packets) $(cat /sys/class/net/${dev}/statistics/rx_packets)"`,
  // The datapath's misses so far: each one is a packet sent up to ovs-vswitchd (an upcall).
  `echo "missed_${name}=$(tk-ovs-bridge stats ${BR} | sed -n 's/^missed=//p')"`,
];

/** Shell lines run once nettrace is attached: reset, target flow, decoy flow, counter marks. */
export function stageFlows(b: StageBridge, kind: PathKind, proto: Proto, n: number, before: string[] = []): string[] {
  const inPeer = `ip netns exec ${b.peerNs}`;
  const ping = (from: string, to: string) => `${from} ping -q -n -c ${n} -i 0.1 -W 2 ${to} >/dev/null`;
  const vmPing = `tk-vhost-traffic -b ${b.vmMac} ${b.tap} ${b.vm} ${n} ${b.peerNs} >/dev/null`;
  const vmUdp = [
    `tk-vhost-net -s 120 -n ${n} -t 0 -a ${b.vm} -m ${b.vmMac} ${b.tap} >/dev/null &`,
    'driver=$!',
    `until [ "$(cat /sys/class/net/${b.tap}/carrier 2>/dev/null)" = 1 ]; do sleep 0.05; done`,
    `${inPeer} ${traffic(`udp-send ${b.vm} ${PORT} ${n}`)} >/dev/null`,
    'wait $driver',
  ];
  const flows: Record<PathKind, Record<Proto, { target: string[]; decoy: string[] }>> = {
    host: {
      icmp: { target: [ping('', b.peer), ping(inPeer, b.host)], decoy: [ping('', b.decoy)] },
      udp: {
        target: [
          `${traffic(`udp-send ${b.peer} ${PORT} ${n}`)} >/dev/null`,
          `${inPeer} ${traffic(`udp-send ${b.host} ${PORT} ${n}`)} >/dev/null`,
        ],
        decoy: [`${traffic(`udp-send ${b.peer} ${DECOY_PORT} ${n}`)} >/dev/null`],
      },
      tcp: {
        target: [`${traffic(`tcp-client ${b.peer} ${PORT} ${n}`)} >/dev/null`],
        decoy: [`${traffic(`tcp-client ${b.peer} ${DECOY_PORT} ${n}`)} >/dev/null`],
      },
    },
    vm: {
      icmp: { target: [vmPing], decoy: [ping(inPeer, b.host)] },
      udp: { target: vmUdp, decoy: [`${inPeer} ${traffic(`udp-send ${b.host} ${PORT} ${n}`)} >/dev/null`] },
      tcp: {
        target: [`ip netns exec ${b.vmtNs} ${traffic(`tcp-client ${b.peer} ${PORT} ${n}`)} >/dev/null`],
        decoy: [`${traffic(`tcp-client ${b.peer} ${PORT} ${n}`)} >/dev/null`],
      },
    },
    rx: {
      icmp: { target: [ping(inPeer, b.host), ping('', b.peer)], decoy: [ping('', b.decoy)] },
      udp: {
        target: [`${inPeer} ${traffic(`udp-send ${b.host} ${PORT} ${n}`)} >/dev/null`],
        decoy: [`${inPeer} ${traffic(`udp-send ${b.host} ${DECOY_PORT} ${n}`)} >/dev/null`],
      },
      tcp: {
        target: [`${traffic(`tcp-client ${b.peer} ${PORT} ${n}`)} >/dev/null`],
        decoy: [`${traffic(`tcp-client ${b.peer} ${DECOY_PORT} ${n}`)} >/dev/null`],
      },
    },
  };
  const f = flows[kind][proto];
  const dev = kind === 'rx' ? b.int : b.phys;
  const which = kind === 'rx' ? 'rx' : 'both';
  return [
    `tk-ovs-bridge reset ${BR} >/dev/null`,
    ...before,
    ...mark('before', dev, which),
    ...f.target,
    'sleep 0.5',
    ...mark('after', dev, which),
    ...f.decoy,
    'sleep 0.5',
    ...mark('decoy', dev, which),
    // For failure messages: what OVS knew and installed, and the devices.
    `echo "ovs_fdb=$(ovs-appctl fdb/show ${BR} 2>&1 | tr '\\n' ';')"`,
    `echo "ovs_flows=$(ovs-dpctl dump-flows 2>&1 | tr '\\n' ';')"`,
    `echo "links=$(ip -br link 2>&1 | tr '\\n' ';')"`,
  ];
}

/** The plugin options naming the devices of a path (the VM's TCP goes through the veth port). */
export function deviceArgs(b: StageBridge, kind: PathKind, proto: Proto): string[] {
  if (kind === 'host') return ['--phy-interface', b.phys, '--internal-interface', b.int];
  if (kind === 'vm') return ['--vm-interface', proto === 'tcp' ? b.vmt : b.tap, '--phy-interface', b.phys];
  return ['--internal-interface', b.int];
}

/** The filters selecting the target flow of stageFlows() (the decoy differs in address or port). */
export function flowArgs(b: StageBridge, kind: PathKind, proto: Proto): string[] {
  const ends: Record<PathKind, [string, string]> = {
    host: [b.host, b.peer],
    vm: [proto === 'tcp' ? b.vmtAddr : b.vm, b.peer],
    rx: [b.host, b.peer],
  };
  const [s, d] = ends[kind];
  const decoyByPort = proto !== 'icmp' && kind !== 'vm';
  return ['-p', proto, '-s', s, '-d', d, ...(decoyByPort ? ['-D', String(PORT)] : [])];
}

/** The marked device's counters at each mark (before, after the target, after the decoy). */
export function marks(trafficOutput: string) {
  const f = parseHelperOutput(trafficOutput);
  const pair = (name: string) => {
    const v = f[`mark_${name}`];
    if (!v) throw new Error(`no mark_${name} in the traffic output:\n${trafficOutput}`);
    const [tx, rx] = v.split(' ').map(Number);
    return { tx: tx as number, rx: rx as number };
  };
  return { before: pair('before'), after: pair('after'), decoy: pair('decoy') };
}

/** Packets of the target flow and of the decoy on the marked device, per direction; `upcalls`:
 * the datapath's misses during the target flow (both directions), as OVS counted them. */
export function wireCounts(trafficOutput: string) {
  const { before, after, decoy } = marks(trafficOutput);
  const f = parseHelperOutput(trafficOutput);
  return {
    target: { tx: after.tx - before.tx, rx: after.rx - before.rx },
    decoy: { tx: decoy.tx - after.tx, rx: decoy.rx - after.rx },
    upcalls: Number(f.missed_after) - Number(f.missed_before),
  };
}
