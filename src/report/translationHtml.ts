// The translation distillation report as one HTML page: the table of report.json's rows, learning
// curves, BLEU against speed and size with the teacher marked, and fidelity to the teacher.
import { distillationPage } from './distillationPage.js';
import { translationColumns, translationInt8Columns } from './distillReport.js';
import { htmlTable } from './htmlTable.js';
import type { TrainingCurve } from './learningCurves.js';
import type { TradeoffFields } from './tradeoffCharts.js';

export interface TranslationHtmlInput {
  title: string;
  rows: readonly object[]; // report.json's rows: ReportRow and whatever fields later rows add
  notes: string[];
  beam: number;
  teacher: string; // the teacher row's system name
  training: TrainingCurve[];
}

export function translationReportHtml(input: TranslationHtmlInput): string {
  const rows = input.rows as Array<Record<string, unknown>>;
  const b = input.beam;
  // signature, sentences and beam: in the notes and the headings
  const table = htmlTable(
    rows,
    [...translationColumns(b), ...translationInt8Columns],
    ['signature', 'sentences', 'beam'],
  );
  const fields: TradeoffFields = {
    label: 'system',
    quality: 'bleuBeam',
    qualityName: `BLEU (beam ${b})`,
    speed: 'sentencesPerSecondBeam',
    speedName: `sentences/s (beam ${b})`,
    fidelity: 'bleuVsTeacher',
    fidelityName: "BLEU against the teacher's output",
    scale: 1,
    barAxis: 'BLEU',
  };
  return distillationPage({
    ...input, // title, notes, teacher, training
    rows,
    table,
    fields,
    devName: 'BLEU',
    intros: {
      curves:
        "Every model's training loss (every 10 steps) and dev BLEU (at each evaluation), against step and against wall time. Losses differ by objective (Word-KD adds T²·KL to the cross-entropy): compare their shapes, not their levels.",
      tradeoff:
        'Test BLEU against decoding speed and against size: the teacher is the star; a good student sits up and to the right of the baseline.',
      fidelity: "Each student's beam output scored against the reference and against the teacher's beam output.",
    },
    fidelityHeading: 'Fidelity to the teacher',
  });
}
