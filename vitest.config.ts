import { defineConfig } from 'vitest/config';

// One run for every tier: unit tests, live-kernel tests (root, network namespaces), and the
// test-kernel VM suites. Files run one at a time: the machine has 2 cores, BPF tests observe
// the whole kernel, and the VM suites must not overlap.
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'plugins/*/test/**/*.test.ts', 'tooling/test/**/*.test.ts', 'test-kernel/test/**/*.test.ts'],
    fileParallelism: false,
    globalSetup: ['tooling/test-support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 600_000,
    reporters: ['default', 'json'],
    // .ci/run turns this into the plain 'N passed, N failed' closing line.
    outputFile: { json: 'tooling/.cache/vitest-results.json' },
  },
});
