// system-network-icmp-rtt inside the test kernels, through a real Open vSwitch (stage-ovs.ts): the
// host on the OVS internal port pings the peer namespace behind the "physical" NIC (tx), and is
// pinged by it (rx), while the other side pings back at the same time with the same echo id. N
// echoes are exactly N records and N sessions, each with the OVS path's stages in path order
// (upcall and execute only where the datapath missed), time never going back, the three segments
// summing to the round trip, and that round trip inside the RTT `ping` itself printed (the
// kernel's span lies between ping's send and receive; see the bound below for the clocks). The
// concurrent pinger's echoes, same id and sequence numbers between the same two hosts, never stamp
// a session (no replaced, no not-found, every stage in order, held echoes keep their stages).
import { ovsIcmpRttProfile as profile } from '@nettrace/core';
import { expect } from 'vitest';
import { kernelSuite } from '../../../test-kernel/src/plugin-suite.js';
import { expectRoundTrip, roundTrips } from '../../../tooling/test-support/round-trip.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';
import { casesOn } from '../../../tooling/test-support/stage-kernel.js';
import { bridgeOnce, STAGE_MODULES, type StageBridge } from '../../../tooling/test-support/stage-ovs.js';

const validate = schemaValidator('system-network-icmp-rtt');
const N = 5;
/** How far ping's user-space clock and the kernel's were seen apart under TCG, with room. */
const CLOCK_SLACK_US = 10_000;
const ECHO_ID = 4242;
const UPCALL = ['ovs-upcall', 'ovs-execute'];
/** tx: echoes the peer does not answer, held open while it pings us with the same id and seqs. */
const HELD = 2;

interface Final {
  sessions: { direction: string; started: number; completed: number; replaced: number; not_found: number }[];
  totals: { direction: string; count: number; sum_ns: number }[];
  unfinished: { icmp_id: number; icmp_seq: number; reached: string[] }[];
  lost_events: number;
}

/** `ping` lines "icmp_seq=3 ttl=64 time=1.23 ms" tagged `ours:`: seq -> [microseconds, precision]. */
function pingTimes(out: string): Map<number, [number, number]> {
  const m = new Map<number, [number, number]>();
  for (const [, seq, ms, dec] of out.matchAll(/^ours: .*icmp_seq=(\d+) .*time=(\d+(?:\.(\d+))?) ms/gm))
    m.set(Number(seq), [Number(ms) * 1000, 1000 / 10 ** (dec?.length ?? 0)]);
  return m;
}

kernelSuite(
  'system-network-icmp-rtt',
  (k) => {
    const bridge = bridgeOnce(k);
    k.verify(
      'Open vSwitch starts with the host on an internal port and a peer behind the NIC',
      async () => {
        const b = await bridge();
        const r = await k.vm().exec('ovs-vsctl list-ports slb');
        expect(r.stdout.split('\n'), r.stderr).toEqual(expect.arrayContaining([b.phys]));
      },
      { timeoutMs: 600_000, everyKernel: true },
    );

    /** Our pinger (tagged, -U: ping's RTT from its send to its receive in user space) and the other
     * side's, same echo id, at the same time. tx then holds two of our echoes open (the peer ignores
     * them) while the peer pings us with that id and those sequence numbers: our replies to it cross
     * the same OVS hooks as the replies our open sessions wait for, and must not stamp them. */
    const traffic = (b: StageBridge, dir: 'tx' | 'rx') => {
      const peer = `ip netns exec ${b.peerNs} `;
      const ping = (ns: string, to: string, n = N) => `${ns}ping -n -U -e ${ECHO_ID} -c ${n} -i 0.2 -W 1 ${to}`;
      const [ours, theirs] = dir === 'tx' ? [ping('', b.peer), ping(peer, b.host)] : [ping(peer, b.host), ping('', b.peer)];
      const ignore = (v: number) => `${peer}sysctl -qw net.ipv4.icmp_echo_ignore_all=${v}`;
      const held = [ignore(1), `${ping('', b.peer, HELD)} >/dev/null || true`, ignore(0), `${ping(peer, b.host, HELD)} >/dev/null`];
      return [
        'tk-ovs-bridge reset slb >/dev/null',
        `( ${theirs} >/dev/null ) & p=$!; ${ours} | sed 's/^/ours: /'; wait $p`,
        ...(dir === 'tx' ? held : []),
      ];
    };

    const echoes = (dir: 'tx' | 'rx', extra: string[]) =>
      k.verify(
        `${dir}: ${N} echoes through OVS are ${N} sessions, 7 stages a packet, matching ping's RTT; a same-id pinger the other way is not mixed in`,
        async () => {
          const b = await bridge();
          const [src, dst] = dir === 'tx' ? [b.host, b.peer] : [b.peer, b.host];
          const r = await k.run({
            args: [
              '--phy-interface',
              b.phys,
              '--internal-interface',
              b.int,
              '--src-ip',
              b.host,
              '--dst-ip',
              b.peer,
              '--direction',
              dir,
              ...extra,
            ],
            traffic: traffic(b, dir),
          });
          expect(r.exitCode, r.stderr).toBe(0);
          for (const rec of r.records) expect(validate(rec), JSON.stringify(rec)).toBeUndefined();
          const times = pingTimes(r.trafficOutput);
          expect([...times.keys()], r.trafficOutput).toEqual(Array.from({ length: N }, (_, i) => i + 1));
          const recs = roundTrips(r.records);
          expect(recs.map((x) => x.icmp_seq)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
          const order = (profile[dir] ?? []).map((s) => s.name);
          for (const x of recs) {
            expect(x).toMatchObject({ direction: dir, src_ip: src, dst_ip: dst, icmp_id: ECHO_ID });
            expectRoundTrip(x, order);
            // Every stage of the path; only the upcall pair is skipped (on the datapath's fast path).
            const names = x.stages.map((s) => s.stage);
            expect(
              order.filter((n) => !names.includes(n)).every((n) => UPCALL.some((u) => n.startsWith(u))),
              names.join(' '),
            ).toBe(true);
            // A kernel stack per stage by default (BCC printed them), none with --disable-kernel-stacks.
            const stack = (name: string) => x.stages.find((s) => s.stage === name)?.stack?.join(' ');
            if (extra.includes('--disable-kernel-stacks')) expect(x.stages.filter((s) => s.stack)).toEqual([]);
            else {
              expect(stack('icmp-rcv')).toMatch(/ip_local_deliver|ip_protocol_deliver/);
              expect(stack(`ovs-process-${dir === 'tx' ? 'out' : 'in'}`)).toMatch(/ovs_vport_receive/);
            }
            // ping -U stamps its send before the first stage and its receive after the last, but with
            // the user-space clock: on 5.10 under TCG that clock and the kernel's monotonic one were
            // seen 0.6 ms apart on a 3.6 ms echo and 1.6 ms apart on a 1.5 ms one, so the bound allows
            // CLOCK_SLACK_US beyond the printing precision; a session built from another echo's
            // packets (0.2 s apart) is twenty times past it.
            const [pingUs, precision] = times.get(x.icmp_seq) as [number, number];
            const why = `seq ${x.icmp_seq}: ping printed ${pingUs} us, the kernel's round trip ${x.total_ns / 1000} us`;
            expect(x.total_ns / 1000, why).toBeLessThanOrEqual(pingUs + precision + CLOCK_SLACK_US);
            // tx: what ping adds is its own send and wake-up on this host, well under the 0.2 s between
            // echoes; rx: the peer's stack and the wire as well (115 ms seen on a loaded TCG host).
            if (dir === 'tx') expect(pingUs - x.total_ns / 1000, why).toBeLessThan(150_000);
          }
          const final = r.final as unknown as Final;
          const held = dir === 'tx' ? HELD : 0;
          expect(final.sessions).toEqual([
            expect.objectContaining({ direction: dir, started: N + held, completed: N, replaced: 0, not_found: 0 }),
          ]);
          expect(final.totals).toEqual([
            expect.objectContaining({ direction: dir, count: N, sum_ns: recs.reduce((a, x) => a + x.total_ns, 0) }),
          ]);
          // The held echoes reached the NIC and nothing of a reply: the peer's same-id echoes, and
          // our answers to them through OVS, stamped none of their reply stages.
          const request = order.slice(0, 7).filter((n) => !UPCALL.some((u) => n.startsWith(u)));
          expect(final.unfinished.map((u) => [u.icmp_id, u.icmp_seq, u.reached])).toEqual(
            Array.from({ length: held }, (_, i) => [ECHO_ID, i + 1, request]),
          );
          expect(final.lost_events).toBe(0);
          return recs;
        },
        // tx on every kernel: the request and reply stages both ways; rx here (CI time).
        { everyKernel: dir === 'tx' },
      );

    echoes('tx', []);
    if (casesOn(k) === 'all') echoes('rx', ['--disable-kernel-stacks']);
  },
  { modules: STAGE_MODULES, cpus: 2 },
);
