// Runs once before a `vitest run`: the plugin × kernel matrix starts empty, so matrix.txt shows
// exactly this run's cells (from test-kernel/test/vm.test.ts and every plugin's kernel.test.ts).
import { clearMatrix } from '../../test-kernel/src/matrix-file.js';

export default function setup(): void {
  // perf-buffer-mode.test.ts reruns live tests in a child vitest: that run is part of this one
  // and must not wipe the cells the earlier kernel tests recorded.
  if (process.env.NETTRACE_TEST_PERF_BUFFER === '1') return;
  clearMatrix();
}
