// A report table's columns, named once per task and written by both the Markdown report and the
// HTML page, so the two cannot drift apart: the same headings, the same formats for the same field.
import { orDash } from './formats.js';

export interface Column {
  key: string;
  heading: string;
  format: (v: number) => string;
}

/** A cell's text: numbers in their column's format, strings as they are, missing values as —. */
function markdownCell(v: unknown, format: (v: number) => string): string {
  if (typeof v === 'number') return orDash(format)(v);
  return v === null || v === undefined ? '—' : String(v);
}

/** A Markdown table (header, alignment, one line per row): the first column left-aligned, the rest right. */
export function markdownTable(rows: ReadonlyArray<object>, columns: Column[]): string[] {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(columns.map((c) => c.heading)),
    `|${columns.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => line(columns.map((c) => markdownCell((r as Record<string, unknown>)[c.key], c.format)))),
  ];
}

/** The precision a row measured (fp32, int8), as the HTML tables show it. */
export const weightsColumn: Column = { key: 'dtype', heading: 'Weights', format: String };
