// ovs-kernel-drop-monitor inside the test kernels, against the real Open vSwitch of tk-ovs-bridge
// (ovsdb-server + ovs-vswitchd): one run of the catalog's upstream shape `--src-ip <IP> --dst-ip
// <IP> --protocol icmp` (the peer host → the host's internal port) while the datapath drops that
// flow's echo requests three ways in turn:
//   1. an OpenFlow rule `actions=drop`;
//   2. a meter of 1 packet/s (burst 1) on a ping every 50 ms;
//   3. requests too big for the internal port's MTU (1000) beside ones that fit.
// The peer's requests come in on the virtio NIC, so OVS runs (and drops) them in softirq context
// (NAPI); only the first packet of each new megaflow is executed by an ovs-vswitchd handler
// thread. The plugin must report exactly what the scenario lost (sent - received by the peer's
// ping), per cause, with the kernel's reason (6.12: openvswitch's own drop reasons) or, where the
// kernel frees such packets as "consumed" (5.10, 6.1), the cause it derived; each equal to OVS's
// own counts (the drop megaflow's packets, the meter's dropped packets, the port's tx_errors).
// A decoy (the host's requests to the peer, dropped by the same rule) is filtered out.
import { expect } from 'vitest';
import { chosenRungs } from '../../../test-kernel/src/fixture-run.js';
import { kernelSuite } from '../../../test-kernel/src/plugin-suite.js';
import { type OvsBridge, type OvsBridgeStats, ovsBridge, parseOvsBridgeStats } from '../../../test-kernel/src/traffic.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';

const BR = 'okd';
const NET = '10.95.0';
const N = 4; // echo requests per phase
const METERED = 10;
const validate = schemaValidator('ovs-kernel-drop-monitor');

interface DropRow {
  cause: string;
  count: number;
  bytes: number;
  src_ip?: string;
  dst_ip?: string;
  protocol?: string;
  in_port: string | null;
  stack: string[];
}

/** Shell: OVS's counters as `S_<name> <line>` lines. */
const stats = (name: string) => `tk-ovs-bridge stats ${BR} | sed 's/^/S_${name} /'`;
/** Shell: COUNT echo requests from NS (or the host) to ADDR; prints `recv_<name>=<replies>`. */
const ping = (name: string, addr: string, count: number, opts: { ns?: string; size?: number; interval?: number } = {}) =>
  `${opts.ns ? `ip netns exec ${opts.ns} ` : ''}ping -q -n -c ${count} -i ${opts.interval ?? 0.2} -W 1 -s ${opts.size ?? 56} ${addr}` +
  ` | sed -n 's/.* \\([0-9]*\\) received.*/recv_${name}=\\1/p'`;

function parse(out: string) {
  const recv = Object.fromEntries([...out.matchAll(/^recv_(\w+)=(\d+)$/gm)].map((m) => [m[1] as string, Number(m[2])]));
  const section = (name: string): OvsBridgeStats =>
    parseOvsBridgeStats([...out.matchAll(new RegExp(`^S_${name} (.*)$`, 'gm'))].map((m) => m[1]).join('\n'));
  return { recv, section };
}

/** The causes each kernel reports for the three phases. */
function expectedCauses(kernel: string) {
  // The MTU check (ovs_vport_send) frees with kfree_skb() and no reason of its own, on every kernel.
  const mtu = kernel === '5.10' ? 'kfree_skb (no reason before 5.17)' : 'NOT_SPECIFIED';
  // 6.7+: openvswitch's own reasons; before, the kernel frees these as consumed.
  if (kernel === '6.12') return { drop: 'OVS_DROP_LAST_ACTION', meter: 'OVS_DROP_METER', mtu };
  return { drop: 'no output action (consumed)', meter: 'meter drop (consumed)', mtu };
}

kernelSuite(
  'ovs-kernel-drop-monitor',
  (k) => {
    let made: OvsBridge | undefined;
    const bridge = async () => {
      made ??= await ovsBridge(k.vm(), BR, NET);
      return made;
    };
    const reset = `tk-ovs-bridge reset ${BR}`;
    /** Every echo request dropped by an OpenFlow rule: N from the peer (the measured flow), N from
     * the host (the decoy). A warm-up request first: it is an upcall that ovs-vswitchd drops itself
     * (a drop flow is never executed) and it installs the drop megaflow the measured ones hit. */
    const dropRulePhase = (b: OvsBridge) => [
      reset,
      `tk-ovs-bridge drop ${BR} icmp,icmp_type=8`,
      ping('warm', b.int.addr, 1, { ns: b.peer.ns }),
      ping('drop', b.int.addr, N, { ns: b.peer.ns }),
      ping('decoy', b.peer.addr, N),
    ];
    k.verify(
      '--src-ip <peer> --dst-ip <host> --protocol icmp: drop rule, meter and MTU drops, exactly, per cause; a decoy is filtered out',
      async () => {
        const b = await bridge();
        const peer = { ns: b.peer.ns };
        const r = await k.run({
          args: ['--src-ip', b.peer.addr, '--dst-ip', b.int.addr, '--protocol', 'icmp'],
          traffic: [
            ...dropRulePhase(b),
            stats('drop'),
            reset,
            `tk-ovs-bridge meter ${BR} 1 1 icmp,icmp_type=8,nw_dst=${b.int.addr}`,
            ping('meter', b.int.addr, METERED, { ...peer, interval: 0.05 }),
            stats('meter'),
            reset,
            `tk-ovs-bridge mtu ${BR} int 1000`,
            ping('big', b.int.addr, 3, { ...peer, size: 1200 }),
            ping('fit', b.int.addr, 2, { ...peer, size: 900 }),
            stats('mtu'),
            reset,
            'sleep 6', // one more interval report (5 s, upstream's default) after the last drop
          ],
        });
        expect(r.exitCode, r.stderr).toBe(0);
        for (const rec of r.records) expect(validate(rec), JSON.stringify(rec)).toBeUndefined();
        const fe = k.spec.facts.fentryOnModules;
        const fn = (f: string, exit = false) => `${fe ? (exit ? 'fexit' : 'fentry') : exit ? 'kretprobe' : 'kprobe'}:${f}`;
        const upcall = k.spec.id === '5.10' ? fn('ovs_dp_upcall') : 'tracepoint:openvswitch/ovs_dp_upcall';
        const tp = (e: string) => `tp_btf:${e}`;
        expect(chosenRungs(r)).toEqual([
          fn('ovs_execute_actions', true),
          fn('ovs_execute_actions'),
          fn('ovs_meter_execute', true),
          fn('ovs_meter_execute'),
          fn('ovs_vport_send'),
          upcall,
          tp('kfree_skb'),
          tp('consume_skb'),
        ]);

        const { recv, section } = parse(r.trafficOutput);
        const rows = (r.final?.drops ?? []) as DropRow[];
        for (const x of rows) console.log(`[okd] ${k.spec.id} ${x.cause} ${x.count} ${x.in_port} ${x.stack.join(' < ')}`);
        const sum = (cause: string) => rows.filter((x) => x.cause === cause).reduce((n, x) => n + x.count, 0);
        const want = expectedCauses(k.spec.id);
        // Only the filtered flow: the decoy's requests (host → peer) were dropped by the same rule.
        for (const x of rows) expect([x.src_ip, x.dst_ip, x.protocol]).toEqual([b.peer.addr, b.int.addr, 'icmp']);
        expect([recv.warm, recv.drop, recv.decoy]).toEqual([0, 0, 0]);

        // 1. The drop rule: every measured request, as many as the drop megaflow counted.
        const s1 = section('drop');
        const dropFlow = s1.megaflows.filter((f) => f.actions === 'drop' && f.match.includes(`in_port(${b.phys.dpPort})`));
        expect(dropFlow.map((f) => f.packets)).toEqual([N]);
        // The OpenFlow rule also counted the warm-up request and the decoy's (ovs-ofctl dump-flows).
        expect(s1.openflow.find((f) => f.rule.includes('actions=drop'))?.packets).toBe(N + 1 + N);
        expect(sum(want.drop)).toBe(N);
        // 2. The meter: what the peer lost, as the meter counted it.
        const s2 = section('meter');
        const meterLost = METERED - (recv.meter as number);
        expect(meterLost).toBeGreaterThanOrEqual(1);
        expect(s2.meters).toEqual([expect.objectContaining({ id: 1, packetsIn: METERED, dropped: meterLost })]);
        expect(sum(want.meter)).toBe(meterLost);
        // 3. MTU: the three big requests (the internal port's tx_errors), not the two that fit.
        const s3 = section('mtu');
        expect([recv.big, recv.fit]).toEqual([0, 2]);
        expect(s3.ports.find((p) => p.port === b.int.dpPort)?.tx_errors).toBe(3);
        expect(sum(want.mtu)).toBe(3);
        // Nothing else, and the totals agree.
        const total = N + meterLost + 3;
        expect(rows.reduce((n, x) => n + x.count, 0)).toBe(total);
        expect(r.final?.totals).toMatchObject({ drops: total, untracked_drops: 0 });
        // Interval reports hold their own interval's drops: together, the whole run.
        const intervals = r.records.filter((rec) => rec.type === 'interval');
        expect(intervals.length).toBeGreaterThanOrEqual(2);
        const intervalSum = (f: (rec: Record<string, unknown>) => number) => intervals.reduce((n, rec) => n + f(rec), 0);
        expect(intervalSum((rec) => (rec.totals as { drops: number }).drops)).toBe(total);

        // Where: OVS's action execution (ovs_vport_send, inlined or tail-calling kfree_skb, leaves
        // no frame of its own), in softirq context (the NIC's NAPI poll), which the libbpf port's
        // thread-name check never saw, and for the MTU case's first request in the handler thread
        // that executed ovs-vswitchd's answer to its upcall.
        const stacks = (cause: string) => rows.filter((x) => x.cause === cause).map((x) => x.stack.join(' '));
        for (const s of rows.map((x) => x.stack.join(' '))) expect(s).toMatch(/do_execute_actions/);
        if (!fe) {
          // 5.10's unwinder stops at the kretprobe on ovs_execute_actions (it learned to see
          // through kretprobe_trampoline in 5.15): the stack ends there.
          for (const x of rows) expect(x.stack.at(-1)).toMatch(/^kretprobe_trampoline/);
        } else {
          expect(stacks(want.mtu).some((s) => /ovs_packet_cmd_execute/.test(s))).toBe(true);
          for (const cause of Object.values(want))
            expect(
              stacks(cause).some((s) => /net_rx_action/.test(s)),
              cause,
            ).toBe(true);
        }
        for (const x of rows) expect(x.in_port).toBe(b.phys.dev);
      },
    );

    // The degraded mode (no kprobes, no fentry: what the function hooks would need) only means
    // something where the kernel names openvswitch's drops itself (6.7+): on 6.12 only.
    if (k.spec.id !== '6.12') return;
    k.verify(
      'without kprobes and fentry (NETTRACE_AVOID): the drops with an openvswitch reason, exactly; the MTU drop (none) unseen',
      async () => {
        const b = await bridge();
        const peer = { ns: b.peer.ns };
        const r = await k.run({
          args: ['--src-ip', b.peer.addr, '--dst-ip', b.int.addr, '--protocol', 'icmp', '--interval', '0'],
          env: { NETTRACE_AVOID: 'fentry,fexit,kprobe,kretprobe' },
          traffic: [
            ...dropRulePhase(b),
            reset,
            `tk-ovs-bridge mtu ${BR} int 1000`,
            stats('mtu0'),
            ping('big', b.int.addr, 2, { ...peer, size: 1200 }),
            stats('mtu'),
            reset,
          ],
        });
        expect(r.exitCode, r.stderr).toBe(0);
        for (const rec of r.records) expect(validate(rec), JSON.stringify(rec)).toBeUndefined();
        expect(chosenRungs(r)).toEqual([
          'none',
          'none',
          'none',
          'none',
          'none',
          'tracepoint:openvswitch/ovs_dp_upcall',
          'tp_btf:kfree_skb',
          'tp_btf:consume_skb',
        ]);
        const { recv, section } = parse(r.trafficOutput);
        expect([recv.warm, recv.drop, recv.decoy, recv.big]).toEqual([0, 0, 0, 0]);
        const txErrors = (name: string) => section(name).ports.find((p) => p.port === b.int.dpPort)?.tx_errors ?? Number.NaN;
        expect(txErrors('mtu') - txErrors('mtu0')).toBe(2); // the port's counter runs on from the first case
        const rows = (r.final?.drops ?? []) as DropRow[];
        for (const x of rows) console.log(`[okd] ${k.spec.id} degraded ${x.cause} ${x.count} ${x.in_port} ${x.stack.join(' < ')}`);
        // Flow read from the packet, filtered; no input port (that needs OVS's own state).
        for (const x of rows)
          expect([x.cause, x.src_ip, x.dst_ip, x.protocol, x.in_port]).toEqual([
            'OVS_DROP_LAST_ACTION',
            b.peer.addr,
            b.int.addr,
            'icmp',
            null,
          ]);
        expect(rows.reduce((n, x) => n + x.count, 0)).toBe(N);
        expect(r.final?.totals).toMatchObject({ drops: N, executions: 0 });
      },
      { everyKernel: true }, // registered on 6.12 only
    );
  },
  { modules: ['openvswitch', 'virtio_net', 'tun', 'vhost_net'] },
);
