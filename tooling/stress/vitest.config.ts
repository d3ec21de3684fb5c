import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run stress`: the long flood and soak (tooling/stress/reliability.stress.ts writes
// RELIABILITY.md) and the fault tests, one file at a time on the live kernel. Not part of npm test,
// which runs the quick variants (tooling/test/flood.test.ts, soak-quick.test.ts, faults.test.ts).
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['tooling/stress/*.stress.ts', 'tooling/test/faults.test.ts'],
    fileParallelism: false,
    testTimeout: 4 * 60 * 60_000,
    hookTimeout: 60_000,
  },
});
