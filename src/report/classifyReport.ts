// The classification distillation report as a Markdown table (one row per model).
/** One model's row of a classification report (the eval stage writes them). */
export interface ClassifyEvalRow {
  name: string; label: string; accuracy: number; macroF1: number; agreement: number | null; ece: number;
  params: number | null; examplesPerSecond: number;
}

const pct = (x: number | null) => (x === null ? '—' : (100 * x).toFixed(2));

export function classifyReportMarkdown(name: string, rows: ClassifyEvalRow[], notes: string[]): string {
  const head = '| Model | Accuracy | Macro-F1 | Agreement with teacher | ECE | Params | Examples/s |\n|---|---:|---:|---:|---:|---:|---:|';
  const body = rows.map((r) => `| ${r.label} | ${pct(r.accuracy)} | ${pct(r.macroF1)} | ${pct(r.agreement)} | ${pct(r.ece)} | ${r.params === null ? '—' : `${(r.params / 1e6).toFixed(2)}M`} | ${r.examplesPerSecond.toFixed(0)} |`);
  return `# Classifier distillation report: ${name}\n\n${head}\n${body.join('\n')}\n\n${notes.map((n) => `- ${n}`).join('\n')}\n`;
}
