// trace-conntrack inside the test kernels (nf_conntrack is a module there; kprobes and fentry
// exist), in the catalog's command shape (--src-ip A --dst-ip B --protocol P; the UDP case through
// BCC's --filters-file, the live test runs --protocol udp). N TCP connections
// and N UDP flows from the root namespace into a namespace, tracked by the root namespace's
// conntrack, then `conntrack -F`. Expected, exactly, against what the helpers counted in
// /proc/net/nf_conntrack: N NEW entries of the protocol asked for and none of the other, each TCP
// handshake's states in order at the TCP state handler, one nf_conntrack_in, state handler and
// refresh event per packet of each connection on one entry, and one DESTROY per flushed entry of
// that protocol, for exactly the entries that were NEW. Then N pings through an OVS datapath whose
// flows are ct(commit): the OVS points per packet against the datapath's own hit counter.
import { expect } from 'vitest';
import { loadMatrix } from '../../../test-kernel/src/matrix.js';
import { kernelSuite } from '../../../test-kernel/src/plugin-suite.js';
import { parseHelperOutput } from '../../../test-kernel/src/traffic.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';

const N = 3;
const UDP_PORT = 5301;

type Flow = { protocol: string; src_ip: string; dst_ip: string; src_port: number; dst_port: number };
type Ev = {
  point: string;
  ct: string;
  ctinfo: string;
  verdict: string | null;
  tcp_state_before: string | null;
  tcp_state: string | null;
  status_flags: string[];
  packet: (Flow & { tcp_flags?: string[] }) | null;
  orig: Flow;
};
type Final = { per_point: Record<string, number | string>[]; pairing: Record<string, number> };

const validate = schemaValidator('trace-conntrack');

/** One run: N TCP connections, N UDP flows, a flush; the plugin asked for one protocol, by the
 * catalog's options or by the rules of a --filters-file written in the guest first. */
async function run(
  k: Parameters<Parameters<typeof kernelSuite>[1]>[0],
  net: string,
  ns: string,
  protocol: string,
  rules?: Record<string, string | number>[],
) {
  const RULES_FILE = '/tmp/trace-conntrack-rules.json';
  const filter = rules ? ['--filters-file', RULES_FILE] : ['--src-ip', `${net}.1`, '--dst-ip', `${net}.2`, '--protocol', protocol];
  const r = await k.run({
    // Entries must not expire before the flush, however slow the VM.
    setup: [
      `tk-netns ${ns} ${net} >/dev/null`,
      'sysctl -qw net.netfilter.nf_conntrack_udp_timeout=600 net.netfilter.nf_conntrack_tcp_timeout_time_wait=600',
    ],
    before: rules ? [`echo '${JSON.stringify(rules)}' > ${RULES_FILE}`] : [],
    // --netns: the root namespace's table only (a module loaded here may make others track too).
    args: [...filter, '--netns', '/proc/1/ns/net'],
    traffic: [
      `tk-conntrack ${ns} ${net} ${N} | sed 's/^/tcp_/'`,
      `tk-udp-flows ${ns} ${net} ${N} ${UDP_PORT} | sed 's/^/udp_/'`,
      'tk-ct-flush',
    ],
  });
  expect(r.exitCode, r.stderr).toBe(0);
  for (const rec of r.records) expect(validate(rec)).toBeUndefined();
  const helper = parseHelperOutput(r.trafficOutput);
  expect([Number(helper.tcp_entries), Number(helper.udp_entries), Number(helper.flushed)]).toEqual([N, N, 2 * N]);
  const events = r.records.filter((l) => l.type === 'event') as unknown as Ev[];
  const at = (point: string) => events.filter((e) => e.point === point);
  // Only the protocol asked for, in packets and entries.
  expect(events.filter((e) => (e.packet ?? e.orig).protocol !== protocol)).toEqual([]);
  // NEW: exactly the helper's entries; DESTROY: one per flushed entry, exactly the NEW ones.
  const created = at('new');
  expect(created.length).toBe(N);
  expect(created.every((e) => e.status_flags.includes('CONFIRMED') && e.verdict === 'ACCEPT')).toBe(true);
  expect(new Set(created.map((e) => e.ct)).size).toBe(N);
  expect(new Set(at('destroy').map((e) => e.ct))).toEqual(new Set(created.map((e) => e.ct)));
  expect(at('destroy').length).toBe(N);
  // The final report counts what the events showed, and every return found its entry.
  const final = r.final as Final;
  const count = (point: string) => final.per_point.find((p) => p.point === point)?.[protocol] ?? 0;
  for (const point of ['in', 'tcp_state', 'refresh', 'new', 'destroy']) expect(count(point)).toBe(at(point).length);
  expect(final.pairing).toEqual({ unmatched_returns: 0, too_deep: 0 });
  return { r, events, created, at };
}

kernelSuite(
  'trace-conntrack',
  (k) => {
    k.verify(
      '--protocol tcp: N connections: NEW, the handshake states in order, a point per packet, DESTROY after conntrack -F',
      async () => {
        const { r, events, created, at } = await run(k, '10.242.0', 'tkct', 'tcp');
        const plan = (r.header as { plan: { hook: string; chosen: { kind: string; target: string } | null }[] }).plan;
        expect(plan.filter((h) => !h.chosen).map((h) => h.hook)).toEqual([]);
        // fentry where the module has BTF; else kprobes, and the pre-5.19 name of the destroy function.
        expect(plan.find((h) => h.hook === 'entry destroyed')?.chosen).toMatchObject(
          k.spec.facts.fentryOnModules ? { kind: 'fentry', target: 'nf_ct_destroy' } : { kind: 'kprobe', target: 'destroy_conntrack' },
        );
        for (const entry of created) {
          const tcp = events.filter((e) => e.ct === entry.ct && e.point === 'tcp_state');
          expect(tcp.slice(0, 3).map((e) => [e.packet?.tcp_flags?.join('|'), e.tcp_state_before, e.tcp_state])).toEqual([
            ['SYN', 'NONE', 'SYN_SENT'],
            ['SYN|ACK', 'SYN_SENT', 'SYN_RECV'],
            ['ACK', 'SYN_RECV', 'ESTABLISHED'],
          ]);
          const port = entry.orig.src_port;
          const packets = at('in').filter((e) => e.packet?.src_port === port || e.packet?.dst_port === port);
          expect(new Set(packets.map((e) => e.ct))).toEqual(new Set([entry.ct]));
          expect(packets.map((e) => e.ctinfo).slice(0, 3)).toEqual(['NEW', 'ESTABLISHED_REPLY', 'ESTABLISHED']);
          expect(packets.every((e) => e.verdict === 'ACCEPT')).toBe(true);
          // Every tracked TCP packet passed the state handler and refreshed the entry.
          expect(tcp.length).toBe(packets.length);
          expect(events.filter((e) => e.ct === entry.ct && e.point === 'refresh').length).toBe(packets.length);
        }
      },
    );

    // BCC's --filters-file (a JSON list of rules; BCC applied only the first): a UDP rule and a
    // TCP rule for a port the helper's connections (5201) do not use, so only the UDP flows pass.
    k.verify(
      "--filters-file [udp rule, tcp rule of another port]: N one-datagram flows: one NEW entry each, from the helper's ports, DESTROY after conntrack -F",
      async () => {
        const net = '10.243.0';
        const { created, at } = await run(k, net, 'tkcu', 'udp', [
          { src_ip: `${net}.1`, dst_ip: `${net}.2`, protocol: 'tcp', dst_port: 5209 },
          { src_ip: `${net}.1`, dst_ip: `${net}.2`, protocol: 'udp', dst_port: UDP_PORT },
        ]);
        expect(created.map((e) => e.orig.src_port)).toEqual([40000, 40001, 40002]);
        for (const entry of created)
          expect(
            at('in')
              .filter((e) => e.ct === entry.ct)
              .map((e) => e.ctinfo),
          ).toEqual(['NEW']);
        expect(at('tcp_state')).toEqual([]);
      },
    );

    k.verify(
      '--protocol icmp: N pings through an OVS datapath with ct(commit) flows: the OVS conntrack points per packet',
      async () => {
        const net = '10.244.0';
        const r = await k.run({
          setup: [`tk-ovs-dp -c tkovc ${net} >/dev/null`],
          args: ['--src-ip', `${net}.1`, '--dst-ip', `${net}.2`, '--protocol', 'icmp', '--netns', '/proc/1/ns/net'],
          traffic: [
            `ip netns exec tkovc-a ping -n -c ${N} -i 0.3 -W 2 ${net}.2 | sed -n 's/.* \\([0-9]*\\) received.*/replies \\1/p'`,
            "ovs-dpctl show tkovc | sed -n 's/.*lookups: hit:\\([0-9]*\\).*/hits \\1/p'",
          ],
        });
        expect(r.exitCode, r.stderr).toBe(0);
        for (const rec of r.records) expect(validate(rec)).toBeUndefined();
        const helper = parseHelperOutput(r.trafficOutput);
        expect(Number(helper.replies)).toBe(N);
        const packets = 2 * N; // requests and replies, each one datapath hit through ct(commit)
        expect(Number(helper.hits)).toBe(packets);
        const events = r.records.filter((l) => l.type === 'event') as unknown as (Ev & { ovs_commit?: boolean; ovs_ct_state?: string[] })[];
        const at = (point: string) => events.filter((e) => e.point === point);
        expect(at('ovs_execute').map((e) => [e.verdict, e.ovs_commit])).toEqual(Array(packets).fill(['OK', true]));
        expect(at('ovs_lookup').map((e) => e.ovs_commit)).toEqual(Array(packets).fill(true));
        // The ct_state OVS writes into the flow key: the first request new, the rest established,
        // replies in the reply direction.
        expect(at('ovs_update').map((e) => e.ovs_ct_state?.join('|'))).toEqual([
          'NEW|TRACKED',
          ...Array.from({ length: packets - 1 }, (_, i) => (i % 2 ? 'ESTABLISHED|TRACKED' : 'ESTABLISHED|REPLY_DIR|TRACKED')),
        ]);
        // Conntrack ran once per packet, on one entry, committed once.
        expect(at('in').length).toBe(packets);
        const created = at('new');
        expect(created.length).toBe(1);
        expect(new Set([...at('ovs_update'), ...at('in')].map((e) => e.ct))).toEqual(new Set([created[0].ct]));
        const final = r.final as Final;
        expect(final.per_point.find((p) => p.point === 'ovs_execute')?.icmp).toBe(packets);
      },
      { everyKernel: true },
    ); // the OVS conntrack hooks: none of the first cases reads them
  },
  { modules: [...loadMatrix().pluginModules, 'nf_conntrack_netlink'] },
);
