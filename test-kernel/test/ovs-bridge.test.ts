// tk-ovs-bridge proven in a VM of the full-cases kernel (see below for the others), one VM for all
// cases: Debian's ovsdb-server and ovs-vswitchd run in the guest and handle the datapath's upcalls,
// so the first packet of a flow in each direction misses and every later one hits the megaflow
// ovs-vswitchd installed. Each case compares what the traffic did (ping's replies, the vhost-net
// driver's used buffers) with what OVS and tc counted themselves, exactly.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, type Vm } from '../src/index.js';
import { everyCaseOn, suiteKernels } from '../src/plugin-suite.js';
import type { OvsBridge, OvsBridgeStats } from '../src/traffic.js';
import * as traffic from '../src/traffic.js';

const BOOT_MS = 10 * 60_000; // the first run downloads the kernel and Open vSwitch
const STEP_MS = 300_000; // TCG on 2 shared cores: a case is ~10 s when idle, much more under load
const N = 5;
const BR = 'tkbr';

/** Lookup counters gained between two stats readings. */
const lookups = (a: OvsBridgeStats, b: OvsBridgeStats) => ({ hit: b.hit - a.hit, missed: b.missed - a.missed, lost: b.lost - a.lost });

/** One datapath port's counters gained between two readings. */
function portGain(a: OvsBridgeStats, b: OvsBridgeStats, dpPort: number) {
  const before = a.ports.find((p) => p.port === dpPort);
  const after = b.ports.find((p) => p.port === dpPort);
  if (!before || !after) throw new Error(`datapath port ${dpPort} missing from ovs-dpctl show`);
  return {
    rx: after.rx_packets - before.rx_packets,
    tx: after.tx_packets - before.tx_packets,
    txErrors: after.tx_errors - before.tx_errors,
  };
}

/** The megaflows entering at datapath port `inPort`. */
const flowsFrom = (s: OvsBridgeStats, inPort: number) => s.megaflows.filter((f) => f.match.includes(`in_port(${inPort})`));

/** The one megaflow of a plain NORMAL forward between two ports, by the MACs ovs-vswitchd matched. */
function forward(s: OvsBridgeStats, inPort: number, src: string, dst: string) {
  const flows = flowsFrom(s, inPort).filter((f) => f.match.includes(`eth(src=${src},dst=${dst})`));
  expect(flows, `megaflow in_port(${inPort}) ${src} → ${dst} in\n${s.megaflows.map((f) => f.match).join('\n')}`).toHaveLength(1);
  return flows[0] as (typeof flows)[number];
}

// The full-cases kernel (6.1), or the kernels TK_KERNELS names, or all with TK_EVERY_CASE=1: ~2-4 min
// of TCG each. The script is the same on every kernel; what meets the kernel there (the datapath,
// upcalls, NORMAL forwarding, the VM port, drop rules, meters, MTU drops) the OVS plugins' kernel
// tests exercise on all three kernels, each against this bridge.
const kernels = process.env.TK_KERNELS ? suiteKernels() : suiteKernels().filter(everyCaseOn);
for (const spec of kernels) {
  describe(`kernel ${spec.id}: Open vSwitch bridge (tk-ovs-bridge)`, () => {
    let vm: Vm;
    let b: OvsBridge;

    beforeAll(async () => {
      vm = await start({
        kernel: spec.id,
        modules: ['openvswitch', 'virtio_net', 'tun', 'vhost_net', 'sch_tbf'],
        log: (m) => console.log(`[ovs-bridge] ${m}`),
      });
      b = await traffic.ovsBridge(vm, BR, '10.240.0');
      console.log(`[ovs-bridge] kernel ${spec.id}: OVS daemons up in ${b.daemons.startupMs} ms (TCG: ${vm.accel})`);
    }, BOOT_MS);

    afterAll(async () => {
      await vm?.stop();
    }, STEP_MS);

    /** Every case: back to the start state, its setup, then OVS's counters around its traffic. */
    async function measure<T>(setup: () => Promise<unknown>, act: () => Promise<T>) {
      await traffic.ovsBridgeReset(vm, BR);
      await setup();
      const s0 = await traffic.ovsBridgeStats(vm, BR);
      const result = await act();
      return { s0, s1: await traffic.ovsBridgeStats(vm, BR), result };
    }
    const nothing = async () => {};

    it(
      'runs ovsdb-server and ovs-vswitchd with the bridge: internal port, virtio NIC, VM tap',
      async () => {
        expect(b.daemons.started).toBe(true);
        expect(b.datapath).toBe('ovs-system');
        const log = readFileSync(path.join(b.daemons.logDir, 'ovs-vswitchd.log'), 'utf8');
        expect(log).toMatch(/ovs-vswitchd \(Open vSwitch\) \d+\.\d+/);
        for (const dev of [b.int.dev, b.phys.dev, b.vm.dev]) expect(log).toContain(`bridge ${BR}: added interface ${dev} on port`);
        // Upcalls are answered: OVS 3.1.0 started within 10 s of boot sizes its per-CPU handlers
        // (kernels from 5.14; "Overriding") from a CPU count of 0. tk-ovs-bridge waits that out.
        expect(b.handlers).toBeGreaterThanOrEqual(1);
        expect(log).toMatch(/(Overriding|Setting) n-handler-threads to [1-9]/);
        expect(log).not.toMatch(/n-handler-threads to 0,/);
        // The numbers it printed are the kernel's and OVS's own.
        const r = await vm.exec(
          `for d in ${b.int.dev} ${b.phys.dev} ${b.vm.dev}; do echo "$d $(cat /sys/class/net/$d/ifindex) $(basename "$(readlink /sys/class/net/$d/master)")"; done; ` +
            `ovs-vsctl --bare --columns=name,ofport list interface; ovs-dpctl show; ip -n ${b.peer.ns} -o addr show ${b.peer.dev}; pgrep -x ovs-vswitchd; pgrep -x ovsdb-server`,
        );
        expect(r.code).toBe(0);
        // The NIC and the tap are the datapath's lower devices; the internal port is its own device.
        expect(r.stdout).toContain(`${b.int.dev} ${b.int.ifindex} \n`);
        for (const p of [b.phys, b.vm]) expect(r.stdout).toContain(`${p.dev} ${p.ifindex} ovs-system\n`);
        for (const p of [b.int, b.phys, b.vm]) {
          expect(r.stdout).toMatch(new RegExp(`^  port ${p.dpPort}: ${p.dev}\\b`, 'm'));
          expect(r.stdout).toMatch(new RegExp(`^${p.dev}\\n${p.ofport}$`, 'm'));
        }
        expect(r.stdout).toContain(`inet ${b.peer.addr}/24`);
        expect(r.stdout).toContain(`\n${b.daemons.vswitchdPid}\n${b.daemons.ovsdbPid}\n`);
        expect(b.peer.mac).toBe('02:00:00:74:6b:02'); // the second virtio NIC of the hub
        // daemons again is a no-op: the same processes.
        const again = await traffic.ovsDaemonsUp(vm);
        expect(again).toMatchObject({ started: false, vswitchdPid: b.daemons.vswitchdPid, ovsdbPid: b.daemons.ovsdbPid });
      },
      STEP_MS,
    );

    it(
      `host → peer: ${N} pings through the internal port and the NIC, first packet each way an upcall, the rest on the megaflow`,
      async () => {
        const { s0, s1, result } = await measure(nothing, () => traffic.ping(vm, b.peer.addr, N));
        expect(result).toBe(N);
        expect(s0.flows).toBe(0);
        expect(lookups(s0, s1)).toEqual({ missed: 2, hit: 2 * (N - 1), lost: 0 });
        expect(s1.flows).toBe(2);
        const out = forward(s1, b.int.dpPort, b.int.mac, b.peer.mac);
        const back = forward(s1, b.phys.dpPort, b.peer.mac, b.int.mac);
        expect([out.actions, out.packets, back.actions, back.packets]).toEqual([`${b.phys.dpPort}`, N - 1, `${b.int.dpPort}`, N - 1]);
        expect(portGain(s0, s1, b.phys.dpPort)).toEqual({ rx: N, tx: N, txErrors: 0 });
        // An internal port's counters are its device's: tx is what the host sent into the bridge.
        expect(portGain(s0, s1, b.int.dpPort)).toEqual({ rx: N, tx: N, txErrors: 0 });
        expect(portGain(s0, s1, b.vm.dpPort)).toEqual({ rx: 0, tx: 0, txErrors: 0 });
        expect(s1.openflow).toEqual([{ table: 0, packets: 2 * N, bytes: expect.any(Number), rule: 'priority=0 actions=NORMAL' }]);
      },
      STEP_MS,
    );

    it(
      `VM port: ${N} pings from the host and ${N} from the peer, answered by the vhost-net driver through the tap`,
      async () => {
        const { s0, s1, result } = await measure(nothing, () => traffic.ovsVmPing(vm, b, N));
        expect(result).toMatchObject({ rxUsed: N, txUsed: N, replied: N, received: N });
        expect(lookups(s0, s1)).toEqual({ missed: 2, hit: 2 * (N - 1), lost: 0 });
        expect(forward(s1, b.int.dpPort, b.int.mac, b.vm.guestMac)).toMatchObject({ actions: `${b.vm.dpPort}`, packets: N - 1 });
        expect(forward(s1, b.vm.dpPort, b.vm.guestMac, b.int.mac)).toMatchObject({ actions: `${b.int.dpPort}`, packets: N - 1 });
        expect(portGain(s0, s1, b.vm.dpPort)).toEqual({ rx: N, tx: N, txErrors: 0 });

        expect(await traffic.ovsVmPing(vm, b, N, { fromPeer: true })).toMatchObject({ rxUsed: N, txUsed: N, replied: N, received: N });
        const s2 = await traffic.ovsBridgeStats(vm, BR);
        expect(lookups(s1, s2)).toEqual({ missed: 2, hit: 2 * (N - 1), lost: 0 });
        expect(s2.flows).toBe(4);
        expect(forward(s2, b.phys.dpPort, b.peer.mac, b.vm.guestMac)).toMatchObject({ actions: `${b.vm.dpPort}`, packets: N - 1 });
        expect(forward(s2, b.vm.dpPort, b.vm.guestMac, b.peer.mac)).toMatchObject({ actions: `${b.phys.dpPort}`, packets: N - 1 });
        expect(portGain(s1, s2, b.phys.dpPort)).toEqual({ rx: N, tx: N, txErrors: 0 });
        expect(portGain(s1, s2, b.vm.dpPort)).toEqual({ rx: N, tx: N, txErrors: 0 });
      },
      STEP_MS,
    );

    it(
      'an OpenFlow drop rule drops its flow in the datapath and nothing else',
      async () => {
        const { s0, s1, result } = await measure(
          () => traffic.ovsDropRule(vm, BR, `icmp,icmp_type=8,nw_dst=${b.peer.addr}`),
          // The decoy: echo requests the other way, whose replies (type 0) the rule does not match.
          async () => [await traffic.ping(vm, b.peer.addr, N), await traffic.ping(vm, b.int.addr, N, b.peer.ns)],
        );
        expect(result).toEqual([0, N]);
        const rule = s1.openflow.find((f) => f.rule.includes('actions=drop'));
        expect(rule?.packets).toBe(N);
        const dropped = flowsFrom(s1, b.int.dpPort).filter((f) => f.actions === 'drop');
        expect(dropped.map((f) => f.packets)).toEqual([N - 1]);
        expect(dropped[0]?.match).toContain(`ipv4(dst=${b.peer.addr},proto=1`);
        // Requests to the peer never reach the NIC; the decoy's requests and replies do.
        expect(portGain(s0, s1, b.phys.dpPort)).toEqual({ rx: N, tx: N, txErrors: 0 });
        expect(lookups(s0, s1)).toEqual({ missed: 3, hit: 3 * (N - 1), lost: 0 });
      },
      STEP_MS,
    );

    it(
      'a meter drops what exceeds its rate, and OVS counts each packet it dropped or passed',
      async () => {
        const sent = 10;
        const {
          s0,
          s1,
          result: received,
        } = await measure(
          () => traffic.ovsMeter(vm, BR, 1, 1, `icmp,icmp_type=8,nw_dst=${b.peer.addr}`),
          () => traffic.ping(vm, b.peer.addr, sent, undefined, { intervalS: 0.05 }),
        );
        expect(s1.meters).toEqual([{ id: 1, packetsIn: sent, bytesIn: expect.any(Number), dropped: sent - received }]);
        expect(received).toBeGreaterThanOrEqual(1);
        expect(received).toBeLessThan(sent);
        expect(s1.openflow.find((f) => f.rule.includes('meter:1'))?.packets).toBe(sent);
        const metered = flowsFrom(s1, b.int.dpPort).map((f) => f.actions);
        expect(metered).toHaveLength(1);
        expect(metered[0]).toMatch(new RegExp(`^meter\\(\\d+\\),${b.phys.dpPort}$`));
        expect(portGain(s0, s1, b.phys.dpPort)).toEqual({ rx: received, tx: received, txErrors: 0 });
      },
      STEP_MS,
    );

    it(
      'a packet bigger than the output port MTU is dropped by OVS and counted on that port',
      async () => {
        const { s0, s1, result } = await measure(
          () => traffic.ovsPortMtu(vm, BR, 'int', 1000),
          // 1228-byte echo requests from the peer: fine on the NIC (1500), too big for the internal
          // port; the decoy's 928 bytes fit.
          async () => [
            await traffic.ping(vm, b.int.addr, 3, b.peer.ns, { size: 1200 }),
            await traffic.ping(vm, b.int.addr, 2, b.peer.ns, { size: 900 }),
          ],
        );
        expect(result).toEqual([0, 2]);
        // ovs_vport_send counts the over-MTU drop as a transmit error of the internal port's device.
        expect(portGain(s0, s1, b.int.dpPort)).toEqual({ rx: 2, tx: 2, txErrors: 3 });
        expect(portGain(s0, s1, b.phys.dpPort)).toEqual({ rx: 5, tx: 2, txErrors: 0 });
        expect(forward(s1, b.phys.dpPort, b.peer.mac, b.int.mac)).toMatchObject({ actions: `${b.int.dpPort}`, packets: 4 });
      },
      STEP_MS,
    );

    it(
      `a ct() flow sends ${N} pings through conntrack in zone 5: one new, the rest established`,
      async () => {
        const { s1, result } = await measure(
          () => traffic.ovsConntrackFlows(vm, BR, 'icmp'),
          () => traffic.ping(vm, b.peer.addr, N),
        );
        expect(result).toBe(N);
        const rule = (table: number, text: string) => s1.openflow.find((f) => f.table === table && f.rule.includes(text))?.packets;
        expect([rule(0, 'ct(table=1,zone=5)'), rule(1, 'ct_state=+new+trk'), rule(1, 'ct_state=+est+trk')]).toEqual([2 * N, 1, 2 * N - 1]);
        expect(s1.conntrack).toHaveLength(1);
        expect(s1.conntrack[0]).toMatch(
          new RegExp(`^icmp,orig=\\(src=${b.int.addr},dst=${b.peer.addr},id=\\d+,type=8,code=0\\).*,zone=5$`),
        );
        expect(s1.megaflows.some((f) => f.actions.startsWith('ct(zone=5),recirc('))).toBe(true);
        expect(s1.megaflows.some((f) => f.actions.startsWith('ct(commit,zone=5)'))).toBe(true);
      },
      STEP_MS,
    );

    it(
      'a tbf qdisc on the NIC sends what its rate allows and drops the rest, as tc counts',
      async () => {
        const sent = 20;
        const {
          s0,
          s1,
          result: received,
        } = await measure(
          () => traffic.ovsTbf(vm, BR, '100kbit', '1600', '3000'),
          () => traffic.ping(vm, b.peer.addr, sent, undefined, { intervalS: 0.01, size: 1000 }),
        );
        expect(s1.qdisc).toMatchObject({ kind: 'tbf', sentPackets: received, dropped: sent - received });
        expect(received).toBeGreaterThanOrEqual(1);
        expect(received).toBeLessThan(sent);
        expect(portGain(s0, s1, b.phys.dpPort)).toEqual({ rx: received, tx: received, txErrors: 0 });
        // Every packet either hit a megaflow or went up as an upcall. Pings 10 ms apart can beat
        // the first upcall's megaflow under TCG load: then the second is an upcall too.
        const out = forward(s1, b.int.dpPort, b.int.mac, b.peer.mac).packets;
        const back = forward(s1, b.phys.dpPort, b.peer.mac, b.int.mac).packets;
        const l = lookups(s0, s1);
        expect(l).toEqual({ missed: sent - out + received - back, hit: out + back, lost: 0 });
        expect(out).toBeLessThanOrEqual(sent - 1);
      },
      STEP_MS,
    );

    // ovs-vswitchd deletes the datapaths it did not make when it starts, but one made later (by
    // tk-ovs-dp, as the ovs-smoke fixture does) sits beside ovs-system: the helper names its own.
    it(
      'works beside a datapath tk-ovs-dp made after it',
      async () => {
        await traffic.ovsDatapath(vm, 'tkdp0', '10.241.0');
        expect((await vm.exec('ovs-dpctl show | grep @ | sort')).stdout).toBe('system@ovs-system:\nsystem@tkdp0:\n');
        const { s0, s1, result } = await measure(nothing, () => traffic.ping(vm, b.peer.addr, N));
        expect(result).toBe(N);
        expect(lookups(s0, s1)).toEqual({ missed: 2, hit: 2 * (N - 1), lost: 0 });
        expect(s1.ports.map((p) => p.name).sort()).toEqual([b.bridge, b.int.dev, b.phys.dev, b.vm.dev, b.datapath].sort());
        const r = await vm.exec('ovs-dpctl del-dp tkdp0 && ip netns del tkdp0-a && ip netns del tkdp0-b');
        expect(r.code).toBe(0);
      },
      STEP_MS,
    );

    it(
      'stop tears everything down: daemons, datapath, bridge, tap, namespace, NIC returned',
      async () => {
        await traffic.ovsBridgeStop(vm, BR);
        const r = await vm.exec(
          'pgrep -x ovs-vswitchd; pgrep -x ovsdb-server; ovs-dpctl show; ip netns list; echo /sys/class/net/*; test ! -e /run/openvswitch || echo /run/openvswitch is left',
        );
        expect(r.stdout).toBe('/sys/class/net/eth0 /sys/class/net/eth1 /sys/class/net/lo\n');
        expect((await traffic.virtioNics(vm)).map((n) => n.state)).toEqual(['down', 'down']);
        expect((await vm.exec('sysctl -n net.ipv6.conf.default.disable_ipv6')).stdout).toBe('0\n'); // restored
        // And it starts again from nothing.
        b = await traffic.ovsBridge(vm, BR, '10.240.0');
        expect(b.daemons.started).toBe(true);
      },
      STEP_MS,
    );
  });
}
