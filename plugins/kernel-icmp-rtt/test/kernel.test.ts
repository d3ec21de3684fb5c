// kernel-icmp-rtt inside the test kernels, with every stage (ip_output, ip_rcv and icmp_rcv need
// fentry or kprobes): the guest's root namespace pings a namespace behind a veth (tx) and is
// pinged by it (rx). N echoes each way are N records with all six stages in path order, time
// never going back and the three segments summing to the total; the other direction's pings run
// at the same time and are not counted; two echoes the namespace no longer answers are listed
// unfinished with the stages their requests reached.
import { expect } from 'vitest';
import { kernelSuite } from '../../../test-kernel/src/plugin-suite.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';

const validate = schemaValidator('kernel-icmp-rtt');
const N = 4;
const NET = '10.246.1';
const HOST = `${NET}.1`;
const PEER = `${NET}.2`;
const OUT = ['ip-out', 'dev-queue', 'dev-xmit'];
const IN = ['dev-rx', 'ip-rcv', 'icmp-rcv'];

interface Rec {
  type: string;
  direction: string;
  src_ip: string;
  dst_ip: string;
  icmp_seq: number;
  total_ns: number;
  request_path_ns: number;
  inter_path_ns: number;
  reply_path_ns: number;
  stages: { stage: string; ts_ns: number }[];
}
interface Final {
  sessions: { direction: string; started: number; completed: number; incomplete: number }[];
  unfinished: { icmp_seq: number; reached: string[] }[];
  lost_events: number;
}

const ping = (count: number, to: string, ns?: string) =>
  `${ns ? `ip netns exec ${ns} ` : ''}ping -n -q -c ${count} -i 0.2 -W 1 ${to} >/dev/null || true`;

kernelSuite('kernel-icmp-rtt', (k) => {
  const run = async (direction: 'tx' | 'rx', traffic: string[], extra: string[] = []) => {
    const r = await k.run({
      args: [
        '--interface',
        'v-icr',
        '-s',
        direction === 'tx' ? HOST : PEER,
        '-d',
        direction === 'tx' ? PEER : HOST,
        '-r',
        direction,
        ...extra,
      ],
      before: [`ip netns pids icr >/dev/null 2>&1 || tk-netns icr ${NET} >/dev/null`],
      traffic,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    for (const rec of r.records) expect(validate(rec)).toBeUndefined();
    const recs = r.records.filter((x) => x.type === 'event') as unknown as Rec[];
    expect(recs.map((x) => x.icmp_seq)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    for (const x of recs) {
      expect(x.direction).toBe(direction);
      expect([x.src_ip, x.dst_ip]).toEqual(direction === 'tx' ? [HOST, PEER] : [PEER, HOST]);
      expect(x.stages.map((s) => s.stage)).toEqual(direction === 'tx' ? [...OUT, ...IN] : [...IN, ...OUT]);
      const ts = x.stages.map((s) => s.ts_ns);
      for (let i = 1; i < ts.length; i++) expect(ts[i]).toBeGreaterThanOrEqual(ts[i - 1] as number);
      expect(x.request_path_ns + x.inter_path_ns + x.reply_path_ns).toBe(x.total_ns);
      expect(x.request_path_ns).toBeGreaterThan(0);
      expect(x.reply_path_ns).toBeGreaterThan(0);
    }
    return { final: r.final as unknown as Final, recs };
  };

  k.verify('tx: N echoes with all six stages; the namespace pinging us is not counted; unanswered echoes unfinished', async () => {
    const { final } = await run('tx', [
      `( ${ping(N, HOST, 'icr')} ) & p=$!; ${ping(N, PEER)}; wait $p`,
      'ip netns exec icr sysctl -qw net.ipv4.icmp_echo_ignore_all=1',
      ping(2, PEER),
      'ip netns exec icr sysctl -qw net.ipv4.icmp_echo_ignore_all=0',
    ]);
    expect(final.sessions).toEqual([expect.objectContaining({ direction: 'tx', started: N + 2, completed: N, incomplete: 2 })]);
    expect(final.unfinished.map((u) => [u.icmp_seq, u.reached])).toEqual([
      [1, OUT],
      [2, OUT],
    ]);
    expect(final.lost_events).toBe(0);
  });

  k.verify('rx: N echoes from the namespace with all six stages and their stacks; our own pings to it are not counted', async () => {
    const { final, recs } = await run('rx', [`( ${ping(N, PEER)} ) & p=$!; ${ping(N, HOST, 'icr')}; wait $p`], ['--kernel-stacks']);
    for (const r of recs as unknown as { stages: { stage: string; stack: string[] }[] }[]) {
      const stack = (name: string) => r.stages.find((x) => x.stage === name)?.stack.join(' ') ?? '';
      expect(stack('icmp-rcv')).toMatch(/ip_local_deliver|ip_protocol_deliver/);
      expect(stack('ip-out')).toMatch(/icmp_reply|icmp_echo|icmp_push_reply|ip_push_pending_frames|ip_local_out/);
    }
    expect(final.sessions).toEqual([expect.objectContaining({ direction: 'rx', started: N, completed: N, incomplete: 0 })]);
    expect(final.unfinished).toEqual([]);
  });
});
