// Aligned text tables: numbers right-aligned, text left-aligned, headers in capitals.
import type { Column } from '../plugin/report.js';

function cell(value: unknown): string {
  if (value === undefined || value === null || value === '') return '-';
  if (Array.isArray(value)) return value.join(';');
  return String(value);
}

export function renderTable(columns: Column[], rows: Record<string, unknown>[]): string {
  const text = rows.map((r) => columns.map((c) => cell(c.value ? c.value(r) : r[c.key])));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...text.map((t) => t[i].length)));
  const align = columns.map(
    (c) => c.align ?? (rows.length && typeof (c.value ? c.value(rows[0]) : rows[0][c.key]) === 'number' ? 'right' : 'left'),
  );
  const line = (cells: string[]) =>
    cells
      .map((s, i) =>
        i === cells.length - 1 && align[i] === 'left' ? s : align[i] === 'right' ? s.padStart(widths[i]) : s.padEnd(widths[i]),
      )
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...text.map(line)].join('\n');
}

/**
 * A table printed a batch at a time (event streams): the header goes out once, with column widths
 * taken from the first batch; later cells pad to those widths and only a longer cell widens its
 * column, so the columns stay aligned instead of being sized row by row.
 */
export class StreamTable {
  #widths: number[] | undefined;
  #align: ('left' | 'right')[] = [];
  constructor(private readonly columns: Column[]) {}

  lines(rows: Record<string, unknown>[]): string[] {
    const text = rows.map((r) => this.columns.map((c) => cell(c.value ? c.value(r) : r[c.key])));
    const out: string[] = [];
    if (!this.#widths) {
      if (!rows.length) return out;
      this.#widths = this.columns.map((c, i) => Math.max(c.header.length, ...text.map((t) => t[i].length)));
      this.#align = this.columns.map(
        (c) => c.align ?? (typeof (c.value ? c.value(rows[0]) : rows[0][c.key]) === 'number' ? 'right' : 'left'),
      );
      out.push(this.#line(this.columns.map((c) => c.header)));
    }
    for (const t of text) out.push(this.#line(t));
    return out;
  }

  #line(cells: string[]): string {
    const widths = this.#widths!;
    return cells
      .map((s, i) => {
        widths[i] = Math.max(widths[i], s.length);
        if (i === cells.length - 1 && this.#align[i] === 'left') return s;
        return this.#align[i] === 'right' ? s.padStart(widths[i]) : s.padEnd(widths[i]);
      })
      .join('  ')
      .trimEnd();
  }
}
