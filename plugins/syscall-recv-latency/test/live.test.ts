// Live kernel: a child process makes an exact number of receive syscalls; the plugin must count
// exactly those for its pid, put exactly that many samples in the histogram, and report the slow
// ones above --threshold as events.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { runWith } from '../../../tooling/test-support/run.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';

// Python's socket.recvfrom/recvmsg map 1:1 onto the syscalls (Node's libuv may batch them).
const CHILD = `
import socket, sys, threading, time
n, call, slow = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); rx.bind(('127.0.0.1', 0))
tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sys.stdin.readline()
for i in range(n):
    tx.sendto(b'x' * 100, rx.getsockname())
    (rx.recvfrom(2048) if call == 'recvfrom' else rx.recvmsg(2048))
for i in range(slow):
    threading.Timer(0.03, lambda: tx.sendto(b'y' * 10, rx.getsockname())).start()
    rx.recvfrom(2048)
`;

function child(n: number, call: string, slow = 0): ChildProcess {
  return spawn('python3', ['-c', CHILD, String(n), call, String(slow)], { stdio: ['pipe', 'inherit', 'inherit'] });
}

async function go(c: ChildProcess) {
  c.stdin!.write('go\n');
  const [code] = await once(c, 'exit');
  expect(code).toBe(0);
}

type Final = { counters: Record<string, number>; latency: { total: number; buckets: { low: number; high: number; count: number }[] } };

describe('syscall-recv-latency on the live kernel', () => {
  for (const c of [
    { call: 'recvfrom', n: 25 },
    { call: 'recvmsg', n: 13 },
  ]) {
    it(`counts exactly ${c.n} ${c.call} calls of one pid`, async () => {
      const proc = child(c.n, c.call);
      const run = await runWith('syscall-recv-latency', ['--pid', String(proc.pid), '-o', 'json'], () => go(proc));
      const validate = schemaValidator('syscall-recv-latency');
      for (const r of run.json) expect(validate(r)).toBeUndefined();
      const final = run.json.find((r) => r.type === 'final') as unknown as Final;
      expect(final.counters.calls).toBe(c.n);
      expect(final.counters.bytes).toBe(c.n * 100);
      expect(final.counters.errors).toBe(0);
      expect(final.latency.total).toBe(c.n);
    });
  }

  it('reports each call above --threshold as an event, and only those', async () => {
    const proc = child(10, 'recvfrom', 3);
    const run = await runWith('syscall-recv-latency', ['-P', String(proc.pid), '--threshold', '20000', '-o', 'json'], () => go(proc));
    const events = run.json.filter((r) => r.type === 'event') as {
      latency_us: number;
      pid: number;
      call: string;
      ret: number;
      comm: string;
    }[];
    expect(events).toHaveLength(3);
    for (const e of events) {
      expect(e.latency_us).toBeGreaterThanOrEqual(20000);
      expect(e).toMatchObject({ pid: proc.pid, call: 'recvfrom', ret: 10, comm: 'python3' });
    }
    const final = run.json.find((r) => r.type === 'final') as unknown as Final;
    expect(final.counters.calls).toBe(13);
    // The three slow calls sit in the buckets at or above 16384 us.
    expect(final.latency.buckets.filter((b) => b.low >= 16384).reduce((n, b) => n + b.count, 0)).toBe(3);
  });

  it('prints the histogram with the shared bucket labels in table mode', async () => {
    const proc = child(5, 'recvfrom');
    const run = await runWith('syscall-recv-latency', ['--pid', String(proc.pid)], () => go(proc));
    const text = run.lines.join('\n');
    expect(text).toMatch(/calls\s+5/);
    expect(text).toMatch(/us\s+: count\s+distribution/);
    expect(text).toMatch(/\d+ -> \d+\s+: \d+/);
  });
});
