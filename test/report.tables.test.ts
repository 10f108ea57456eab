// The report's tables: the Markdown report and the HTML page are written from one column list per
// task, so a row reads the same in both (headings in order, and each cell's text).
import { describe, expect, it } from 'vitest';

import { classifyReportHtml } from '../src/report/classifyHtml.js';
import { classifyReportMarkdown } from '../src/report/classifyReport.js';
import { reportMarkdown } from '../src/report/distillReport.js';
import { markdownTable } from '../src/report/tableColumns.js';
import { translationReportHtml } from '../src/report/translationHtml.js';

/** The first table's headings and first body row, from Markdown or HTML. */
function markdownFirstTable(md: string): { head: string[]; row: string[] } {
  const lines = md.split('\n').filter((l) => l.startsWith('|'));
  const cells = (l: string) => l.slice(2, -2).split(' | ');
  return { head: cells(lines[0]), row: cells(lines[2]) };
}
function htmlFirstTable(html: string): { head: string[]; row: string[] } {
  const table = html.slice(html.indexOf('<table>'), html.indexOf('</table>'));
  const text = (re: RegExp) => [...table.matchAll(re)].map((m) => m[1]);
  const firstRow = table.slice(table.indexOf('<tbody>'));
  return {
    head: text(/<th>([^<]*)<\/th>/g),
    row: [...firstRow.slice(0, firstRow.indexOf('</tr>')).matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]),
  };
}

describe('report tables', () => {
  it('markdownTable: left-aligned names, right-aligned numbers in their formats, — where a value is missing', () => {
    const cols = [
      { key: 'name', heading: 'Name', format: String },
      { key: 'x', heading: 'X', format: (v: number) => v.toFixed(1) },
    ];
    expect(markdownTable([{ name: 'a', x: 1.24 }, { name: 'b', x: null }, { name: 'c' }], cols)).toEqual([
      '| Name | X |',
      '|---|---:|',
      '| a | 1.2 |',
      '| b | — |',
      '| c | — |',
    ]);
  });

  it('translation: the Markdown report and the HTML page show the same columns and figures', () => {
    const row = {
      system: 'Seq-KD',
      bleuGreedy: 10.004,
      bleuBeam: 10.456,
      chrfBeam: 34.951,
      bleuVsTeacher: 20.07,
      params: 1_440_000,
      sizeBytes: 8_890_000,
      sentencesPerSecondGreedy: 431.23,
      sentencesPerSecondBeam: 141.2,
      dtype: 'fp32' as const,
    };
    const md = markdownFirstTable(reportMarkdown('t', [row], 5, []));
    const html = htmlFirstTable(
      translationReportHtml({ title: 't', rows: [row], notes: [], beam: 5, teacher: 'Teacher', training: [] }),
    );
    expect(md.head).toEqual(html.head.slice(0, md.head.length));
    expect(md.row).toEqual(html.row.slice(0, md.row.length));
    expect(md.row).toEqual(['Seq-KD', '10.00', '10.46', '34.95', '20.07', '1.44M', '8.48', '431.2', '141.2']);
  });

  it('classification: the Markdown report and the HTML page show the same columns and figures', () => {
    const row = {
      name: 'kd',
      label: 'Student KD',
      accuracy: 0.77833,
      macroF1: 0.7303,
      agreement: null,
      ece: 0.0787,
      params: 160_000,
      examplesPerSecond: 13689.4,
      dtype: 'fp32' as const,
      sizeBytes: 671_088,
    };
    const md = markdownFirstTable(classifyReportMarkdown('c', [row], []));
    const html = htmlFirstTable(
      classifyReportHtml({ title: 'c', rows: [row], notes: [], teacher: 'T', training: [], calibration: [] }),
    );
    expect(md.head).toEqual(html.head.slice(0, md.head.length));
    expect(md.row).toEqual(html.row.slice(0, md.row.length));
    expect(md.row).toEqual(['Student KD', '77.83', '73.03', '—', '7.87', '0.16M', '0.64', '13689']);
  });
});
