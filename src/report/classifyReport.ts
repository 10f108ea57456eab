// The classification distillation report as a Markdown table (one row per model; each student's
// int8 graph, where the eval stage measured it, in a row after its own).
import { fixed, mebibytes, millions, orDash, percent, ratio } from './formats.js';
import { type Column, int8Pairs, markdownTable, weightsColumn } from './tableColumns.js';

/** One model's row of a classification report (the eval stage writes them). */
export interface ClassifyEvalRow {
  name: string;
  label: string;
  accuracy: number;
  macroF1: number;
  agreement: number | null;
  ece: number;
  params: number | null;
  examplesPerSecond: number;
  /** the graph's precision: fp32, or int8 (kd export --quantize int8); absent in reports written before it */
  dtype?: 'fp32' | 'int8';
  /** bytes of its ONNX graph as a file (onnx/model.onnx or model_quantized.onnx); null: a pretrained export */
  sizeBytes?: number | null;
  /** int8 rows: how often it predicts what the same model in fp32 predicts */
  agreementWithFp32?: number;
}

const pct = orDash(percent);

/** The table's columns, the Markdown report's and the HTML page's. */
export const classifyColumns: Column[] = [
  { key: 'label', heading: 'Model', format: String },
  { key: 'accuracy', heading: 'Accuracy', format: percent },
  { key: 'macroF1', heading: 'Macro-F1', format: percent },
  { key: 'agreement', heading: 'Agreement with teacher', format: percent },
  { key: 'ece', heading: 'ECE', format: percent },
  { key: 'params', heading: 'Params', format: millions },
  { key: 'sizeBytes', heading: 'Size MB', format: mebibytes },
  { key: 'examplesPerSecond', heading: 'Examples/s', format: fixed(0) },
];

/** An int8 row's own fields: columns of the HTML table; the Markdown report has its int8 table instead. */
export const classifyInt8Columns: Column[] = [
  weightsColumn,
  { key: 'agreementWithFp32', heading: 'Agreement with fp32', format: percent },
];

export function classifyReportMarkdown(name: string, rows: ClassifyEvalRow[], notes: string[]): string {
  const table = markdownTable(rows, classifyColumns).join('\n');
  return `# Classifier distillation report: ${name}\n\n${table}\n\n${int8Table(rows)}${notes.map((n) => `- ${n}`).join('\n')}\n`;
}

/** Each int8 row against the fp32 row before it: accuracy change, speed-up, size ratio, agreement. */
function int8Table(rows: ClassifyEvalRow[]): string {
  const pairs = int8Pairs(rows);
  if (!pairs.length) return '';
  const lines = pairs.map(
    ([f, q]) =>
      `| ${f.label} | ${(100 * (q.accuracy - f.accuracy)).toFixed(2)} | ${ratio(q.examplesPerSecond, f.examplesPerSecond)} | ${ratio(q.sizeBytes, f.sizeBytes)} | ${pct(q.agreementWithFp32)} |`,
  );
  return `## int8 against fp32\n\n| Model | Accuracy change (points) | Speed | Size | Agreement with fp32 |\n|---|---:|---:|---:|---:|\n${lines.join('\n')}\n\n`;
}
