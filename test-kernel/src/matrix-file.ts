// The plugin × kernel matrix of one `vitest run`, kept on disk because its cells come from many
// test files (the harness suite and each plugin's kernel.test.ts): each file records its cells, and
// matrix.txt (printed by .ci/run) is re-rendered from all of them. The run's global setup clears it.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadMatrix } from './matrix.js';
import { logsDir } from './paths.js';
import { Matrix } from './report.js';
import type { Cell } from './verify-gate.js';

const cellsFile = path.join(logsDir, 'matrix.json');
export const matrixText = path.join(logsDir, 'matrix.txt');

type Stored = Record<string, Record<string, Cell>>; // row → kernel → cell

function read(): Stored {
  return existsSync(cellsFile) ? (JSON.parse(readFileSync(cellsFile, 'utf8')) as Stored) : {};
}

/** Records (or replaces) one cell and re-renders matrix.txt; returns the rendered table. */
export function recordCell(row: string, kernel: string, cell: Cell): string {
  const stored = read();
  stored[row] = { ...stored[row], [kernel]: cell };
  mkdirSync(logsDir, { recursive: true });
  writeFileSync(cellsFile, `${JSON.stringify(stored, null, 2)}\n`);
  const text = renderStored(stored);
  writeFileSync(matrixText, `${text}\n`);
  return text;
}

/** Rows in the order they were first recorded, kernels in kernels.json's order. */
export function renderStored(stored: Stored = read()): string {
  const m = new Matrix([...loadMatrix().kernels.map((k) => k.id), 'live']);
  for (const [row, cells] of Object.entries(stored)) for (const [kernel, cell] of Object.entries(cells)) m.set(row, kernel, cell);
  return m.render();
}

/** A new run starts with an empty matrix. */
export function clearMatrix(): void {
  rmSync(cellsFile, { force: true });
  rmSync(matrixText, { force: true });
}
