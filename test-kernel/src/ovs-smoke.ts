// The OVS smoke check: runs fixtures/ovs-smoke inside a VM around pings through an OVS kernel
// datapath (tk-ovs-dp) and returns its counters with what the guest itself says about the devices
// (`ip -o link`, `ovs-dpctl show`), so the CO-RE reads of the openvswitch module structs can be
// compared with independent sources. Without flows each echo request is one upcall; with flows
// (-f) there is none, and tk-ovs-dp's four `ovs-dpctl add-flow` are four ovs_flow_cmd_new.
import type { OvsSmokeCounts } from '../fixtures/ovs-smoke/src/ovs_smoke.gen.js';
import { runFixture } from './fixture-run.js';
import { EXTERNAL_BTF_NOTE, externalBtfAfterRefusal } from './module-btf.js';
import type { Cell } from './verify-gate.js';
import type { Vm } from './vm.js';

/** The fixture's counters (bpf/ovs_smoke.bpf.c). */
export type OvsCounts = OvsSmokeCounts;
/** Those that must equal expectedOvsCounts() exactly; the rest are device facts compared with the
 * guest's own view, and snd_portid, which is only known to be non-zero. */
export type OvsExactCounts = Omit<OvsSmokeCounts, 'in_ifindex' | 'dp_ifindex' | 'eth_src' | 'eth_dst' | 'snd_portid'>;

export interface OvsTraffic {
  /** Datapath name (≤ 11 characters, tk-ovs-dp's limit); its namespaces are DP-a and DP-b. */
  dp: string;
  subnet: string;
  /** Echo requests from DP-a (SUBNET.1) to DP-b (SUBNET.2). */
  pings: number;
  /** Install tk-ovs-dp's forwarding flows (-f): fast path, no upcalls. */
  flows: boolean;
}

/** What the guest reports about the datapath, read after the pings. */
export interface OvsGuestView {
  /** Echo requests ping says it sent. */
  transmitted: number;
  /** ifindex of the datapath port the pings enter (p-DP-a) and of the datapath's local port. */
  inIfindex: number;
  dpIfindex: number;
  /** MACs of DP-a's and DP-b's eth0, as 48-bit numbers. */
  macA: number;
  macB: number;
  lookups: { hit: number; missed: number; lost: number };
  /** openvswitch:ovs_dp_upcall exists on this kernel (5.19+). */
  tracepoint: boolean;
}

export type OvsResult =
  | { ran: true; counts: OvsCounts; guest: OvsGuestView; degraded: string[]; stderr: string }
  | { ran: false; exitCode: number; stderr: string };

const INPUT_PORT_NO = 1; // tk-ovs-dp adds p-DP-a first: datapath port 1 (0 is the local port)

/** The exact counters for this traffic; the tp_* ones only where the tracepoint exists. */
export function expectedOvsCounts(t: OvsTraffic, tracepoint: boolean): OvsExactCounts {
  const up = t.flows ? 0 : t.pings;
  const tp = tracepoint ? up : 0;
  const flows = t.flows ? 4 : 0;
  return {
    upcalls: up,
    match: up,
    dp_name_ok: up,
    cmd_miss: up,
    in_port_ok: up,
    vport_dp_ok: up,
    in_port: up ? INPUT_PORT_NO : 0,
    tp_upcalls: tp,
    tp_match: tp,
    tp_skb_ok: tp,
    tp_cmd_miss: tp,
    tp_dp_name_ok: tp,
    flow_new: flows,
    flow_portid_ok: flows,
    flow_cmd_ok: flows,
  };
}

const macNumber = (mac: string) => Number.parseInt(mac.replace(/:/g, ''), 16);

/** `N: name[@peer]: <...> ... link/ether MAC ...` from `ip -o link show`. */
function parseLink(out: string, label: string): { ifindex: number; mac: number } {
  const m = /^(\d+): [^:]+: .* link\/ether ([0-9a-f:]{17}) /m.exec(out);
  if (!m) throw new Error(`ovs-smoke: no ifindex/MAC for ${label} in:\n${out}`);
  return { ifindex: Number(m[1]), mac: macNumber(m[2]) };
}

function section(out: string, name: string): string {
  const m = new RegExp(`^== ${name}\\n([\\s\\S]*?)(?=^== |(?![\\s\\S]))`, 'm').exec(out);
  if (!m) throw new Error(`ovs-smoke: no '${name}' section in the traffic output:\n${out}`);
  return m[1];
}

function guestView(out: string): OvsGuestView {
  const tx = /(\d+) packets transmitted/.exec(section(out, 'ping'));
  const lookups = /lookups: hit:(\d+) missed:(\d+) lost:(\d+)/.exec(section(out, 'dpctl'));
  if (!tx || !lookups) throw new Error(`ovs-smoke: unexpected traffic output:\n${out}`);
  return {
    transmitted: Number(tx[1]),
    inIfindex: parseLink(section(out, 'port'), 'the input port').ifindex,
    dpIfindex: parseLink(section(out, 'local'), 'the local port').ifindex,
    macA: parseLink(section(out, 'a'), 'DP-a eth0').mac,
    macB: parseLink(section(out, 'b'), 'DP-b eth0').mac,
    lookups: { hit: Number(lookups[1]), missed: Number(lookups[2]), lost: Number(lookups[3]) },
    // The section runs up to the end of the output, where runFixture's script adds its own line.
    tracepoint: section(out, 'tracepoint').split('\n')[0] === 'yes',
  };
}

/** `btf`: an external BTF file with the openvswitch types, for kernels without module BTF. */
export async function runOvsSmoke(vm: Vm, t: OvsTraffic, btf?: string): Promise<OvsResult> {
  const { dp, subnet } = t;
  const r = await runFixture(vm, {
    fixture: 'ovs-smoke',
    traffic: [
      `tk-ovs-dp ${t.flows ? '-f ' : ''}${dp} ${subnet} >/dev/null`,
      // Without flows nothing answers, so ping exits 1: its own count of requests is what matters.
      'echo "== ping"',
      `ip netns exec ${dp}-a ping -n -q -c ${t.pings} -i 0.2 -W 1 ${subnet}.2 || true`,
      `echo "== port"; ip -o link show dev p-${dp}-a`,
      `echo "== local"; ip -o link show dev ${dp}`,
      `echo "== a"; ip -n ${dp}-a -o link show dev eth0`,
      `echo "== b"; ip -n ${dp}-b -o link show dev eth0`,
      `echo "== dpctl"; ovs-dpctl show ${dp}`,
      'echo "== tracepoint"; test -d /sys/kernel/tracing/events/openvswitch/ovs_dp_upcall && echo yes || echo no',
    ],
    args: ['--src-ip', `${subnet}.1`, '--dst-ip', `${subnet}.2`, '--datapath', dp, ...(btf ? ['--btf', btf] : [])],
  });
  if (!r.ran) return r;
  const counts = r.final.counts as OvsCounts | undefined;
  if (!counts) throw new Error(`ovs-smoke final record has no counts: ${JSON.stringify(r.final)}`);
  return {
    ran: true,
    counts,
    guest: guestView(r.trafficOutput),
    degraded: (r.final.degraded as string[] | undefined) ?? [],
    stderr: r.stderr,
  };
}

/** Every way a run differs from what the traffic must give; empty when exact. */
export function ovsProblems(r: Extract<OvsResult, { ran: true }>, t: OvsTraffic): string[] {
  const g = r.guest;
  const want: Record<string, number> = { ...expectedOvsCounts(t, g.tracepoint) };
  // The last matching upcall's devices, as the guest names them (0 when nothing matched).
  const up = !t.flows;
  Object.assign(want, {
    in_ifindex: up ? g.inIfindex : 0,
    dp_ifindex: up ? g.dpIfindex : 0,
    eth_src: up ? g.macA : 0,
    eth_dst: up ? g.macB : 0,
  });
  const got = r.counts as unknown as Record<string, number>;
  const problems = Object.keys(want)
    .filter((k) => got[k] !== want[k])
    .map((k) => `${k}=${got[k]} (expected ${want[k]})`);
  if (t.flows !== (r.counts.snd_portid !== 0)) problems.push(`snd_portid=${r.counts.snd_portid} (expected ${t.flows ? 'non-zero' : '0'})`);
  if (g.transmitted !== t.pings) problems.push(`ping sent ${g.transmitted} requests (expected ${t.pings})`);
  const lookups = t.flows ? { hit: 2 * t.pings, missed: 0, lost: 0 } : { hit: 0, missed: t.pings, lost: t.pings };
  if (JSON.stringify(g.lookups) !== JSON.stringify(lookups))
    problems.push(`ovs-dpctl lookups ${JSON.stringify(g.lookups)} (expected ${JSON.stringify(lookups)})`);
  if (g.tracepoint === r.degraded.length > 0)
    problems.push(`degraded=${JSON.stringify(r.degraded)} (expected ${g.tracepoint ? 'none' : 'the tracepoint hook'})`);
  return problems;
}

/** The two datapaths of the check: misses become upcalls; installed flows become flow_cmd_new. */
export const OVS_SMOKE_TRAFFIC: readonly OvsTraffic[] = [
  { dp: 'tkovs0', subnet: '10.240.0', pings: 4, flows: false },
  { dp: 'tkovs1', subnet: '10.241.0', pings: 4, flows: true },
];

/** openvswitch:ovs_dp_upcall was added in 5.19. */
function hasUpcallTracepoint(release: string): boolean {
  const [major = 0, minor = 0] = release.split('.').map((n) => Number.parseInt(n, 10));
  return major > 5 || (major === 5 && minor >= 19);
}

/** The matrix cell: events verified when both runs are exact; n/a where the kernel publishes no
 * module BTF (the run must then fail saying so). */
export async function ovsSmokeCell(vm: Vm, traffic: readonly OvsTraffic[] = OVS_SMOKE_TRAFFIC): Promise<Cell> {
  const gate = await externalBtfAfterRefusal(vm, 'openvswitch', () => runOvsSmoke(vm, traffic[0]!));
  if ('failed' in gate) return gate.failed;
  const btf = gate.btf;
  const problems: string[] = [];
  for (const t of traffic) {
    const r = await runOvsSmoke(vm, t, btf);
    if (!r.ran) return { state: 'failed', detail: `kernel ${vm.id}: ovs-smoke did not run (exit ${r.exitCode}):\n${r.stderr.trim()}` };
    problems.push(...ovsProblems(r, t).map((p) => `${t.dp}: ${p}`));
    if (!r.guest.tracepoint && hasUpcallTracepoint(vm.release))
      problems.push(`${t.dp}: no openvswitch:ovs_dp_upcall tracepoint although ${vm.release} is 5.19+`);
  }
  if (problems.length === 0) return { state: 'events verified', detail: btf ? EXTERNAL_BTF_NOTE : undefined };
  return { state: 'failed', detail: `kernel ${vm.id}: ovs-smoke: ${problems.join(', ')}` };
}
