// The perf-buffer channel (kernels without BPF ring buffers, or --perf-buffer) must pass the same
// event tests as the ring buffer: each streaming plugin's live tests run again, unchanged, with
// NETTRACE_TEST_PERF_BUFFER=1 (tooling/test-support/run.ts then adds --perf-buffer).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '../..');
const STREAMING = [
  'eth-drop',
  'ksoftirqd-sched-latency',
  'qdisc-latency-details',
  'syscall-recv-latency',
  'tcp-perf-observer',
  'tun-ring-monitor',
  'vm-pair-latency',
  'vxlan-tracer',
];

/** One plugin's live tests in a child vitest, asynchronously: a synchronous wait would block this
 * worker's event loop for the whole file and time out its progress reports to vitest (60 s). */
async function liveTestsThroughPerfBuffers(id: string): Promise<{ status: number | null; output: string }> {
  const child = spawn('npx', ['vitest', 'run', `plugins/${id}/test/live.test.ts`, '--reporter=dot', '--outputFile.json=tooling/.cache/perf-mode.json'], {
    cwd: root,
    env: { ...process.env, NETTRACE_TEST_PERF_BUFFER: '1', NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 300_000,
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const [status] = (await once(child, 'close')) as [number | null];
  return { status, output };
}

describe('perf-buffer mode', () => {
  for (const id of STREAMING) {
    it(`${id}: the live event tests pass through perf buffers`, async () => {
      const r = await liveTestsThroughPerfBuffers(id);
      expect(r.status, r.output.slice(-3000)).toBe(0);
      expect(r.output).toMatch(/Tests\s+\d+ passed/);
    }, 320_000);
  }
});
