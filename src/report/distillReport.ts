// The comparison report: one row per system, the shape of Kim & Rush (2016), Table 1.
export interface ReportRow {
  system: string;
  bleuGreedy: number; bleuBeam: number; chrfBeam: number; bleuVsTeacher: number | null;
  params: number | null; sentencesPerSecondGreedy: number; sentencesPerSecondBeam: number; // params null: a pretrained ONNX teacher
}

const fmt = (x: number | null, d = 2) => (x === null ? '—' : x.toFixed(d));

export function reportMarkdown(title: string, rows: ReportRow[], beam: number, notes: string[]): string {
  const head = `| System | BLEU greedy | BLEU beam ${beam} | chrF | BLEU vs teacher | Params | Sent/s greedy | Sent/s beam ${beam} |`;
  const sep = '|---|---:|---:|---:|---:|---:|---:|---:|';
  const body = rows.map((r) => `| ${r.system} | ${fmt(r.bleuGreedy)} | ${fmt(r.bleuBeam)} | ${fmt(r.chrfBeam)} | ${fmt(r.bleuVsTeacher)} | ${r.params === null ? '—' : `${(r.params / 1e6).toFixed(2)}M`} | ${fmt(r.sentencesPerSecondGreedy, 1)} | ${fmt(r.sentencesPerSecondBeam, 1)} |`);
  return [`# ${title}`, '', head, sep, ...body, '', ...notes.map((n) => `- ${n}`), ''].join('\n');
}
