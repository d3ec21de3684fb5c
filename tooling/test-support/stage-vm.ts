// Topology and traffic for the stage-latency plugins inside a test VM: an Open vSwitch kernel
// datapath whose internal port holds the host's address, a "physical" port (a veth into a
// namespace that plays the peer host), and known TCP, UDP and ICMP traffic both ways. The ground
// truth is the kernel's own count of packets on the physical port (IPv6 off, static neighbours:
// nothing else crosses it), taken around the target flow only; a decoy flow runs just before it.
import { parseHelperOutput } from '../../test-kernel/src/traffic.js';

export const HOST_OVS = {
  dp: 'sl0',
  phy: 'slphy',
  peerNs: 'slpeer',
  host: '10.90.0.1',
  peer: '10.90.0.2',
  /** A second address of the peer: the decoy flows go there (ICMP) or to a decoy port. */
  decoy: '10.90.0.3',
  port: 7001,
  decoyPort: 7002,
};

/** Datapath with flows forwarding between the internal port (0) and the physical port (1). */
export function hostOvsSetup(): string {
  const t = HOST_OVS;
  return [
    'set -e',
    'no6() { sysctl -qw net.ipv6.conf.$1.disable_ipv6=1 2>/dev/null || true; }',
    'modprobe openvswitch',
    `ovs-dpctl add-dp ${t.dp}`,
    `no6 ${t.dp}`,
    `ip addr add ${t.host}/24 dev ${t.dp}`,
    `ip link set ${t.dp} up`,
    `ip netns add ${t.peerNs}`,
    `ip link add ${t.phy} type veth peer name eth0 netns ${t.peerNs}`,
    `no6 ${t.phy}`,
    `ip netns exec ${t.peerNs} sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1`,
    `ip link set ${t.phy} up`,
    `ip -n ${t.peerNs} addr add ${t.peer}/24 dev eth0`,
    `ip -n ${t.peerNs} addr add ${t.decoy}/24 dev eth0`,
    `ip -n ${t.peerNs} link set eth0 up`,
    `ip -n ${t.peerNs} link set lo up`,
    `ovs-dpctl add-if ${t.dp} ${t.phy}`,
    `macp=$(ip -n ${t.peerNs} -o link show eth0 | sed -n 's/.*link\\/ether \\([0-9a-f:]*\\).*/\\1/p')`,
    `maci=$(ip -o link show ${t.dp} | sed -n 's/.*link\\/ether \\([0-9a-f:]*\\).*/\\1/p')`,
    `ip neigh replace ${t.peer} lladdr $macp dev ${t.dp} nud permanent`,
    `ip neigh replace ${t.decoy} lladdr $macp dev ${t.dp} nud permanent`,
    `ip -n ${t.peerNs} neigh replace ${t.host} lladdr $maci dev eth0 nud permanent`,
    `ovs-dpctl add-flow ${t.dp} "in_port(0),eth(),eth_type(0x0800),ipv4()" 1`,
    `ovs-dpctl add-flow ${t.dp} "in_port(1),eth(),eth_type(0x0800),ipv4()" 0`,
    // listeners on both sides, for the target and the decoy port
    `for p in ${t.port} ${t.decoyPort}; do`,
    '  (node tooling/test-support/stage-traffic.cjs udp-sink $p >/dev/null 2>&1 &)',
    `  (ip netns exec ${t.peerNs} node tooling/test-support/stage-traffic.cjs udp-sink $p >/dev/null 2>&1 &)`,
    `  (ip netns exec ${t.peerNs} node tooling/test-support/stage-traffic.cjs tcp-server $p >/dev/null 2>&1 &)`,
    'done',
    'sleep 1',
  ].join('\n');
}

export type Proto = 'tcp' | 'udp' | 'icmp';

const traffic = (args: string) => `node tooling/test-support/stage-traffic.cjs ${args} >/dev/null`;

/** Shell lines: a decoy flow, then the target flow between counter snapshots of the physical
 * port (`mark NAME tx rx` lines). Both directions get N packets of the protocol (TCP: N
 * request/response rounds, plus the handshake and close, all counted by the device). */
export function hostTraffic(proto: Proto, n: number): string[] {
  const t = HOST_OVS;
  const inPeer = `ip netns exec ${t.peerNs}`;
  const mark = (name: string) =>
    `echo "mark_${name}=$(cat /sys/class/net/${t.phy}/statistics/tx_packets) $(cat /sys/class/net/${t.phy}/statistics/rx_packets)"`;
  const flows: Record<Proto, { decoy: string[]; target: string[] }> = {
    icmp: {
      decoy: [`ping -c ${n} -i 0.05 -W 2 ${t.decoy} >/dev/null`],
      target: [`ping -c ${n} -i 0.05 -W 2 ${t.peer} >/dev/null`, `${inPeer} ping -c ${n} -i 0.05 -W 2 ${t.host} >/dev/null`],
    },
    udp: {
      decoy: [traffic(`udp-send ${t.peer} ${t.decoyPort} ${n}`)],
      target: [traffic(`udp-send ${t.peer} ${t.port} ${n}`), `${inPeer} ${traffic(`udp-send ${t.host} ${t.port} ${n}`)}`],
    },
    tcp: {
      decoy: [traffic(`tcp-client ${t.peer} ${t.decoyPort} ${n}`)],
      target: [traffic(`tcp-client ${t.peer} ${t.port} ${n}`)],
    },
  };
  const f = flows[proto];
  return [mark('start'), ...f.decoy, 'sleep 0.3', mark('before'), ...f.target, 'sleep 0.5', mark('after')];
}

/** Filters selecting the target flow of hostTraffic() (the decoy differs in address or port). */
export function hostFilter(proto: Proto): string[] {
  const t = HOST_OVS;
  return ['-p', proto, '-s', t.host, '-d', t.peer, ...(proto === 'icmp' ? [] : ['-D', String(t.port)])];
}

/** Packets the physical port sent (tx) and received (rx) during the target flow, and during the decoy. */
export function wireCounts(trafficOutput: string) {
  const f = parseHelperOutput(trafficOutput);
  const pair = (name: string) => {
    const v = f[`mark_${name}`];
    if (!v) throw new Error(`no mark_${name} in the traffic output:\n${trafficOutput}`);
    const [tx, rx] = v.split(' ').map(Number);
    return { tx: tx as number, rx: rx as number };
  };
  const [start, before, after] = [pair('start'), pair('before'), pair('after')];
  return {
    target: { tx: after.tx - before.tx, rx: after.rx - before.rx },
    decoy: { tx: before.tx - start.tx, rx: before.rx - start.rx },
  };
}

/** The host profile's stages a packet passes on the datapath's fast path (flows installed). */
export const HOST_FAST_PATH = {
  tx: ['ip-out', 'internal-xmit', 'vport-receive', 'ovs-process', 'vport-send', 'phy-queue', 'phy-xmit'],
  rx: ['phy-rx', 'frame-hook', 'vport-receive', 'ovs-process', 'vport-send', 'internal-rx', 'backlog-rx', 'ip-rcv', 'l4-rcv'],
};

/** Builds the host topology in the suite's VM the first time a case needs it. */
export function hostTopologyOnce(vm: () => { exec(script: string, o: { timeoutMs: number }): Promise<{ code: number; stderr: string }> }) {
  let ready = false;
  return async () => {
    if (ready) return;
    const r = await vm().exec(hostOvsSetup(), { timeoutMs: 120_000 });
    if (r.code !== 0) throw new Error(`host topology setup failed (exit ${r.code}):\n${r.stderr}`);
    ready = true;
  };
}
