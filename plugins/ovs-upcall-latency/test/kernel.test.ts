// ovs-upcall-latency inside the test kernels, against the real Open vSwitch of tk-ovs-bridge
// (ovsdb-server + ovs-vswitchd, NORMAL forwarding): with the megaflows purged, the first packets
// of a flow go up to ovs-vswitchd, which installs a megaflow and sends each packet back with
// OVS_PACKET_CMD_EXECUTE. The plugin's upcalls must be exactly OVS's own count of datapath misses
// (`ovs-dpctl show` missed) for the flow, every one completed, the histogram holding one sample
// per completion; a decoy flow (another address) is filtered out in the kernel. On 6.1 a second
// run without filters splits the misses of UDP and TCP traffic by flow kind.
import { expect } from 'vitest';
import { chosenRungs } from '../../../test-kernel/src/fixture-run.js';
import { type KernelContext, kernelSuite } from '../../../test-kernel/src/plugin-suite.js';
import { type OvsBridge, ovsBridge } from '../../../test-kernel/src/traffic.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';

const BR = 'oub';
const NET = '10.94.0';
const DECOY = `${NET}.5`;
const PORT = 7001;
const validate = schemaValidator('ovs-upcall-latency');

interface KindRow {
  kind: string;
  upcalls: number;
  completed: number;
  incomplete: number;
  completion_pct: number | null;
  mean_us: number | null;
}
interface Hist {
  total: number;
  buckets: { low: number; high: number; count: number }[];
}

/** The bridge, a decoy address on the peer and a TCP server there, made once per VM. */
function bridgeOnce(k: KernelContext): () => Promise<OvsBridge> {
  let b: OvsBridge | undefined;
  return async () => {
    if (b) return b;
    const bridge = await ovsBridge(k.vm(), BR, NET);
    const p = bridge.peer;
    const r = await k
      .vm()
      .exec(
        [
          'set -e',
          `ip -n ${p.ns} addr add ${DECOY}/24 dev ${p.dev}`,
          `ip neigh replace ${DECOY} lladdr ${p.mac} dev ${bridge.int.dev} nud permanent`,
          `(ip netns exec ${p.ns} node tooling/test-support/stage-traffic.cjs tcp-server ${PORT} >/dev/null 2>&1 &)`,
          'sleep 1',
        ].join('\n'),
      );
    if (r.code !== 0) throw new Error(`bridge extras failed (exit ${r.code}):\n${r.stderr}${r.stdout}`);
    b = bridge;
    return b;
  };
}

/** Shell: prints `missed_NAME=<OVS's datapath misses so far>` and `lost_NAME=...`. */
const mark = (name: string) => [
  `s=$(tk-ovs-bridge stats ${BR})`,
  `echo "missed_${name}=$(echo "$s" | sed -n 's/^missed=//p')"`,
  `echo "lost_${name}=$(echo "$s" | sed -n 's/^lost=//p')"`,
];
const purge = `tk-ovs-bridge reset ${BR}`;

function marks(out: string): Record<string, number> {
  return Object.fromEntries([...out.matchAll(/^(\w+)=(\d+)$/gm)].map((m) => [m[1] as string, Number(m[2])]));
}

const rows = (rec: Record<string, unknown> | undefined) => (rec?.upcalls ?? []) as KindRow[];
const row = (rec: Record<string, unknown> | undefined, kind: string) => rows(rec).find((r) => r.kind === kind);
const samples = (h: unknown) => (h as Hist | undefined)?.total ?? 0;

kernelSuite(
  'ovs-upcall-latency',
  (k) => {
    const bridge = bridgeOnce(k);

    k.verify(
      '--src-ip/--dst-ip --protocol icmp --interval 1: upcalls = OVS misses of the flow, all completed; a decoy is not counted',
      async () => {
        const b = await bridge();
        const r = await k.run({
          args: ['--src-ip', b.int.addr, '--dst-ip', b.peer.addr, '--protocol', 'icmp', '--interval', '1'],
          traffic: [
            purge,
            ...mark('t0'),
            `ping -q -n -c 4 -i 0.2 -W 2 ${b.peer.addr} >/dev/null`,
            ...mark('t1'),
            purge,
            ...mark('d0'),
            `ping -q -n -c 3 -i 0.2 -W 2 ${DECOY} >/dev/null`,
            ...mark('d1'),
            'sleep 1.5', // one more interval report after the last execute
          ],
        });
        expect(r.exitCode, r.stderr).toBe(0);
        for (const rec of r.records) expect(validate(rec), JSON.stringify(rec)).toBeUndefined();
        // The tracepoint from 5.19, else the function (fentry with module BTF, else a kprobe).
        const fe = k.spec.facts.fentryOnModules;
        const upcallHook = k.spec.id === '5.10' ? 'kprobe:ovs_dp_upcall' : 'tracepoint:openvswitch/ovs_dp_upcall';
        expect(chosenRungs(r)).toEqual([upcallHook, `${fe ? 'fentry' : 'kprobe'}:ovs_packet_cmd_execute`]);

        const m = marks(r.trafficOutput);
        const missed = (m.missed_t1 as number) - (m.missed_t0 as number);
        const decoyMissed = (m.missed_d1 as number) - (m.missed_d0 as number);
        // Request and reply each miss at least once (more when a packet beats the megaflow).
        expect(missed).toBeGreaterThanOrEqual(2);
        expect(decoyMissed).toBeGreaterThanOrEqual(2);
        expect([m.lost_t0, m.lost_d1]).toEqual([m.lost_t0, m.lost_t0]); // every upcall was delivered

        const icmp = row(r.final, 'icmp');
        expect(icmp).toMatchObject({ upcalls: missed, completed: missed, incomplete: 0, completion_pct: 100 });
        expect(icmp?.mean_us).toBeGreaterThan(0);
        expect(row(r.final, 'all')).toMatchObject({ upcalls: missed, completed: missed });
        for (const kind of ['tcp', 'udp', 'other']) expect(row(r.final, kind)).toMatchObject({ upcalls: 0, completed: 0 });
        expect(samples(r.final?.latency)).toBe(missed);
        // The buckets' labels hold the samples: their exact mean lies between the lowest bucket's
        // low bound and the highest bucket's high bound (microseconds).
        const buckets = (r.final?.latency as Hist | undefined)?.buckets ?? [];
        expect(icmp?.mean_us).toBeGreaterThanOrEqual(buckets[0]?.low ?? NaN);
        expect(icmp?.mean_us).toBeLessThanOrEqual((buckets.at(-1)?.high ?? NaN) + 1);
        // ovs-vswitchd executed the decoy's packets too: seen, and matched to no traced upcall.
        const c = r.final?.counters as Record<string, number>;
        expect(c.executes).toBeGreaterThanOrEqual(missed + decoyMissed);
        expect(c.executes_unmatched).toBeGreaterThanOrEqual(decoyMissed);
        expect(c.executes - c.executes_unmatched).toBe(missed);

        // Interval reports hold their own interval's numbers: together, the whole run.
        const intervals = r.records.filter((rec) => rec.type === 'interval');
        expect(intervals.length).toBeGreaterThanOrEqual(2);
        const sum = (f: 'upcalls' | 'completed') => intervals.reduce((n, i) => n + (row(i, 'all')?.[f] ?? 0), 0);
        expect([sum('upcalls'), sum('completed')]).toEqual([missed, missed]);
        expect(intervals.reduce((n, i) => n + samples(i.latency), 0)).toBe(missed);
      },
    );

    // The other flow kinds: CI time, so on 6.1 only (as the stage plugins' extra cases).
    if (k.spec.id !== '6.1') return;
    k.verify('no filter, -v: UDP and TCP misses per flow kind, their sum = OVS misses, one histogram per kind', async () => {
      const b = await bridge();
      const send = (mode: string, n: number) =>
        `node tooling/test-support/stage-traffic.cjs ${mode} ${b.peer.addr} ${PORT} ${n} >/dev/null`;
      const r = await k.run({
        args: ['-v', '--interval', '0'],
        traffic: [purge, ...mark('u0'), send('udp-send', 3), ...mark('u1'), purge, ...mark('t0'), send('tcp-client', 3), ...mark('t1')],
      });
      expect(r.exitCode, r.stderr).toBe(0);
      for (const rec of r.records) expect(validate(rec), JSON.stringify(rec)).toBeUndefined();
      const m = marks(r.trafficOutput);
      const udpMissed = (m.missed_u1 as number) - (m.missed_u0 as number);
      const tcpMissed = (m.missed_t1 as number) - (m.missed_t0 as number);
      // UDP to a closed port: the datagram misses one way, the ICMP port unreachable the other.
      const udp = row(r.final, 'udp');
      const icmp = row(r.final, 'icmp');
      const tcp = row(r.final, 'tcp');
      expect(udp?.upcalls).toBeGreaterThanOrEqual(1);
      expect(icmp?.upcalls).toBeGreaterThanOrEqual(1);
      expect(tcp?.upcalls).toBeGreaterThanOrEqual(2); // SYN one way, SYN-ACK the other
      expect((udp?.upcalls ?? 0) + (icmp?.upcalls ?? 0) + (tcp?.upcalls ?? 0)).toBe(udpMissed + tcpMissed);
      expect(row(r.final, 'all')).toMatchObject({ upcalls: udpMissed + tcpMissed, completed: udpMissed + tcpMissed, completion_pct: 100 });
      for (const kind of ['udp', 'icmp', 'tcp']) {
        const x = row(r.final, kind);
        expect(x?.completed).toBe(x?.upcalls);
        expect(samples(r.final?.[`latency_${kind}`])).toBe(x?.completed);
      }
    });
  },
  { modules: ['openvswitch', 'virtio_net', 'tun', 'vhost_net'] },
);
