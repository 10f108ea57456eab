// The report's table in HTML, over rows as report.json holds them. The task names the columns it
// knows; any other field a row carries (a later `dtype: 'int8'`, say) becomes a column of its own,
// so new kinds of rows show up without a change here.
import { escapeHtml } from './htmlPage.js';
import type { Column } from './tableColumns.js';

type Row = Record<string, unknown>;

/** A value of a field no column knows: numbers to 4 significant digits, objects as JSON. */
function plain(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(4);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function cell(v: unknown, format?: (v: number) => string): string {
  if (v === null || v === undefined) return '<td class="num">—</td>';
  if (typeof v === 'number')
    return `<td class="num">${escapeHtml(Number.isFinite(v) && format ? format(v) : plain(v))}</td>`;
  return `<td>${escapeHtml(plain(v))}</td>`;
}

/** `columns` first (in order), then every other field of any row, in the order rows first show them; `hidden` fields left out. */
export function htmlTable(rows: Row[], columns: Column[], hidden: string[] = []): string {
  const known = new Set([...columns.map((c) => c.key), ...hidden]);
  const extra: string[] = [];
  for (const row of rows) for (const k of Object.keys(row)) if (!known.has(k) && !extra.includes(k)) extra.push(k);
  const all: Array<{ key: string; heading: string; format?: (v: number) => string }> = [
    ...columns,
    ...extra.map((key) => ({ key, heading: key })),
  ];
  const head = all.map((c) => `<th>${escapeHtml(c.heading)}</th>`).join('');
  const body = rows.map((r) => `<tr>${all.map((c) => cell(r[c.key], c.format)).join('')}</tr>`).join('\n');
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}
