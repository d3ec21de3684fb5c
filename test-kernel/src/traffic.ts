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

/** COUNT fragmented echo requests of SIZE bytes into NS (made with netns()). */
export async function fragmentedTraffic(vm: Vm, ns: string, subnet: string, count: number, size = 4000) {
  const f = parseHelperOutput(await helper(vm, `tk-frags ${ns} ${subnet} ${count} ${size}`));
  return { reassembled: num(f, 'reassembled'), fragments: num(f, 'fragments'), replies: num(f, 'replies') };
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

/** Echo replies received for COUNT pings (run in NS when given). */
export async function ping(vm: Vm, addr: string, count: number, ns?: string): Promise<number> {
  const r = await vm.exec(`${ns ? `ip netns exec ${ns} ` : ''}ping -n -q -c ${count} -i 0.2 -W 2 ${addr}`);
  const m = / (\d+) received/.exec(r.stdout);
  if (!m) throw new HelperError(`ping ${addr}`, r);
  return Number(m[1]);
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
