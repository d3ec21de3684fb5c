// tk-kvm-vm (guest/c/tk-kvm-vm.c) around a tracer: a VM whose running vCPU takes MSIs through
// irqfds, written by its own process (control) or signalled by vhost-net's worker (data).
import { parseHelperOutput } from './traffic.js';

/** A tk-kvm-vm instance (guest/c/tk-kvm-vm.c): a VM whose running vCPU takes MSIs through irqfds. */
export interface KvmVmSpec {
  /** Shell-variable prefix and output label, e.g. `VM` gives $VM_PID and $VM_VHOST_TID. */
  name: string;
  /** GSI → eventfd writes by the VM's own process, routed as unicast MSIs (inline delivery). */
  unicast?: Record<number, number>;
  /** GSI → writes, broadcast MSIs (refused inline, delivered later through kvm_set_msi). */
  broadcast?: Record<number, number>;
  /** A vhost-net device owned by the VM process (rx call = irqfd GSI 40, tx call = GSI 41) with this
   * tap as its backend: `pings` echo requests are sent into it, `txFrames` frames out of it. */
  vhost?: { tap: string; subnet: string; pings: number; txFrames: number };
}

export const KVM_VHOST_GSI = { rx: 40, tx: 41 } as const;

/**
 * Shell lines around a tracer (PluginRunRequest.before / .traffic): `before` starts the VM, which
 * waits, and sets $<name>_PID and $<name>_VHOST_TID (vhost's worker thread, 0 without vhost) for
 * the tracer's arguments; `traffic` releases it, sends the pings, waits for it to finish and
 * prints its report, each line prefixed with the name (parseKvmVm reads it).
 */
export function kvmVmLines(spec: KvmVmSpec): { before: string[]; traffic: string[] } {
  const out = `/tmp/tk-kvm-${spec.name}.out`;
  const flags = [
    ...Object.entries(spec.unicast ?? {}).map(([gsi, n]) => `-e ${gsi}:${n}`),
    ...Object.entries(spec.broadcast ?? {}).map(([gsi, n]) => `-b ${gsi}:${n}`),
    ...(spec.vhost ? [`-t ${spec.vhost.tap} -n ${spec.vhost.pings} -x ${spec.vhost.txFrames}`] : []),
  ].join(' ');
  const v = spec.vhost;
  return {
    before: [
      `tk-kvm-vm -w ${flags} > ${out} 2>&1 &`,
      `${spec.name}_PID=$!`,
      `until grep -q '^ready' ${out}; do kill -0 $${spec.name}_PID 2>/dev/null || { cat ${out} >&2; exit 1; }; sleep 0.05; done`,
      `${spec.name}_VHOST_TID=$(sed -n 's/^ready .* vhost_tid \\([0-9]*\\)$/\\1/p' ${out})`,
      ...(v
        ? [
            // No IPv6 and a permanent neighbour: the pings are the only frames sent into the tap.
            `sysctl -qw net.ipv6.conf.${v.tap}.disable_ipv6=1`,
            `ip addr add ${v.subnet}.1/24 dev ${v.tap}`,
            `ip link set ${v.tap} up`,
            `ip neigh replace ${v.subnet}.2 lladdr 02:00:00:00:00:02 dev ${v.tap} nud permanent`,
          ]
        : []),
    ],
    traffic: [
      `kill -USR1 $${spec.name}_PID`,
      ...(v ? [`ping -q -n -c ${v.pings} -i 0.2 -W 1 ${v.subnet}.2 >/dev/null || true`] : []),
      `wait $${spec.name}_PID || { cat ${out} >&2; exit 1; }`,
      `sed "s/^/${spec.name} /" ${out}`,
    ],
  };
}

/** What one tk-kvm-vm instance printed (its lines as kvmVmLines labels them). */
export function parseKvmVm(output: string, name: string) {
  const lines = output
    .split('\n')
    .filter((l) => l.startsWith(`${name} `))
    .map((l) => l.slice(name.length + 1));
  const ready = /^ready pid (\d+) vhost_tid (\d+)$/.exec(lines.find((l) => l.startsWith('ready')) ?? '');
  if (!ready || !lines.includes('done')) throw new Error(`tk-kvm-vm ${name} did not finish:\n${lines.join('\n')}`);
  const f = parseHelperOutput(lines.filter((l) => !l.startsWith('ready') && !l.startsWith('gsi')).join('\n'));
  const writes: Record<number, number> = {};
  for (const l of lines) {
    const m = /^gsi (\d+) writes (\d+)$/.exec(l);
    if (m) writes[Number(m[1])] = Number(m[2]);
  }
  return {
    pid: Number(ready[1]),
    vhostTid: Number(ready[2]),
    writes,
    rxUsed: Number(f.rx_used ?? 0),
    txUsed: Number(f.tx_used ?? 0),
    guestIrqs: Number(f.guest_irqs ?? Number.NaN),
  };
}
