// Runs once before a `vitest run`: the plugin × kernel matrix starts empty, so matrix.txt shows
// exactly this run's cells (from test-kernel/test/vm.test.ts and every plugin's kernel.test.ts).
import { clearMatrix } from '../../test-kernel/src/matrix-file.js';

export default function setup(): void {
  clearMatrix();
}
