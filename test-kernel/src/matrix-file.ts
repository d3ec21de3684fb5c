// The plugin × kernel matrix of one `vitest run`, kept on disk because its cells come from many
// test files (the harness suite and each plugin's kernel.test.ts), two of them at a time: each cell
// is its own file (no read-modify-write between workers), and matrix.txt (printed by .ci/run) is
// re-rendered from all of them. The VM project's global setup clears it.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadMatrix } from './matrix.js';
import { logsDir, processTag } from './paths.js';
import { Matrix } from './report.js';
import type { Cell } from './verify-gate.js';

const cellsDir = path.join(logsDir, 'matrix-cells');
export const matrixText = path.join(logsDir, 'matrix.txt');

interface StoredCell {
  row: string;
  kernel: string;
  cell: Cell;
  /** When the row's first cell was recorded (rows render in that order). */
  at: number;
}

function readCells(): StoredCell[] {
  if (!existsSync(cellsDir)) return [];
  return readdirSync(cellsDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(path.join(cellsDir, f), 'utf8')) as StoredCell);
}

const cellFile = (row: string, kernel: string) => path.join(cellsDir, `${encodeURIComponent(row)}@${encodeURIComponent(kernel)}.json`);

/** Records (or replaces) one cell and re-renders matrix.txt; returns the rendered table. */
export function recordCell(row: string, kernel: string, cell: Cell): string {
  mkdirSync(cellsDir, { recursive: true });
  const file = cellFile(row, kernel);
  const tmp = `${file}.tmp-${processTag}`;
  writeFileSync(tmp, `${JSON.stringify({ row, kernel, cell, at: Date.now() } satisfies StoredCell)}\n`);
  renameSync(tmp, file);
  const text = renderStored();
  const textTmp = `${matrixText}.tmp-${processTag}`;
  writeFileSync(textTmp, `${text}\n`);
  renameSync(textTmp, matrixText);
  return text;
}

/** The verifier gate's cell (loaded / attached / failed), unless the plugin's own kernel suite,
 * which ran first on that kernel in this run, already proved its events there: the gate knows less. */
export function recordGateCell(row: string, kernel: string, cell: Cell): void {
  const file = cellFile(row, kernel);
  if (cell.state !== 'failed' && existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as StoredCell;
    if (stored.cell.state === 'events verified') return;
  }
  recordCell(row, kernel, cell);
}

/** Rows in the order they were first recorded, kernels in kernels.json's order. */
export function renderStored(): string {
  const cells = readCells().sort((a, b) => a.at - b.at);
  const m = new Matrix([...loadMatrix().kernels.map((k) => k.id), 'live']);
  for (const c of cells) m.set(c.row, c.kernel, c.cell);
  return m.render();
}

/** A new run starts with an empty matrix. */
export function clearMatrix(): void {
  rmSync(cellsDir, { recursive: true, force: true });
  rmSync(matrixText, { force: true });
}
