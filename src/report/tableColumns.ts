// A report table's columns, named once per task and written by both the Markdown report and the
// HTML page, so the two cannot drift apart: the same headings, the same formats for the same field.
import { orDash } from './formats.js';

export interface Column {
  key: string;
  heading: string;
  format: (v: number) => string;
}

/** A cell's text: strings as they are, numbers in their column's format, missing values as —. */
const markdownCell = (v: unknown, format: (v: number) => string): string =>
  typeof v === 'string' ? v : orDash(format)(v as number | null | undefined);

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

/** Each int8 row with the fp32 row before it (the eval stage writes a student's int8 row right after its own). */
export function int8Pairs<R extends { dtype?: 'fp32' | 'int8' }>(rows: R[]): Array<[fp32: R, int8: R]> {
  return rows.flatMap((r, i) => (r.dtype === 'int8' && rows[i - 1]?.dtype === 'fp32' ? [[rows[i - 1], r]] : []));
}
