// The perf-buffer channel (kernels without BPF ring buffers, or --perf-buffer) must pass the same
// event tests as the ring buffer: each streaming plugin's live tests run again, unchanged, with
// NETTRACE_TEST_PERF_BUFFER=1 (tooling/test-support/run.ts then adds --perf-buffer).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '../..');
const STREAMING = [
  'eth-drop',
  'ksoftirqd-sched-latency',
  'qdisc-latency-details',
  'syscall-recv-latency',
  'tcp-perf-observer',
  'vm-pair-latency',
  'vxlan-tracer',
];

describe('perf-buffer mode', () => {
  for (const id of STREAMING) {
    it(`${id}: the live event tests pass through perf buffers`, () => {
      const r = spawnSync('npx', ['vitest', 'run', `plugins/${id}/test/live.test.ts`, '--reporter=dot', '--outputFile.json=tooling/.cache/perf-mode.json'], {
        cwd: root,
        env: { ...process.env, NETTRACE_TEST_PERF_BUFFER: '1', NO_COLOR: '1', FORCE_COLOR: '0' },
        encoding: 'utf8',
        timeout: 300_000,
      });
      expect(r.status, `${r.stdout}\n${r.stderr}`.slice(-3000)).toBe(0);
      expect(r.stdout).toMatch(/Tests\s+\d+ passed/);
    }, 320_000);
  }
});
