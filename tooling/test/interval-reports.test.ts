// One interval semantics for every report: an interval report holds that interval's numbers, the
// final report the whole run, and --cumulative turns interval reports into running totals. Each
// case runs `nettrace run … -i 1` as a user does, with two bursts of traffic 3.5 s apart (so at
// least two reports fall between them), and reads one count from every report. Every report
// plugin of the twelve live-kernel ones is here but vm-pair-latency, whose live test has its own
// two-interval cases (its traffic needs its two-interface setup).
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendUdp, type VethPair, vethPair } from '@nettrace/plugin-testing';
import { runCli } from '../test-support/run.js';
import { blk, diskIo, irqsOf, snap } from '../../plugins/virtnet-irq-monitor/test/irq-witness.js';
import { type TcpServer, tcpClients, tcpServer } from '../test-support/tcp.js';

let net: VethPair;
let server: TcpServer;
const PORT = 31000 + (process.pid % 1000) * 4;
let clientPort = 52000 + (process.pid % 1000) * 8;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  net = vethPair();
  server = await tcpServer(net.b, net.ipB, PORT);
});
afterAll(async () => {
  await server?.close();
  net?.cleanup();
});

// A process that makes exactly `n` recvfrom(2) calls per line on its stdin (Python maps
// socket.recvfrom 1:1 onto the syscall).
const RECEIVER = `
import socket, sys
rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); rx.bind(('127.0.0.1', 0))
tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for line in sys.stdin:
    for i in range(int(line)):
        tx.sendto(b'x' * 10, rx.getsockname())
        rx.recvfrom(64)
    print('done', flush=True)
`;

// A process that sleeps `n` times 30 ms per line on its stdin: `n` interruptible off-CPU blocks
// between 15 and 300 ms. Its waits for the next line are longer (the 3.5 s gap; the first one at
// least the 0.5 s it idles after saying ready, plus the run's start-up) and fall outside.
const SLEEPER = `
import sys, time
print('ready', flush=True)
for line in sys.stdin:
    for i in range(int(line)):
        time.sleep(0.03)
    print('done', flush=True)
`;
let sleeper: ChildProcess;

/** Python children whose stdout is block-buffered whatever the environment says: each flushed
 * print() is then one write, so one 'data' event is one whole line. */
const pythonEnv = { ...process.env, PYTHONUNBUFFERED: '' };

async function recvBurst(p: ChildProcess, n: number): Promise<void> {
  p.stdin!.write(`${n}\n`);
  await once(p.stdout!, 'data');
}

interface Case {
  id: string;
  /** What the scenario itself counted in each burst (undefined: not known exactly). */
  bursts: [number | undefined, number | undefined];
  argv(): string[];
  burst(i: 0 | 1): Promise<void>;
  count(report: Record<string, unknown>): number;
  setup?(): Promise<void>;
  teardown?(): Promise<void>;
}

const field =
  (section: string, name: string) =>
  (r: Record<string, unknown>): number =>
    (r[section] as Record<string, number>)[name];

let receiver: ChildProcess;
const cases: Case[] = [
  {
    id: 'kernel-drop-stack-stats',
    bursts: [7, 4],
    argv: () => ['--src-ip', net.ipA, '--dst-ip', net.ipB, '--l4-protocol', 'udp', '--dst-port', '9'],
    burst: async (i) => sendUdp(net.a, { to: net.ipB, port: 9, count: i ? 4 : 7, size: 32 }),
    count: field('totals', 'total_drops'),
  },
  {
    id: 'syscall-recv-latency',
    bursts: [9, 5],
    setup: async () => {
      receiver = spawn('python3', ['-c', RECEIVER], { stdio: ['pipe', 'pipe', 'inherit'], env: pythonEnv });
    },
    teardown: async () => {
      receiver.stdin!.end();
      await once(receiver, 'exit');
    },
    // --no-read: the receiver reads its stdin with read(2), which the plugin traces by default.
    argv: () => ['--pid', String(receiver.pid), '--no-read'],
    burst: (i) => recvBurst(receiver, i ? 5 : 9),
    count: field('counters', 'calls'),
  },
  {
    id: 'tcp-perf-observer',
    bursts: [3, 2],
    argv: () => ['-d', net.ipB, '-D', String(PORT), '--mode', 'summary'],
    burst: async (i) => {
      const n = i ? 2 : 3;
      await tcpClients(net.a, { to: net.ipB, port: PORT, connections: n, bytes: 1000, fromPort: clientPort });
      clientPort += n;
    },
    count: field('counters', 'connects'),
  },
  {
    id: 'iface-netstat',
    // Neighbour and IPv6 housekeeping frames on the same device may add to the datagrams.
    bursts: [undefined, undefined],
    argv: () => ['-I', net.devA, '--netns', net.a.name],
    burst: async (i) => sendUdp(net.a, { to: net.ipB, port: 9, count: i ? 6 : 11, size: 64 }),
    count: (r) => (r.totals as { packets: number }[]).reduce((n, t) => n + t.packets, 0),
  },
  {
    id: 'virtnet-irq-monitor',
    // fsync'd writes drive the virtio-blk IRQs; the host's own disk writes may add to them.
    bursts: [undefined, undefined],
    argv: () => ['--irqs', [...blk.values()].flatMap((dev) => irqsOf(snap(), dev)).join(',')],
    burst: async (i) => diskIo(i ? 20 : 40),
    count: field('totals', 'calls'),
  },
  {
    id: 'offcputime-ts',
    bursts: [8, 5],
    setup: async () => {
      sleeper = spawn('python3', ['-c', SLEEPER], { stdio: ['pipe', 'pipe', 'inherit'], env: pythonEnv });
      await once(sleeper.stdout!, 'data');
      await sleep(500);
    },
    teardown: async () => {
      sleeper.stdin!.end();
      await once(sleeper, 'exit');
    },
    // Interruptible sleeps only (--state 1): a preemption of a loaded CPU is not a block here.
    argv: () => ['--pid', String(sleeper.pid), '--state', '1', '--min-block-time', '15000', '--max-block-time', '300000'],
    burst: (i) => recvBurst(sleeper, i ? 5 : 8),
    count: field('totals', 'blocks'),
  },
  {
    id: 'ksoftirqd-sched-latency',
    // A UDP flood defers NET_RX work to ksoftirqd; the timers and RCU of the host wake it too.
    bursts: [undefined, undefined],
    argv: () => [],
    burst: async (i) => sendUdp(net.a, { to: net.ipB, port: 9, count: i ? 20_000 : 40_000, size: 64 }),
    count: field('totals', 'samples'),
  },
  {
    id: 'vxlan-tracer',
    bursts: [7, 4],
    setup: async () => {
      // VNI 201 between the two namespaces, no IPv6 and static neighbours: only the bursts cross it.
      const ends = [
        [net.a, net.ipA, net.ipB, net.devA, '10.201.0.1'],
        [net.b, net.ipB, net.ipA, net.devB, '10.201.0.2'],
      ] as const;
      for (const [ns, local, remote, under, inner] of ends) {
        ns.ip('link', 'add', 'vx201', 'type', 'vxlan', 'id', '201', 'local', local, 'remote', remote, 'dstport', '4789', 'dev', under);
        ns.exec('sysctl', ['-qw', 'net.ipv6.conf.vx201.disable_ipv6=1']);
        ns.ip('addr', 'add', `${inner}/24`, 'dev', 'vx201');
        ns.ip('link', 'set', 'vx201', 'up');
      }
      const macB = net.b.exec('cat', ['/sys/class/net/vx201/address']).trim();
      net.a.ip('neigh', 'replace', '10.201.0.2', 'lladdr', macB, 'dev', 'vx201', 'nud', 'permanent');
    },
    teardown: async () => {
      for (const ns of [net.a, net.b]) ns.ip('link', 'del', 'vx201');
    },
    argv: () => ['--vni', '201', '-r', 'tx', '-D', '7777'], // not B's port-unreachable errors back
    burst: async (i) => sendUdp(net.a, { to: '10.201.0.2', port: 7777, count: i ? 4 : 7, size: 100 }),
    count: field('counters', 'tx'),
  },
  {
    id: 'qdisc-latency-details',
    // The kernel now and then skips a qdisc_dequeue program run (see the plugin's live test): a bound.
    bursts: [undefined, undefined],
    setup: async () => {
      net.a.exec('tc', ['qdisc', 'add', 'dev', net.devA, 'root', 'tbf', 'rate', '100mbit', 'burst', '32k', 'limit', '1m']);
    },
    teardown: async () => {
      net.a.exec('tc', ['qdisc', 'del', 'dev', net.devA, 'root']);
    },
    argv: () => ['-I', net.devA, '--netns', net.a.name, '-D', '5556'],
    burst: async (i) => sendUdp(net.a, { to: net.ipB, port: 5556, count: i ? 4 : 7, size: 200 }),
    count: field('counters', 'dequeued'),
  },
  {
    id: 'tcp-rtt-inflight-hist',
    bursts: [undefined, undefined],
    argv: () => ['-d', net.ipB, '-D', String(PORT)],
    burst: async () => {
      await tcpClients(net.a, { to: net.ipB, port: PORT, connections: 2, bytes: 200_000, fromPort: clientPort });
      clientPort += 2;
    },
    count: field('totals', 'samples'),
  },
];

/** Runs the case's two bursts under `nettrace run -i 1 [extra]`: each report's count, the final's. */
async function twoBursts(c: Case, extra: string[]) {
  await c.setup?.();
  try {
    const run = await runCli(
      c.id,
      [...c.argv(), '-i', '1', ...extra],
      async () => {
        await c.burst(0);
        await sleep(3500);
        await c.burst(1);
      },
      3500,
    );
    expect(run.code, run.stderr).toBe(0);
    const intervals = run.json.filter((r) => r.type === 'interval');
    const final = run.json.find((r) => r.type === 'final');
    expect(final, run.stderr).toBeDefined();
    expect(intervals.length).toBeGreaterThanOrEqual(4);
    for (const r of intervals) expect(r.cumulative).toBe(extra.includes('--cumulative'));
    return { counts: intervals.map(c.count), final: c.count(final as Record<string, unknown>) };
  } finally {
    await c.teardown?.();
  }
}

describe('interval reports on the live kernel', () => {
  for (const c of cases) {
    it(`${c.id}: each interval report holds that interval's numbers, the final report the whole run`, async () => {
      const { counts, final } = await twoBursts(c, []);
      // Sums of consecutive reports never count anything twice: together they are the run (only
      // the scenario's own traffic: exactly; with the host's housekeeping packets on the device,
      // one may arrive after the last interval report and be in the final report alone).
      const sum = counts.reduce((a, b) => a + b, 0);
      expect(counts.filter(Boolean).length, `interval counts ${counts}`).toBeGreaterThanOrEqual(2);
      const [first, second] = c.bursts;
      if (first === undefined || second === undefined) expect(sum, `interval counts ${counts}`).toBeLessThanOrEqual(final);
      else {
        expect(sum, `interval counts ${counts}`).toBe(final);
        expect(final).toBe(first + second);
        // The first burst ends in some report before the second starts: a prefix sums to it.
        const prefixes = counts.map((_, i) => counts.slice(0, i + 1).reduce((a, b) => a + b, 0));
        expect(prefixes, `interval counts ${counts}`).toContain(first);
      }
    }, 60_000);

    it(`${c.id} --cumulative: interval reports hold running totals`, async () => {
      const { counts, final } = await twoBursts(c, ['--cumulative']);
      for (let i = 1; i < counts.length; i++) expect(counts[i], `interval counts ${counts}`).toBeGreaterThanOrEqual(counts[i - 1]);
      // 3.5 s after the last burst, the last interval report already holds everything (but a
      // housekeeping packet of the host's after it).
      const [first, second] = c.bursts;
      if (first !== undefined && second !== undefined) {
        expect(counts.at(-1)).toBe(final);
        expect(final).toBe(first + second);
        expect(counts, `interval counts ${counts}`).toContain(first);
      } else {
        expect(counts.at(-1)).toBeLessThanOrEqual(final);
        expect(new Set(counts.filter(Boolean)).size, `interval counts ${counts}`).toBeGreaterThanOrEqual(2);
      }
    }, 60_000);
  }
});
