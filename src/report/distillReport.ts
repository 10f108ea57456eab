// The comparison report: one row per system, the shape of Kim & Rush (2016), Table 1, and for each
// trained student a second row for its int8 export (dtype 'int8', measured in the same eval run),
// with a table of what int8 changes against fp32.
import { fixed, mebibytes, millions, orDash, percent, ratio } from './formats.js';
import { type Column, int8Pairs, markdownTable, weightsColumn } from './tableColumns.js';

export interface ReportRow {
  system: string;
  bleuGreedy: number;
  bleuBeam: number | null; // null: a row without beam output on the whole test set (a peer's)
  chrfBeam: number | null;
  bleuVsTeacher: number | null;
  params: number | null;
  sentencesPerSecondGreedy: number;
  sentencesPerSecondBeam: number | null; // params null: a pretrained ONNX teacher
  /** the ONNX precision measured: fp32, or int8 (kd export --quantize int8); absent in reports written before it */
  dtype?: 'fp32' | 'int8';
  /** bytes on disk of the deployable ONNX files (encoder + merged decoder); null: a pretrained teacher's own files */
  sizeBytes?: number | null;
  /** int8 rows: BLEU of the int8 beam output against the fp32 model's beam output */
  bleuVsFp32?: number;
  /** int8 rows: the share of test sentences whose beam output equals the fp32 model's */
  agreementWithFp32?: number;
}

/** What the eval stage gives for one model: its fp32 measures and, where evaluated, its int8 ones. */
type EvalResult = Omit<ReportRow, 'system' | 'dtype'> & {
  int8?: Omit<ReportRow, 'system' | 'dtype' | 'params'> | null;
};

/** A model's rows: fp32, then int8 where the eval stage measured it. */
export function evalRows(system: string, result: EvalResult): ReportRow[] {
  const { int8, ...fp32 } = result;
  const rows: ReportRow[] = [{ system, ...fp32, dtype: 'fp32' }];
  if (int8) rows.push({ system: `${system} (int8)`, ...int8, params: fp32.params, dtype: 'int8' });
  return rows;
}

const fmt = (x: number | null | undefined, d = 2) => orDash(fixed(d))(x);

/** The table's columns, the Markdown report's and the HTML page's. */
export const translationColumns = (beam: number): Column[] => [
  { key: 'system', heading: 'System', format: String },
  { key: 'bleuGreedy', heading: 'BLEU greedy', format: fixed(2) },
  { key: 'bleuBeam', heading: `BLEU beam ${beam}`, format: fixed(2) },
  { key: 'chrfBeam', heading: 'chrF', format: fixed(2) },
  { key: 'bleuVsTeacher', heading: 'BLEU vs teacher', format: fixed(2) },
  { key: 'params', heading: 'Params', format: millions },
  { key: 'sizeBytes', heading: 'Size MB', format: mebibytes },
  { key: 'sentencesPerSecondGreedy', heading: 'Sent/s greedy', format: fixed(1) },
  { key: 'sentencesPerSecondBeam', heading: `Sent/s beam ${beam}`, format: fixed(1) },
];

/** An int8 row's own fields: columns of the HTML table; the Markdown report has its int8 table instead. */
export const translationInt8Columns: Column[] = [
  weightsColumn,
  { key: 'bleuVsFp32', heading: 'BLEU vs fp32 output', format: fixed(2) },
  { key: 'agreementWithFp32', heading: 'Same output as fp32', format: percent },
];

export function reportMarkdown(title: string, rows: ReportRow[], beam: number, notes: string[]): string {
  const table = markdownTable(rows, translationColumns(beam));
  return [`# ${title}`, '', ...table, '', ...int8Table(rows, beam), ...notes.map((n) => `- ${n}`), ''].join('\n');
}

/** Each int8 row against the fp32 row before it: BLEU change, speed-up, size ratio, agreement. */
function int8Table(rows: ReportRow[], beam: number): string[] {
  const pairs = int8Pairs(rows);
  if (!pairs.length) return [];
  const delta = (a: number | null, b: number | null) =>
    a === null || b === null ? '—' : `${a - b >= 0 ? '+' : ''}${(a - b).toFixed(2)}`;
  return [
    '## int8 against fp32',
    '',
    `| System | BLEU greedy change | BLEU beam ${beam} change | Speed greedy | Speed beam ${beam} | Size | BLEU vs fp32 output | Same output as fp32 |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...pairs.map(
      ([f, q]) =>
        `| ${f.system} | ${delta(q.bleuGreedy, f.bleuGreedy)} | ${delta(q.bleuBeam, f.bleuBeam)} | ${ratio(q.sentencesPerSecondGreedy, f.sentencesPerSecondGreedy)} | ${ratio(q.sentencesPerSecondBeam, f.sentencesPerSecondBeam)} | ${ratio(q.sizeBytes, f.sizeBytes)} | ${fmt(q.bleuVsFp32)} | ${q.agreementWithFp32 === undefined ? '—' : `${(100 * q.agreementWithFp32).toFixed(1)}%`} |`,
    ),
    '',
  ];
}
