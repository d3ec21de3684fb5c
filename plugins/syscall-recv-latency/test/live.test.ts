// Live kernel: a child process makes an exact number of receive syscalls; the plugin must count
// exactly those for its pid, put exactly that many samples in the histogram, and report the slow
// ones above --threshold as events.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWith } from '../../../tooling/test-support/run.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';

// Python's socket.recvfrom/recvmsg and os.read map 1:1 onto the syscalls (Node's libuv may batch
// them). The child says "ready" once its imports are done and then waits in select(2), not read(2),
// so the only read(2) calls after the plugin attaches are the ones it is told to make.
const CHILD = `
import os, select, socket, sys, threading, time
n, call, slow, pause, more = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); rx.bind(('127.0.0.1', 0))
tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
def burst(k):
    for i in range(k):
        tx.sendto(b'x' * 100, rx.getsockname())
        if call == 'recvfrom': rx.recvfrom(2048)
        elif call == 'recvmsg': rx.recvmsg(2048)
        else: os.read(rx.fileno(), 2048)
print('ready', flush=True)
select.select([sys.stdin], [], [])
burst(n)
for i in range(slow):
    threading.Timer(0.03, lambda: tx.sendto(b'y' * 10, rx.getsockname())).start()
    rx.recvfrom(2048)
if more:
    time.sleep(pause)
    burst(more)
`;

// The --port / --process scenario: prints "ready <P>" where P is the port of its first socket.
const PORT_CHILD = `
import os, select, socket, sys
n, m, k = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
def udp(): s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('127.0.0.1', 0)); return s
rx, peer, decoy, tx = udp(), udp(), udp(), udp()
peer.connect(rx.getsockname())
r, w = os.pipe()
print('ready', rx.getsockname()[1], flush=True)
select.select([sys.stdin], [], [])
for i in range(n): tx.sendto(b'x' * 100, rx.getsockname()); rx.recvfrom(2048)
for i in range(m): rx.sendto(b'y' * 50, peer.getsockname()); peer.recvfrom(2048)
for i in range(k): tx.sendto(b'z' * 10, decoy.getsockname()); decoy.recvfrom(2048)
for i in range(k): os.write(w, b'p'); os.read(r, 1)
`;

interface Child {
  proc: ChildProcess;
  pid: number;
}

/** The child's first output line, however its writes arrive (unbuffered Python, e.g. with
 * PYTHONUNBUFFERED set, writes print()'s words one at a time). */
async function firstLine(proc: ChildProcess): Promise<string> {
  let text = '';
  while (!text.includes('\n')) {
    const [chunk] = (await Promise.race([once(proc.stdout!, 'data'), once(proc, 'exit').then(() => [null])])) as [Buffer | null];
    if (chunk === null) throw new Error(`the child exited before its first line (got ${JSON.stringify(text)})`);
    text += chunk.toString();
  }
  return text.slice(0, text.indexOf('\n')).trim();
}

/** A receiver that has finished starting up (its own file reads are over) and waits for go(). */
async function child(n: number, call: string, slow = 0, then: { pause: number; more: number } = { pause: 0, more: 0 }): Promise<Child> {
  const proc = spawn('python3', ['-c', CHILD, String(n), call, String(slow), String(then.pause), String(then.more)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  expect(await firstLine(proc)).toBe('ready');
  return { proc, pid: proc.pid! };
}

async function go(c: Child) {
  c.proc.stdin!.write('go\n');
  const [code] = await once(c.proc, 'exit');
  expect(code).toBe(0);
}

type Final = { counters: Record<string, number>; latency: { total: number; buckets: { low: number; high: number; count: number }[] } };

describe('syscall-recv-latency on the live kernel', () => {
  for (const c of [
    { call: 'recvfrom', n: 25 },
    { call: 'recvmsg', n: 13 },
  ]) {
    it(`counts exactly ${c.n} ${c.call} calls of one pid`, async () => {
      const proc = await child(c.n, c.call);
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

  it('traces read(2) by default, as BCC did: a reader that receives with read() is counted exactly', async () => {
    const proc = await child(17, 'read');
    const run = await runWith('syscall-recv-latency', ['--pid', String(proc.pid), '-o', 'json'], () => go(proc));
    const header = run.json[0] as { plan: { hook: string; chosen: unknown }[] };
    expect(header.plan.filter((p) => p.hook.endsWith('_read') && p.chosen)).toHaveLength(2);
    const final = run.json.find((r) => r.type === 'final') as unknown as Final;
    expect(final.counters.calls).toBe(17);
    expect(final.counters.bytes).toBe(17 * 100);
    expect(final.latency.total).toBe(17);
    // --read (earlier command lines) means the same; --no-read leaves read(2) out.
    const withRead = await child(6, 'read');
    const explicit = await runWith('syscall-recv-latency', ['--pid', String(withRead.pid), '--read', '-o', 'json'], () => go(withRead));
    expect((explicit.json.find((r) => r.type === 'final') as unknown as Final).counters.calls).toBe(6);
    const without = await child(9, 'read');
    const off = await runWith('syscall-recv-latency', ['--pid', String(without.pid), '--no-read', '-o', 'json'], () => go(without));
    expect((off.json.find((r) => r.type === 'final') as unknown as Final).counters.calls).toBe(0);
  });

  it('-c (BCC command lines) with -i 1: each interval holds its own calls, the final report all of them', async () => {
    // 20 calls, a pause spanning at least two interval reports, then 5: running totals would
    // report the first 20 again in every later interval.
    const proc = await child(20, 'recvfrom', 0, { pause: 2.5, more: 5 });
    const run = await runWith('syscall-recv-latency', ['--pid', String(proc.pid), '-c', '-i', '1', '-o', 'json'], () => go(proc));
    const reports = run.json.filter((r) => r.type === 'interval') as unknown as Final[];
    expect(reports.length).toBeGreaterThanOrEqual(2);
    const final = run.json.find((r) => r.type === 'final') as unknown as Final;
    expect(final.counters.calls).toBe(25);
    const perInterval = reports.map((r) => r.counters.calls);
    expect(perInterval.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(25);
    expect(perInterval.every((n) => n <= 20)).toBe(true);
    expect(reports.map((r) => r.latency.total)).toEqual(perInterval);
  });

  it('reports each call above --threshold as an event, and only those', async () => {
    const proc = await child(10, 'recvfrom', 3);
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

  it('--port keeps calls on sockets with that local or remote port; --process keeps every call of tasks of that name', async () => {
    // One process: n recvfrom on a socket bound to P, m on a socket connected to P, k on a decoy
    // socket and k read(2) on a pipe. Started through a symlink, so its name (comm) is its own.
    const dir = mkdtempSync(join(tmpdir(), 'nt-srl-'));
    const exe = join(dir, 'nt-recv-probe');
    // The interpreter itself, not a wrapper script (pyenv's shim would look for a python named like the link).
    const python = execFileSync('python3', ['-c', 'import os, sys; print(os.path.realpath(sys.executable))']).toString().trim();
    symlinkSync(python, exe);
    const [n, m, k] = [7, 5, 4];
    const start = async () => {
      const proc = spawn(exe, ['-c', PORT_CHILD, String(n), String(m), String(k)], { stdio: ['pipe', 'pipe', 'inherit'] });
      const [word, port] = (await firstLine(proc)).split(' ');
      expect(word).toBe('ready');
      return { child: { proc, pid: proc.pid! }, port };
    };
    try {
      const a = await start();
      const byPort = await runWith('syscall-recv-latency', ['--port', a.port, '-o', 'json'], () => go(a.child));
      const portFinal = byPort.json.find((r) => r.type === 'final') as unknown as Final;
      expect(portFinal.counters.calls).toBe(n + m);
      expect(portFinal.counters.bytes).toBe(n * 100 + m * 50);

      const b = await start();
      const byName = await runWith('syscall-recv-latency', ['--process', 'nt-recv-probe', '-o', 'json'], () => go(b.child));
      const nameFinal = byName.json.find((r) => r.type === 'final') as unknown as Final;
      expect(nameFinal.counters.calls).toBe(n + m + 2 * k);
      expect(nameFinal.counters.bytes).toBe(n * 100 + m * 50 + k * 10 + k);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints the histogram with the shared bucket labels in table mode', async () => {
    const proc = await child(5, 'recvfrom');
    const run = await runWith('syscall-recv-latency', ['--pid', String(proc.pid)], () => go(proc));
    const text = run.lines.join('\n');
    expect(text).toMatch(/calls\s+5/);
    expect(text).toMatch(/us\s+: count\s+distribution/);
    expect(text).toMatch(/\d+ -> \d+\s+: \d+/);
  });
});
