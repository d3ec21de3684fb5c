import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './tooling/test-support/longest-first.js';

// One run for every tier, in two groups. First the host files (unit tests, live-kernel tests in
// network namespaces), one at a time: BPF tests observe the whole kernel, so two would see each
// other's traffic. Then the VM files (test-kernel suites under qemu TCG), two at a time: each VM
// is one single-threaded qemu, so on this 2-core machine two of them halve the wall time, and they
// share nothing on the host (tooling/test-support/vm-setup.ts prepares what they would).
// The arm64 prebuild's test runs with them: it cross-compiles and emulates an arm64 node, and
// touches no host kernel state the host files observe; so do the arm64 kernel's (qemu-system-aarch64).
const VM_FILES = [
  'plugins/*/test/kernel.test.ts',
  'plugins/*/test/arm64.test.ts',
  'test-kernel/test/vm.test.ts',
  'test-kernel/test/ovs-bridge.test.ts',
  'tooling/test/prebuild-arm64.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 600_000,
    reporters: ['default', 'json'],
    // Longest files first, from measured durations, so the last VM file does not run alone.
    sequence: { sequencer: LongestFirstSequencer },
    // .ci/run turns this into the plain 'N passed, N failed' closing line.
    outputFile: { json: 'tooling/.cache/vitest-results.json' },
    // The worker count is per pool, not per project: host files use forks (one), VM files threads (two).
    poolOptions: { forks: { maxForks: 1, minForks: 1 }, threads: { maxThreads: 2, minThreads: 1 } },
    projects: [
      {
        extends: true,
        test: {
          name: 'host',
          include: ['packages/*/test/**/*.test.ts', 'plugins/*/test/**/*.test.ts', 'tooling/test/**/*.test.ts', 'test-kernel/test/**/*.test.ts'],
          exclude: VM_FILES,
          pool: 'forks',
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'vm',
          include: VM_FILES,
          pool: 'threads',
          sequence: { groupOrder: 1 },
          globalSetup: ['tooling/test-support/vm-setup.ts'],
        },
      },
    ],
  },
});
