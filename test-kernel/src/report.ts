// The matrix printed at the end of a run: one row per plugin (and the harness itself), one column
// per kernel, each cell a state; reasons and failures go below the table as numbered notes so the
// table stays readable and nothing is cut.
import type { Cell } from './verify-gate.js';

export class Matrix {
  private readonly cells = new Map<string, Cell>();
  readonly rows: string[] = [];
  readonly columns: string[] = [];

  /** Columns appear in `columnOrder`'s order (kernels as kernels.json lists them), others after. */
  constructor(private readonly columnOrder: string[] = []) {}

  set(row: string, column: string, cell: Cell): void {
    if (!this.rows.includes(row)) this.rows.push(row);
    if (!this.columns.includes(column)) {
      this.columns.push(column);
      const rank = (c: string) => (this.columnOrder.includes(c) ? this.columnOrder.indexOf(c) : this.columnOrder.length);
      this.columns.sort((a, b) => rank(a) - rank(b));
    }
    this.cells.set(`${row}\0${column}`, cell);
  }

  get(row: string, column: string): Cell | undefined {
    return this.cells.get(`${row}\0${column}`);
  }

  failed(): boolean {
    return [...this.cells.values()].some((c) => c.state === 'failed');
  }

  render(): string {
    const notes: string[] = [];
    const text = (cell: Cell | undefined): string => {
      if (!cell) return '-';
      if (!cell.detail) return cell.state;
      // One note per distinct reason: the same cause on every kernel is listed once.
      if (!notes.includes(cell.detail)) notes.push(cell.detail);
      return `${cell.state} [${notes.indexOf(cell.detail) + 1}]`;
    };
    const header = ['plugin \\ kernel', ...this.columns];
    const body = this.rows.map((r) => [r, ...this.columns.map((c) => text(this.get(r, c)))]);
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
    const line = (cols: string[]) =>
      cols
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd();
    const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
    if (notes.length > 0) out.push('', ...notes.map((n, i) => `[${i + 1}] ${n.replace(/\n/g, '\n    ')}`));
    return out.join('\n');
  }
}
