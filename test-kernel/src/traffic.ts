// Typed wrappers over the guest/bin helpers, for tests that need devices and traffic inside a VM.
// Each returns what the helper measured (from kernel counters or the reading program), so a test
// can assert exact numbers against what its BPF program saw.
import type { ExecResult, Vm } from './vm.js';

export class HelperError extends Error {
  constructor(cmd: string, r: ExecResult) {
    super(`guest helper failed (exit ${r.code}): ${cmd}\n${r.stderr}${r.stdout}`);
    this.name = 'HelperError';
  }
}

async function helper(vm: Vm, cmd: string): Promise<string> {
  const r = await vm.exec(cmd);
  if (r.code !== 0) throw new HelperError(cmd, r);
  return r.stdout;
}

/** "KEY=VALUE" and "KEY N [KEY N...]" lines, as the helpers print them. */
export function parseHelperOutput(out: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const kv = /^(\w+)=(.*)$/.exec(line);
    if (kv?.[1]) fields[kv[1]] = kv[2] ?? '';
    else {
      const words = line.trim().split(/\s+/);
      for (let i = 0; i + 1 < words.length; i += 2) fields[words[i] as string] = words[i + 1] as string;
    }
  }
  return fields;
}

/** The "KEY N KEY N" lines of OUT that start with FIRST, each parsed on its own. */
function helperLines(out: string, first: string): Record<string, string>[] {
  return out
    .split('\n')
    .filter((l) => l.startsWith(`${first} `))
    .map((l) => parseHelperOutput(l));
}

const num = (fields: Record<string, string>, key: string): number => {
  const v = Number(fields[key]);
  if (!Number.isFinite(v)) throw new Error(`helper output has no number for '${key}': ${JSON.stringify(fields)}`);
  return v;
};

/** A namespace joined to the root one by veth: root side `v-NS` = SUBNET.1, NS side eth0 = SUBNET.2. */
export async function netns(vm: Vm, ns: string, subnet: string) {
  const f = parseHelperOutput(await helper(vm, `tk-netns ${ns} ${subnet}`));
  return { ns, hostDev: f.host_dev as string, hostAddr: f.host_addr as string, nsAddr: f.ns_addr as string };
}

export interface TunTrafficOptions {
  /** A tap (Ethernet) device instead of tun. */
  tap?: boolean;
  /** Created with IFF_NAPI. */
  napi?: boolean;
  /** The queue's tx_ring holds RING packets and is read only after the last ping: COUNT - RING
   * packets are dropped by tun_net_xmit (the device's tx_dropped). */
  ring?: number;
}

/** What tk-tun-traffic's reader saw: packets and bytes read, and the device's tx_dropped. */
export interface TunTrafficResult {
  packets: number;
  bytes: number;
  txDropped: number;
}

/** The guest command for COUNT echo requests into tun (or tap) DEV held open by a reader. */
export function tunTrafficCommand(dev: string, subnet: string, count: number, o: TunTrafficOptions = {}): string {
  const flags = [o.tap && '-p', o.napi && '-N', o.ring !== undefined && `-q ${o.ring}`].filter(Boolean).join(' ');
  return `tk-tun-traffic ${flags ? `${flags} ` : ''}${dev} ${subnet} ${count}`;
}

/** A persistent tap NAME (no reader yet): it exists before a tracer that names it starts, and
 * tk-tun-traffic's reader or tk-vhost-traffic's driver attaches to it. Undo with tapDeleteCommand. */
export const tapCommand = (name: string) => `ip tuntap add dev ${name} mode tap`;
export const tapDeleteCommand = (name: string) => `ip link del ${name}`;

/** Every tk-tun-traffic result line in OUT, in order. */
export function tunTrafficResults(out: string): TunTrafficResult[] {
  return helperLines(out, 'packets').map((f) => ({ packets: num(f, 'packets'), bytes: num(f, 'bytes'), txDropped: num(f, 'tx_dropped') }));
}

/** COUNT echo requests into a tun (or tap) device held open by a reader; returns what it read. */
export async function tunTraffic(vm: Vm, dev: string, subnet: string, count: number, opts: TunTrafficOptions = {}) {
  return tunTrafficResults(await helper(vm, tunTrafficCommand(dev, subnet, count, opts)))[0] as TunTrafficResult;
}

export interface VhostTrafficOptions {
  /** The transmit queue gets no call eventfd. */
  noTxCall?: boolean;
  /** The receive queue asks for no interrupts (VRING_AVAIL_F_NO_INTERRUPT). */
  noInterrupt?: boolean;
  /** VIRTIO_RING_F_EVENT_IDX negotiated, used_event left at 0. */
  eventIdx?: boolean;
}

/** What tk-vhost-net counted: used buffers per queue, call eventfd reads, and signals (the exact
 * number of eventfd_signal() calls on each queue's call eventfd). */
export interface VhostTrafficResult {
  rxUsed: number;
  txUsed: number;
  calls: number;
  rxSignals: number;
  txSignals: number;
}

export function vhostTrafficCommand(dev: string, subnet: string, count: number, o: VhostTrafficOptions = {}): string {
  const flags = [o.noTxCall && '-x', o.noInterrupt && '-N', o.eventIdx && '-E'].filter(Boolean).join(' ');
  return `tk-vhost-traffic ${flags ? `${flags} ` : ''}${dev} ${subnet} ${count}`;
}

/** Every tk-vhost-traffic result line in OUT, in order. */
export function vhostTrafficResults(out: string): VhostTrafficResult[] {
  return helperLines(out, 'rx_used').map((f) => ({
    rxUsed: num(f, 'rx_used'),
    txUsed: num(f, 'tx_used'),
    calls: num(f, 'calls'),
    rxSignals: num(f, 'rx_signals'),
    txSignals: num(f, 'tx_signals'),
  }));
}

/** COUNT echo requests into tap DEV, the backend of a vhost-net device driven from user space. */
export async function vhostTraffic(vm: Vm, dev: string, subnet: string, count: number, opts: VhostTrafficOptions = {}) {
  return vhostTrafficResults(await helper(vm, vhostTrafficCommand(dev, subnet, count, opts)))[0] as VhostTrafficResult;
}

/** An OVS kernel datapath with two namespace ports; `flows` installs port 1 <-> 2 forwarding. */
export async function ovsDatapath(vm: Vm, dp: string, subnet: string, opts: { flows?: boolean } = {}) {
  const f = parseHelperOutput(await helper(vm, `tk-ovs-dp ${opts.flows ? '-f ' : ''}${dp} ${subnet}`));
  return { dp, nsA: f.ns_a as string, nsB: f.ns_b as string, addrA: f.addr_a as string, addrB: f.addr_b as string };
}

/** The datapath's lookup counters from `ovs-dpctl show`. */
export async function ovsLookups(vm: Vm, dp: string) {
  const out = await helper(vm, `ovs-dpctl show ${dp}`);
  const m = /lookups: hit:(\d+) missed:(\d+) lost:(\d+)/.exec(out);
  if (!m) throw new Error(`no lookups line in ovs-dpctl show ${dp}:\n${out}`);
  return { hit: Number(m[1]), missed: Number(m[2]), lost: Number(m[3]) };
}

/** COUNT tracked TCP connections into NS (made with netns()); returns the conntrack entries seen. */
export async function conntrackTraffic(vm: Vm, ns: string, subnet: string, count: number) {
  return num(parseHelperOutput(await helper(vm, `tk-conntrack ${ns} ${subnet} ${count}`)), 'entries');
}

/** COUNT fragmented echo requests (or UDP datagrams) of SIZE bytes into NS (made with netns()). */
export async function fragmentedTraffic(vm: Vm, ns: string, subnet: string, count: number, size = 4000, proto: 'icmp' | 'udp' = 'icmp') {
  const f = parseHelperOutput(await helper(vm, `tk-frags ${ns} ${subnet} ${count} ${size} ${proto}`));
  return { reassembled: num(f, 'reassembled'), fragments: num(f, 'fragments'), replies: proto === 'icmp' ? num(f, 'replies') : 0 };
}

/** COUNT fragmented echo requests into NS with a fault on the way (tk-frags-faulty: `lost`, each
 * loses its first fragment; `dup`, every fragment arrives twice): NS's reassembly counters once
 * COUNT reassemblies timed out (ipfrag_time 1 s in NS). */
export async function faultyFragmentTraffic(vm: Vm, ns: string, subnet: string, count: number, mode: 'lost' | 'dup', size = 4000) {
  const f = parseHelperOutput(await helper(vm, `tk-frags-faulty ${ns} ${subnet} ${count} ${size} ${mode}`));
  return { fragments: num(f, 'fragments'), reassembled: num(f, 'reassembled'), timeouts: num(f, 'timeouts'), fails: num(f, 'fails') };
}

/** VXLAN (VNI) between the root namespace and a new NS over a veth underlay. */
export async function vxlan(vm: Vm, ns: string, underlay: string, overlay: string, vni: number) {
  const f = parseHelperOutput(await helper(vm, `tk-vxlan ${ns} ${underlay} ${overlay} ${vni}`));
  return { ns, dev: f.vxlan_dev as string, overlayAddr: f.overlay_addr as string };
}

/** The VM's two hub-joined virtio NICs as a pair: the first in the root namespace with SUBNET.1,
 * the second moved into a new NS with SUBNET.2; silent except for what a test sends. */
export async function virtioPair(vm: Vm, ns: string, subnet: string) {
  const f = parseHelperOutput(await helper(vm, `tk-virtio-pair ${ns} ${subnet}`));
  return {
    ns,
    hostDev: f.host_dev as string,
    hostIfindex: num(f, 'host_ifindex'),
    hostAddr: f.host_addr as string,
    nsDev: f.ns_dev as string,
    nsIfindex: num(f, 'ns_ifindex'),
    nsAddr: f.ns_addr as string,
  };
}

/** Undoes virtioPair(): the NIC back from NS, both down without addresses, NS deleted. */
export async function virtioPairDown(vm: Vm, ns: string): Promise<void> {
  await helper(vm, `tk-virtio-pair -d ${ns}`);
}

/** The virtio NICs in the root namespace, in MAC order: name, operstate and packet counters. */
export async function virtioNics(vm: Vm) {
  const r = await vm.exec(
    'cd /sys/class/net && for d in *; do case $(cat $d/address) in 02:00:00:74:6b:0[12]) ' +
      'echo "$(cat $d/address) $d $(cat $d/operstate) $(cat $d/statistics/rx_packets) $(cat $d/statistics/tx_packets)";; esac; done | sort',
  );
  if (r.code !== 0) throw new HelperError('virtio NIC state', r);
  return r.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [mac, dev, state, rx, tx] = l.split(' ');
      return { mac, dev, state, rx: Number(rx), tx: Number(tx) };
    });
}

/** Echo replies received for COUNT pings (run in NS when given; every 0.2 s with 56 data bytes unless told). */
export async function ping(
  vm: Vm,
  addr: string,
  count: number,
  ns?: string,
  opts: { intervalS?: number; size?: number } = {},
): Promise<number> {
  const size = opts.size === undefined ? '' : ` -s ${opts.size}`;
  const r = await vm.exec(`${ns ? `ip netns exec ${ns} ` : ''}ping -n -q -c ${count} -i ${opts.intervalS ?? 0.2}${size} -W 2 ${addr}`);
  const m = / (\d+) received/.exec(r.stdout);
  if (!m) throw new HelperError(`ping ${addr}`, r);
  return Number(m[1]);
}

// --- Open vSwitch bridge (guest/bin/tk-ovs-bridge): real ovsdb-server and ovs-vswitchd ---

/** One port of the tk-ovs-bridge bridge as the kernel and OVS number it. */
export interface OvsPort {
  dev: string;
  ifindex: number;
  /** The net device's own MAC (for the VM port: the tap's, not the VM's). */
  mac: string;
  /** OpenFlow port number (`in_port=` in OpenFlow rules). */
  ofport: number;
  /** Datapath port number (`in_port(N)` in megaflows, `port_no` of the kernel's vport). */
  dpPort: number;
}

export interface OvsBridge {
  bridge: string;
  /** The kernel datapath ovs-vswitchd made (all bridges share it). */
  datapath: string;
  /** The internal port holding the host's address. */
  int: OvsPort & { addr: string };
  /** The virtio-net NIC of the hub pair. */
  phys: OvsPort;
  /** The tap of the VM port; the VM (tk-vhost-traffic -b) has `addr` and `guestMac`. */
  vm: OvsPort & { addr: string; guestMac: string };
  /** The peer host behind the physical NIC: the other virtio NIC, in its own namespace. */
  peer: { ns: string; dev: string; ifindex: number; mac: string; addr: string };
  daemons: OvsDaemons;
  /** ovs-vswitchd's upcall handler threads once the bridge had its datapath (start fails with none). */
  handlers: number;
}

export interface OvsDaemons {
  ovsdbPid: number;
  vswitchdPid: number;
  /** ovsdb-server.log and ovs-vswitchd.log, on the share (the same path on the host). */
  logDir: string;
  /** False when they were already running. */
  started: boolean;
  /** From starting them to ovs-vswitchd having applied its first configuration change. */
  startupMs: number;
}

function ovsPort(f: Record<string, string>, p: string): OvsPort {
  return {
    dev: f[`${p}_dev`] as string,
    ifindex: num(f, `${p}_ifindex`),
    mac: f[`${p}_mac`] as string,
    ofport: num(f, `${p}_ofport`),
    dpPort: num(f, `${p}_dp_port`),
  };
}

function ovsDaemons(f: Record<string, string>): OvsDaemons {
  return {
    ovsdbPid: num(f, 'ovsdb_pid'),
    vswitchdPid: num(f, 'vswitchd_pid'),
    logDir: f.log_dir as string,
    started: f.started === '1',
    startupMs: num(f, 'startup_ms'),
  };
}

/** Starts the OVS daemons unless they run; `maxIdleMs` is how long an idle megaflow stays (default 600 s). */
export async function ovsDaemonsUp(vm: Vm, opts: { maxIdleMs?: number } = {}): Promise<OvsDaemons> {
  return ovsDaemons(parseHelperOutput(await helper(vm, `tk-ovs-bridge daemons${opts.maxIdleMs ? ` -i ${opts.maxIdleMs}` : ''}`)));
}

/** The OVS bridge BR: internal port (SUBNET.1), virtio NIC to the peer netns (SUBNET.2), VM tap (VM SUBNET.3). */
export async function ovsBridge(vm: Vm, br: string, subnet: string, opts: { maxIdleMs?: number } = {}): Promise<OvsBridge> {
  const f = parseHelperOutput(await helper(vm, `tk-ovs-bridge start${opts.maxIdleMs ? ` -i ${opts.maxIdleMs}` : ''} ${br} ${subnet}`));
  return {
    bridge: f.bridge as string,
    datapath: f.datapath as string,
    int: { ...ovsPort(f, 'int'), addr: f.int_addr as string },
    phys: ovsPort(f, 'phys'),
    vm: { ...ovsPort(f, 'vm'), addr: f.vm_addr as string, guestMac: f.vm_guest_mac as string },
    peer: {
      ns: f.peer_ns as string,
      dev: f.peer_dev as string,
      ifindex: num(f, 'peer_ifindex'),
      mac: f.peer_mac as string,
      addr: f.peer_addr as string,
    },
    daemons: ovsDaemons(f),
    handlers: num(f, 'handlers'),
  };
}

/** Back to the start state: NORMAL only, no meter, qdisc, MTU change or zone-5 conntrack entry, and no megaflow. */
export async function ovsBridgeReset(vm: Vm, br: string): Promise<void> {
  await helper(vm, `tk-ovs-bridge reset ${br}`);
}

/** Everything deleted; the daemons stopped (and the datapath removed) when no bridge is left. */
export async function ovsBridgeStop(vm: Vm, br: string): Promise<void> {
  await helper(vm, `tk-ovs-bridge stop ${br}`);
}

const shellWord = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** OpenFlow rule `priority=100,MATCH,actions=drop`. */
export async function ovsDropRule(vm: Vm, br: string, match: string): Promise<void> {
  await helper(vm, `tk-ovs-bridge drop ${br} ${shellWord(match)}`);
}

/** Meter 1 (drop band above PKTPS packets/s, burst BURST) on `priority=100,MATCH,actions=meter:1,NORMAL`. */
export async function ovsMeter(vm: Vm, br: string, pktps: number, burst: number, match: string): Promise<void> {
  await helper(vm, `tk-ovs-bridge meter ${br} ${pktps} ${burst} ${shellWord(match)}`);
}

/** The MTU of one bridge port. */
export async function ovsPortMtu(vm: Vm, br: string, port: 'int' | 'phys' | 'vm', mtu: number): Promise<void> {
  await helper(vm, `tk-ovs-bridge mtu ${br} ${port} ${mtu}`);
}

/** MATCH (default ip) through conntrack in zone 5: ct(table=1); +new → ct(commit),NORMAL; +est → NORMAL. */
export async function ovsConntrackFlows(vm: Vm, br: string, match?: string): Promise<void> {
  await helper(vm, `tk-ovs-bridge ct ${br}${match ? ` ${shellWord(match)}` : ''}`);
}

/** A tbf root qdisc on the physical NIC (tc units, e.g. '100kbit', '1600', '3000'). */
export async function ovsTbf(vm: Vm, br: string, rate: string, burst: string, limit: string): Promise<void> {
  await helper(vm, `tk-ovs-bridge tbf ${br} ${rate} ${burst} ${limit}`);
}

export interface OvsDpPortStats {
  port: number;
  name: string;
  /** The net device's own counters (for an internal port tx is what the host sent into the bridge). */
  rx_packets: number;
  rx_bytes: number;
  rx_errors: number;
  rx_dropped: number;
  tx_packets: number;
  tx_bytes: number;
  tx_errors: number;
  tx_dropped: number;
}

export interface OvsMegaflow {
  /** The match as ovs-dpctl dump-flows prints it, e.g. `recirc_id(0),in_port(2),eth(...),...`. */
  match: string;
  packets: number;
  bytes: number;
  actions: string;
}

export interface OvsBridgeStats {
  /** `ovs-dpctl show`: lookups that hit a megaflow, missed (upcalls), lost (upcalls not delivered). */
  hit: number;
  missed: number;
  lost: number;
  flows: number;
  masksHit: number;
  masksTotal: number;
  ports: OvsDpPortStats[];
  megaflows: OvsMegaflow[];
  /** OpenFlow rules: `rule` is the match and actions as ovs-ofctl prints them. */
  openflow: { table: number; packets: number; bytes: number; rule: string }[];
  meters: { id: number; packetsIn: number; bytesIn: number; dropped: number }[];
  /** The physical NIC's root qdisc, as tc counts. */
  qdisc?: { kind: string; sentPackets: number; sentBytes: number; dropped: number; overlimits: number; requeues: number };
  /** Conntrack entries of the ct case's zone, as `ovs-appctl dpctl/dump-conntrack` prints them. */
  conntrack: string[];
}

const kvWords = (line: string) => Object.fromEntries(line.split(' ').map((w) => w.split('=', 2) as [string, string]));

/** What OVS and tc counted, parsed from `tk-ovs-bridge stats BR`. */
export function parseOvsBridgeStats(out: string): OvsBridgeStats {
  const s: OvsBridgeStats = {
    hit: NaN,
    missed: NaN,
    lost: NaN,
    flows: NaN,
    masksHit: NaN,
    masksTotal: NaN,
    ports: [],
    megaflows: [],
    openflow: [],
    meters: [],
    conntrack: [],
  };
  for (const line of out.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (key === 'flow') {
      const m = /^(.*), packets:(\d+), bytes:(\d+), used:[^,]*, (?:flags:[^,]*, )?actions:(.*)$/.exec(value);
      if (!m) throw new Error(`unparsed megaflow: ${value}`);
      s.megaflows.push({ match: m[1] as string, packets: Number(m[2]), bytes: Number(m[3]), actions: m[4] as string });
    } else if (key === 'port') {
      const w = kvWords(line);
      const n = (k: string) => Number(w[k]);
      s.ports.push({
        port: n('port'),
        name: w.name as string,
        rx_packets: n('rx_packets'),
        rx_bytes: n('rx_bytes'),
        rx_errors: n('rx_errors'),
        rx_dropped: n('rx_dropped'),
        tx_packets: n('tx_packets'),
        tx_bytes: n('tx_bytes'),
        tx_errors: n('tx_errors'),
        tx_dropped: n('tx_dropped'),
      });
    } else if (key === 'of') {
      const m = /^table=(\d+) n_packets=(\d+) n_bytes=(\d+) (.*)$/.exec(value);
      if (!m) throw new Error(`unparsed OpenFlow rule: ${value}`);
      s.openflow.push({ table: Number(m[1]), packets: Number(m[2]), bytes: Number(m[3]), rule: m[4] as string });
    } else if (key === 'meter') {
      const w = kvWords(line);
      s.meters.push({ id: Number(w.meter), packetsIn: Number(w.packets_in), bytesIn: Number(w.bytes_in), dropped: Number(w.dropped) });
    } else if (key === 'qdisc') {
      const w = kvWords(line);
      s.qdisc = {
        kind: w.qdisc as string,
        sentPackets: Number(w.sent_packets),
        sentBytes: Number(w.sent_bytes),
        dropped: Number(w.dropped),
        overlimits: Number(w.overlimits),
        requeues: Number(w.requeues),
      };
    } else if (key === 'ct') {
      s.conntrack.push(value);
    } else {
      const field = { hit: 'hit', missed: 'missed', lost: 'lost', flows: 'flows', masks_hit: 'masksHit', masks_total: 'masksTotal' }[key] as
        | keyof OvsBridgeStats
        | undefined;
      if (field) (s as unknown as Record<string, number>)[field] = Number(value);
    }
  }
  for (const k of ['hit', 'missed', 'lost', 'flows'] as const)
    if (!Number.isFinite(s[k])) throw new Error(`tk-ovs-bridge stats printed no ${k}:\n${out}`);
  return s;
}

export async function ovsBridgeStats(vm: Vm, br: string): Promise<OvsBridgeStats> {
  return parseOvsBridgeStats(await helper(vm, `tk-ovs-bridge stats ${br}`));
}

/**
 * COUNT pings to the VM behind the bridge's VM port, from the host (the internal port) or from the
 * peer namespace: the vhost-net driver answers each one, so requests cross OVS into the tap and
 * replies leave the tap into OVS. Returns the driver's counts and ping's received replies.
 */
export async function ovsVmPing(vm: Vm, b: OvsBridge, count: number, opts: { fromPeer?: boolean } = {}) {
  const f = parseHelperOutput(
    await helper(vm, `tk-vhost-traffic -b ${b.vm.guestMac} ${b.vm.dev} ${b.vm.addr} ${count}${opts.fromPeer ? ` ${b.peer.ns}` : ''}`),
  );
  return {
    rxUsed: num(f, 'rx_used'),
    txUsed: num(f, 'tx_used'),
    calls: num(f, 'calls'),
    replied: num(f, 'replied'),
    received: num(f, 'received'),
  };
}

/** A burst of COUNT UDP datagrams from the root namespace into NS (made with netns()) through a
 * fresh tbf with a one-packet bucket on the root side: what was offered, delivered and dropped. */
export async function qdiscDrops(vm: Vm, ns: string, subnet: string, count: number, size: number, port: number) {
  const f = parseHelperOutput(await helper(vm, `tk-qdisc-drops ${ns} ${subnet} ${count} ${size} ${port}`));
  return { offered: num(f, 'offered'), delivered: num(f, 'delivered'), dropped: num(f, 'dropped') };
}

/** BYTES over TCP from the root namespace (local port LPORT) into NS, and the witness: the
 * tcp_rate_skb_sent calls of that socket, counted by an ftrace kprobe whose fetch argument reads
 * the local port at OFFSET (btfMemberOffset(vmlinux, 'sock.__sk_common.skc_num')). */
export async function tcpSendTraffic(vm: Vm, ns: string, subnet: string, bytes: number, lport: number, offset: number) {
  return num(parseHelperOutput(await helper(vm, `tk-tcp-send ${ns} ${subnet} ${bytes} ${lport} ${offset}`)), 'sends');
}
