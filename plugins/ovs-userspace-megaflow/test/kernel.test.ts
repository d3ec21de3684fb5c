// ovs-userspace-megaflow inside the test kernels, against the real Open vSwitch of tk-ovs-bridge
// (ovsdb-server + ovs-vswitchd). With the datapath's flow table empty and one OpenFlow rule per
// UDP destination port (so each 5-tuple needs its own megaflow), N new flows must give exactly N
// upcalls (OVS's own `missed` count), N FLOW_NEW events whose decoded match and actions equal,
// field by field, what `ovs-dpctl dump-flows` lists afterwards, each FLOW_NEW covering its upcall;
// the same packets again hit the cached megaflows: no upcall. A decoy flow (another address) is
// filtered out. On 6.1 a conntrack pipeline (ct(), recirc()) checks ct_state/ct_zone/recirc_id
// keys and ct/recirc actions against ovs-dpctl too, filtered by BCC's --eth-src.
import { expect } from 'vitest';
import { chosenRungs } from '../../../test-kernel/src/fixture-run.js';
import { type KernelContext, kernelSuite } from '../../../test-kernel/src/plugin-suite.js';
import { type OvsBridge, ovsBridge, ovsBridgeStats } from '../../../test-kernel/src/traffic.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';
import { parseDpctlMatch } from './dpctl.js';

const BR = 'oum';
const NET = '10.95.0';
const DECOY = `${NET}.5`;
const BASE_PORT = 7100;
const N = 4;
const DECOY_PORT = 7199;
const validate = schemaValidator('ovs-userspace-megaflow');

type Row = Record<string, unknown>;

/** The bridge, a decoy address on the peer and UDP sinks there (no ICMP unreachable comes back). */
function bridgeOnce(k: KernelContext): () => Promise<OvsBridge> {
  let b: OvsBridge | undefined;
  return async () => {
    if (b) return b;
    const bridge = await ovsBridge(k.vm(), BR, NET);
    const p = bridge.peer;
    const sinks = `for(let p=${BASE_PORT + 1};p<=${BASE_PORT + N};p++)require('dgram').createSocket('udp4').bind(p);require('dgram').createSocket('udp4').bind(${DECOY_PORT})`;
    const r = await k
      .vm()
      .exec(
        [
          'set -e',
          `ip -n ${p.ns} addr add ${DECOY}/24 dev ${p.dev}`,
          `ip neigh replace ${DECOY} lladdr ${p.mac} dev ${bridge.int.dev} nud permanent`,
          `(ip netns exec ${p.ns} node -e "${sinks}" >/dev/null 2>&1 &)`,
          'sleep 1',
        ].join('\n'),
      );
    if (r.code !== 0) throw new Error(`bridge extras failed (exit ${r.code}):\n${r.stderr}${r.stdout}`);
    b = bridge;
    return b;
  };
}

/** Shell: prints `missed_NAME=<the datapath's misses so far>` (ovs-dpctl show's lookups line). */
const mark = (name: string) => [`ovs-dpctl show ovs-system | sed -n 's/^ *lookups:.* missed:\\([0-9]*\\).*/missed_${name}=\\1/p'`];
const marks = (out: string): Record<string, number> =>
  Object.fromEntries([...out.matchAll(/^(\w+)=(\d+)$/gm)].map((m) => [m[1] as string, Number(m[2])]));
/** One UDP datagram to each port, 300 ms apart (each upcall answered before the next packet). */
const udpTo = (addr: string, ports: number[]) =>
  `node -e "const s=require('dgram').createSocket('udp4');const P=[${ports}];let i=0;const t=setInterval(()=>{s.send('x',P[i++],'${addr}');if(i===P.length){clearInterval(t);setTimeout(()=>s.close(),300)}},300)"`;
const flowPorts = Array.from({ length: N }, (_, i) => BASE_PORT + 1 + i);

/** Each megaflow ovs-dpctl lists, as the plugin's fields, next to every FLOW_NEW's. */
function compareWithDpctl(flowNews: Row[], dpctl: { match: string; actions: string }[]) {
  const ours = flowNews.map((r) => ({ match: r.match_fields, actions: r.actions }));
  const theirs = dpctl.map((f) => ({ match: parseDpctlMatch(f.match), actions: f.actions }));
  const key = (x: { match: unknown; actions: unknown }) => JSON.stringify(x);
  expect(ours.map(key).sort()).toEqual(theirs.map(key).sort());
}

kernelSuite(
  'ovs-userspace-megaflow',
  (k) => {
    const bridge = bridgeOnce(k);

    k.verify(
      `--src-ip/--dst-ip --protocol udp: ${N} new 5-tuples = ${N} upcalls and ${N} FLOW_NEW equal to ovs-dpctl dump-flows; cached packets no upcall; decoy filtered`,
      async () => {
        const b = await bridge();
        const rules = flowPorts.map((p) => `ovs-ofctl add-flow ${BR} "priority=100,udp,tp_dst=${p},actions=NORMAL"`);
        const r = await k.run({
          args: ['--src-ip', b.int.addr, '--dst-ip', b.peer.addr, '--protocol', 'udp', '--interval', '1', '-v'],
          traffic: [
            `tk-ovs-bridge reset ${BR}`,
            ...rules,
            ...mark('n0'),
            udpTo(b.peer.addr, flowPorts),
            ...mark('n1'),
            udpTo(b.peer.addr, flowPorts), // now cached: hits only
            ...mark('c1'),
            udpTo(DECOY, [DECOY_PORT]),
            ...mark('d1'),
            'sleep 1.5',
          ],
        });
        expect(r.exitCode, r.stderr).toBe(0);
        for (const rec of r.records) expect(validate(rec), JSON.stringify(rec)).toBeUndefined();
        const fe = k.spec.facts.fentryOnModules;
        const upcallHook = k.spec.id === '5.10' ? 'kprobe:ovs_dp_upcall' : 'tracepoint:openvswitch/ovs_dp_upcall';
        expect(chosenRungs(r)).toEqual([upcallHook, `${fe ? 'fentry' : 'kprobe'}:ovs_flow_cmd_new`]);

        const m = marks(r.trafficOutput);
        const missed = (m.missed_n1 as number) - (m.missed_n0 as number);
        expect(missed).toBe(N); // OVS's own count: one miss per new 5-tuple
        expect(m.missed_c1).toBe(m.missed_n1); // the repeat hit the megaflows
        expect((m.missed_d1 as number) - (m.missed_c1 as number)).toBeGreaterThanOrEqual(1); // the decoy missed

        const events = r.records.filter((x) => x.type === 'event');
        const upcalls = events.filter((e) => e.event === 'UPCALL');
        const flows = events.filter((e) => e.event === 'FLOW_NEW');
        expect(upcalls.length).toBe(N);
        expect(upcalls.map((u) => u.dst_port).sort()).toEqual(flowPorts);
        for (const u of upcalls)
          expect(u).toMatchObject({
            cmd: 'miss',
            protocol: 'udp',
            src_ip: b.int.addr,
            dst_ip: b.peer.addr,
            in_port: b.int.dpPort,
            interface: b.int.dev,
            eth_src: b.int.mac,
            eth_dst: b.peer.mac,
            eth_type: '0x0800',
            recirc_id: 0,
            skb_mark: 0,
          });
        for (const u of upcalls) expect(u.portid).toBeGreaterThan(0);

        // Each FLOW_NEW is one of the megaflows ovs-dpctl lists now, match and actions, and covers
        // exactly the upcall of its port.
        const dp = await ovsBridgeStats(k.vm(), BR);
        const forward = dp.megaflows.filter((f) => flowPorts.some((p) => f.match.includes(`udp(dst=${p})`)));
        expect(forward.length).toBe(N);
        expect(flows.length).toBe(N);
        compareWithDpctl(flows, forward);
        for (const f of flows) {
          expect(f.upcalls).toBe(1);
          expect(f.actions).toBe(String(b.phys.dpPort));
          expect(f.truncated).toEqual([]);
          expect(f.since_upcall_us).toBeGreaterThan(0);
        }
        const c = r.final?.counters as Record<string, number>;
        expect(c.upcalls).toBe(N);
        expect(c.flow_news).toBeGreaterThanOrEqual(N + 1); // the decoy's install too, filtered out of the stream
        const table = r.final?.upcalls as Row[];
        expect(table).toEqual([{ src_ip: b.int.addr, dst_ip: b.peer.addr, protocol: 'udp', upcalls: N, bytes: expect.any(Number) }]);
        const intervals = r.records.filter((x) => x.type === 'interval');
        const sum = intervals.reduce((n, i) => n + ((i.upcalls as Row[]) ?? []).reduce((s, x) => s + (x.upcalls as number), 0), 0);
        expect(sum).toBe(N);
      },
    );

    if (k.spec.id !== '6.1') return;
    k.verify(
      "conntrack pipeline, BCC's --eth-src: ct_state/ct_zone/recirc_id keys and ct()/recirc() actions equal ovs-dpctl; the peer's side filtered",
      async () => {
        const b = await bridge();
        const r = await k.run({
          args: ['--interval', '0', '--eth-src', b.int.mac],
          traffic: [
            `tk-ovs-bridge reset ${BR}`,
            `tk-ovs-bridge ct ${BR}`,
            'ovs-appctl revalidator/purge',
            `ping -q -n -c 2 -i 0.3 -W 2 ${b.peer.addr} >/dev/null`,
          ],
        });
        expect(r.exitCode, r.stderr).toBe(0);
        for (const rec of r.records) expect(validate(rec), JSON.stringify(rec)).toBeUndefined();
        const events = r.records.filter((x) => x.type === 'event');
        const upcalls = events.filter((e) => e.event === 'UPCALL');
        const flows = events.filter((e) => e.event === 'FLOW_NEW');
        // Only the host's packets (its MAC): the requests, first pass and after ct().
        expect(upcalls.length).toBeGreaterThanOrEqual(2);
        for (const u of upcalls) expect(u).toMatchObject({ eth_src: b.int.mac, in_port: b.int.dpPort });
        expect(upcalls.some((u) => (u.recirc_id as number) > 0)).toBe(true);
        const counters = r.final?.counters as Record<string, number> | undefined;
        expect(counters?.upcalls).toBe(upcalls.length);
        // The installs for the host's packets are the megaflows of its port, as ovs-dpctl lists them;
        // the replies' installs were seen (flow_news) and filtered out.
        const dp = await ovsBridgeStats(k.vm(), BR);
        const hostSide = dp.megaflows.filter((f) => f.match.includes(`in_port(${b.int.dpPort})`));
        compareWithDpctl(flows, hostSide);
        expect(counters?.flow_news).toBe(dp.megaflows.length);
        expect(flows.some((f) => /^ct\(zone=5\),recirc\(0x[0-9a-f]+\)$/.test(f.actions as string))).toBe(true);
        expect(flows.some((f) => /^ct\(commit,zone=5\),\d+$/.test(f.actions as string))).toBe(true);
        // Every upcall (recirculated ones too) is covered by one of the installs.
        expect(flows.reduce((n, f) => n + (f.upcalls as number), 0)).toBe(upcalls.length);
      },
    );
  },
  { modules: ['openvswitch', 'virtio_net', 'tun', 'vhost_net'] },
);
