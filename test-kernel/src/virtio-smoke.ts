// The virtio-net smoke check: runs fixtures/virtio-smoke inside a VM around pings across the VM's
// two hub-joined virtio NICs (tk-virtio-pair: one in the root namespace, one in a netns) and
// returns its per-device rows with what the guest itself says about the NICs (`ip -o link`, the
// netns inodes, the drivers' packet counters), so the CO-RE reads of the virtio_net module structs
// can be compared with independent sources. Each echo request is one start_xmit on the sending NIC
// and one interrupt and one NAPI poll on the receiving one; the reply goes back the same way.

import type { VirtioDevCounts, VirtioDevKey } from '../fixtures/virtio-smoke/src/virtio_smoke.gen.js';
import { runFixture } from './fixture-run.js';
import { EXTERNAL_BTF_NOTE, externalBtfAfterRefusal } from './module-btf.js';
import { virtioPair, virtioPairDown } from './traffic.js';
import type { Cell } from './verify-gate.js';
import type { Vm } from './vm.js';

/** One row of the fixture's `devices` table (struct virtio_dev_key + struct virtio_dev_counts). */
export type VirtioDevRow = VirtioDevKey & VirtioDevCounts;

export interface VirtioTraffic {
  /** Namespace for the second NIC, and the /24 of the pair (SUBNET.1 root side, SUBNET.2 in NS). */
  ns: string;
  subnet: string;
  /** Echo requests from the root-side NIC to the one in NS. */
  pings: number;
}

/** One NIC as the guest reports it after the pings. */
export interface VirtioNic {
  dev: string;
  /** From `ip -o link` in the NIC's namespace. */
  ifindex: number;
  /** Inode of the NIC's network namespace (what dev->nd_net.net->ns.inum holds). */
  netns: number;
  /** The driver's own counters (sums of its rq/sq stats) after the pings. */
  rxPackets: number;
  txPackets: number;
}

export interface VirtioGuestView {
  sender: VirtioNic;
  receiver: VirtioNic;
  /** Replies ping says it received. */
  received: number;
}

export type VirtioSmokeResult =
  | { ran: true; rows: VirtioDevRow[]; guest: VirtioGuestView; stderr: string }
  | { ran: false; exitCode: number; stderr: string };

export const VIRTIO_SMOKE_TRAFFIC: VirtioTraffic = { ns: 'tkvio', subnet: '10.213.0', pings: 5 };

/** Shell lines printing `KEY=VALUE` facts about NIC `dev`, run in namespace `ns` (root when empty). */
function nicFacts(prefix: string, dev: string, ns: string): string[] {
  const inNs = ns ? `ip netns exec ${ns} ` : '';
  return [
    `echo "${prefix}_link=$(${inNs}ip -o link show dev ${dev})"`,
    `echo "${prefix}_netns=$(${inNs}stat -L -c %i /proc/self/ns/net)"`,
    `echo "${prefix}_rx=$(${inNs}cat /sys/class/net/${dev}/statistics/rx_packets)"`,
    `echo "${prefix}_tx=$(${inNs}cat /sys/class/net/${dev}/statistics/tx_packets)"`,
  ];
}

function fields(out: string): Record<string, string> {
  return Object.fromEntries([...out.matchAll(/^(\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
}

function nic(f: Record<string, string>, prefix: string, dev: string): VirtioNic {
  const link = /^(\d+): ([^:@]+)[:@]/.exec(f[`${prefix}_link`] ?? '');
  if (!link || link[2] !== dev) throw new Error(`virtio-smoke: no \`ip -o link\` line for ${dev}: ${JSON.stringify(f)}`);
  return {
    dev,
    ifindex: Number(link[1]),
    netns: Number(f[`${prefix}_netns`]),
    rxPackets: Number(f[`${prefix}_rx`]),
    txPackets: Number(f[`${prefix}_tx`]),
  };
}

/** `btf`: an external BTF file (nettrace btf build) for kernels without module BTF. */
export async function runVirtioSmoke(vm: Vm, t: VirtioTraffic = VIRTIO_SMOKE_TRAFFIC, btf?: string): Promise<VirtioSmokeResult> {
  // Set up before nettrace attaches: bringing a NIC up schedules one NAPI poll per rx queue.
  const pair = await virtioPair(vm, t.ns, t.subnet);
  try {
    const r = await runFixture(vm, {
      fixture: 'virtio-smoke',
      traffic: [
        `echo "received=$(ping -n -q -c ${t.pings} -i 0.2 -W 1 ${pair.nsAddr} | sed -n 's/.* \\([0-9]*\\) received.*/\\1/p')"`,
        ...nicFacts('a', pair.hostDev, ''),
        ...nicFacts('b', pair.nsDev, t.ns),
      ],
      args: btf ? ['--btf', btf] : [],
    });
    if (!r.ran) return r;
    const rows = r.final.devices as VirtioDevRow[] | undefined;
    if (!rows) throw new Error(`virtio-smoke final record has no devices: ${JSON.stringify(r.final)}`);
    const f = fields(r.trafficOutput);
    const guest = { sender: nic(f, 'a', pair.hostDev), receiver: nic(f, 'b', pair.nsDev), received: Number(f.received) };
    // The helper's own report must agree with `ip -o link`.
    if (pair.hostIfindex !== guest.sender.ifindex || pair.nsIfindex !== guest.receiver.ifindex)
      throw new Error(
        `tk-virtio-pair printed ifindexes ${pair.hostIfindex}/${pair.nsIfindex}, ip -o link says ${guest.sender.ifindex}/${guest.receiver.ifindex}`,
      );
    return { ran: true, rows, guest, stderr: r.stderr };
  } finally {
    await virtioPairDown(vm, t.ns);
  }
}

/** The exact row of a NIC that transmitted `sent.req` echo requests and `sent.reply` echo replies
 * and received as many packets as it transmitted (each ping: a request one way, a reply back). */
export function expectedVirtioRow(n: VirtioNic, sent: { req: number; reply: number }): VirtioDevRow {
  const packets = sent.req + sent.reply;
  return {
    ifindex: n.ifindex,
    netns: n.netns,
    polls: packets,
    poll_ok: packets,
    recv_done: packets,
    recv_ok: packets,
    xmits: packets,
    xmit_ok: packets,
    echo_req: sent.req,
    echo_reply: sent.reply,
    other_queue: 0,
    // Read when the last packet arrives / leaves: everything before it is counted, not itself.
    rq_packets: n.rxPackets - 1,
    sq_packets: n.txPackets - 1,
    max_queue_pairs: 1,
    curr_queue_pairs: 1,
  };
}

/** Every way a run differs from what the traffic must give; empty when exact. */
export function virtioProblems(r: Extract<VirtioSmokeResult, { ran: true }>, t: VirtioTraffic): string[] {
  const { sender, receiver, received } = r.guest;
  const want = [expectedVirtioRow(sender, { req: t.pings, reply: 0 }), expectedVirtioRow(receiver, { req: 0, reply: t.pings })];
  const problems: string[] = [];
  if (received !== t.pings) problems.push(`ping got ${received} replies (expected ${t.pings})`);
  for (const w of want) {
    const got = r.rows.find((x) => x.ifindex === w.ifindex && x.netns === w.netns);
    if (!got) {
      problems.push(`no row for ifindex ${w.ifindex} in netns ${w.netns}`);
      continue;
    }
    for (const k of Object.keys(w) as (keyof VirtioDevRow)[])
      if (got[k] !== w[k]) problems.push(`ifindex ${w.ifindex} ${k}=${got[k]} (expected ${w[k]})`);
  }
  // Nothing else may have passed through virtio_net: the NICs carry only what the test sent.
  const extra = r.rows.filter((x) => !want.some((w) => w.ifindex === x.ifindex && w.netns === x.netns));
  if (extra.length) problems.push(`rows for devices that carried no test traffic: ${JSON.stringify(extra)}`);
  return problems;
}

/** The matrix cell: events verified when every row is exact. Where the kernel publishes no module
 * BTF (5.10) nettrace must refuse naming virtio_net, and the cell is n/a. */
export async function virtioSmokeCell(vm: Vm, t: VirtioTraffic = VIRTIO_SMOKE_TRAFFIC): Promise<Cell> {
  const gate = await externalBtfAfterRefusal(vm, 'virtio_net', () => runVirtioSmoke(vm, t));
  if ('failed' in gate) return gate.failed;
  const btf = gate.btf;
  const r = await runVirtioSmoke(vm, t, btf);
  if (!r.ran) return { state: 'failed', detail: `kernel ${vm.id}: virtio-smoke did not run (exit ${r.exitCode}):\n${r.stderr.trim()}` };
  const problems = virtioProblems(r, t);
  if (problems.length === 0) return { state: 'events verified', detail: btf ? EXTERNAL_BTF_NOTE : undefined };
  return { state: 'failed', detail: `kernel ${vm.id}: virtio-smoke: ${problems.join(', ')}` };
}
