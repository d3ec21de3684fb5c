// trace-ip-defrag inside the test kernels (ip_defrag and ip_expire need fentry or kprobes).
// N pings of 4000 bytes into a namespace are N x 3 fragments and N reassemblies there (tk-frags);
// N pings that each lose their first fragment (tk-frags-faulty lost) leave N queues that time out
// after ipfrag_time (1 s); with every fragment duplicated (tk-frags-faulty dup) the second copies are
// dropped as duplicates (with the kernel's reason where it has one). The upstream test line
// (catalog Appendix A) runs unchanged on fragmented UDP and ICMP at once and keeps only the UDP
// datagrams. The namespace's own /proc/net/snmp counters are the witness.
import { expect } from 'vitest';
import { kernelSuite } from '../../../test-kernel/src/plugin-suite.js';
import { parseHelperOutput } from '../../../test-kernel/src/traffic.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';

const validate = schemaValidator('trace-ip-defrag');

const N = 4;
const SIZE = 4000;
const K = Math.ceil((SIZE + 8) / 1480); // fragments per request over a 1500-byte MTU

interface Datagram {
  src_ip: string;
  dst_ip: string;
  ip_id: number;
  protocol: string;
  user: string;
  fragments: number;
  reassembled: number;
  timeouts: number;
  dropped: number;
  last_drop?: string;
}
type Rec = Record<string, unknown>;

kernelSuite('trace-ip-defrag', (k) => {
  const run = async (ns: string, subnet: string, helper: string, args: string[] = [], env?: Record<string, string>, mode = '') => {
    const r = await k.run({
      args: ['--dst-ip', `${subnet}.2`, '-p', 'icmp', ...args],
      env,
      setup: [`tk-netns ${ns} ${subnet} >/dev/null`],
      traffic: [`${helper} ${ns} ${subnet} ${N} ${SIZE} ${mode}`],
    });
    expect(r.exitCode, r.stderr).toBe(0);
    for (const rec of [r.header, r.final]) expect(validate(rec)).toBeUndefined();
    const final = r.final as { datagrams: Datagram[]; totals: Record<string, number>; events: number; lost_events: number };
    return { snmp: parseHelperOutput(r.trafficOutput), final, plan: (r.header as { plan: Rec[] }).plan };
  };

  k.verify('N fragmented pings: N x k fragments and N reassembled datagrams, one row each', async () => {
    const { snmp, final, plan } = await run('df1', '10.245.1', 'tk-frags');
    expect(Number(snmp.fragments)).toBe(N * K);
    expect(Number(snmp.reassembled)).toBe(N);
    expect(final.totals).toMatchObject({
      fragments: N * K,
      queued: N * (K - 1),
      reassembled: N,
      dropped: 0,
      timeouts: 0,
      unmatched_returns: 0,
      too_deep: 0,
    });
    expect(final.datagrams).toHaveLength(N);
    for (const d of final.datagrams)
      expect(d).toMatchObject({
        src_ip: '10.245.1.1',
        dst_ip: '10.245.1.2',
        protocol: 'icmp',
        user: expect.stringMatching(/^(LOCAL_DELIVER|CONNTRACK_IN)$/), // conntrack defragments first where it is active
        fragments: K,
        reassembled: 1,
        timeouts: 0,
        dropped: 0,
      });
    expect(new Set(final.datagrams.map((d) => d.ip_id)).size).toBe(N);
    expect([final.events, final.lost_events]).toEqual([N * K, 0]); // a line per fragment
    const hook = (name: string) => (plan.find((h) => h.hook === name)?.chosen as { kind: string } | null)?.kind;
    expect([hook('ip_defrag entry'), hook('ip_defrag return'), hook('ip_expire')]).toEqual(['fentry', 'fexit', 'fentry']);
  });

  k.verify("the upstream command line '--src-ip <IP> --dst-ip <IP> --protocol udp', unchanged: the UDP datagrams only", async () => {
    const ns = 'df5';
    const net = '10.245.5';
    const r = await k.run({
      args: ['--src-ip', `${net}.1`, '--dst-ip', `${net}.2`, '--protocol', 'udp'],
      setup: [`tk-netns ${ns} ${net} >/dev/null`],
      // fragmented pings too (prefixed witness lines): the protocol filter must leave them out
      traffic: [`tk-frags ${ns} ${net} ${N} ${SIZE} udp`, `tk-frags ${ns} ${net} ${N} ${SIZE} icmp | sed 's/^/icmp_/'`],
    });
    expect(r.exitCode, r.stderr).toBe(0);
    for (const rec of [r.header, r.final]) expect(validate(rec)).toBeUndefined();
    const snmp = parseHelperOutput(r.trafficOutput);
    expect([snmp.fragments, snmp.reassembled, snmp.icmp_reassembled].map(Number)).toEqual([N * K, N, N]);
    const final = r.final as { datagrams: Datagram[]; totals: Record<string, number>; events: number };
    expect(final.totals).toMatchObject({ fragments: N * K, queued: N * (K - 1), reassembled: N, dropped: 0, timeouts: 0 });
    expect(final.datagrams).toHaveLength(N);
    for (const d of final.datagrams)
      expect(d).toMatchObject({
        src_ip: `${net}.1`,
        dst_ip: `${net}.2`,
        protocol: 'udp',
        fragments: K,
        reassembled: 1,
        timeouts: 0,
        dropped: 0,
      });
    expect(final.events).toBe(N * K);
  });

  k.verify('N pings that lose their first fragment: the rest is queued, and N reassemblies time out', async () => {
    const { snmp, final } = await run('df2', '10.245.2', 'tk-frags-faulty', [], undefined, 'lost');
    expect(Number(snmp.timeouts)).toBe(N);
    expect(Number(snmp.reassembled)).toBe(0);
    expect(Number(snmp.fragments)).toBe(N * (K - 1));
    expect(final.totals).toMatchObject({ fragments: N * (K - 1), queued: N * (K - 1), reassembled: 0, dropped: 0, timeouts: N });
    expect(final.datagrams).toHaveLength(N);
    for (const d of final.datagrams) expect(d).toMatchObject({ fragments: K - 1, reassembled: 0, timeouts: 1, dropped: 0 });
    expect(final.events).toBe(N * (K - 1) + N); // a line per fragment and per timeout
  });

  k.verify('every fragment twice: the second copies are dropped as duplicates, with the reason', async () => {
    const { snmp, final } = await run('df4', '10.245.4', 'tk-frags-faulty', [], undefined, 'dup');
    // Per datagram: K fragments queue-or-complete it, K - 1 copies are duplicates, and the last
    // fragment's copy opens a queue of its own that times out.
    expect([Number(snmp.fragments), Number(snmp.reassembled), Number(snmp.timeouts)]).toEqual([2 * N * K, N, N]);
    expect(final.totals).toMatchObject({ fragments: 2 * N * K, reassembled: N, dropped: N * (K - 1), queued: N * K, timeouts: N });
    const reason = { '5.10': '-', '6.1': 'NOT_SPECIFIED' }[k.spec.id] ?? 'DUP_FRAG'; // DUP_FRAG from 6.4
    for (const d of final.datagrams)
      expect(d).toMatchObject({ fragments: 2 * K, reassembled: 1, dropped: K - 1, timeouts: 1, last_drop: `${reason} (-22)` });
  });

  k.verify('the kprobe/kretprobe rungs count the same', async () => {
    const { snmp, final, plan } = await run('df3', '10.245.3', 'tk-frags', [], { NETTRACE_AVOID: 'fentry,fexit' });
    expect(plan.filter((h) => (h.chosen as { kind: string } | null)?.kind.startsWith('k')).length).toBe(3);
    expect(final.totals).toMatchObject({ fragments: Number(snmp.fragments), reassembled: N, timeouts: 0 });
  });
});
