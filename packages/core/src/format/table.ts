// Aligned text tables: numbers right-aligned, text left-aligned, headers in capitals.
import type { Column } from '../report.js';

function cell(value: unknown): string {
  if (value === undefined || value === null || value === '') return '-';
  if (Array.isArray(value)) return value.join(';');
  return String(value);
}

export function renderTable(columns: Column[], rows: Record<string, unknown>[]): string {
  const text = rows.map((r) => columns.map((c) => cell(c.value ? c.value(r) : r[c.key])));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...text.map((t) => t[i].length)));
  const align = columns.map((c, i) => c.align ?? (rows.length && typeof (c.value ? c.value(rows[0]) : rows[0][c.key]) === 'number' ? 'right' : 'left'));
  const line = (cells: string[]) =>
    cells
      .map((s, i) => (i === cells.length - 1 && align[i] === 'left' ? s : align[i] === 'right' ? s.padStart(widths[i]) : s.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...text.map(line)].join('\n');
}
