// The classifier distillation report as one HTML page: the table of report.json's rows, learning
// curves, accuracy against speed and size with the teacher marked, agreement with the teacher, and
// the reliability diagram (calibration).
import { classifyColumns, classifyInt8Columns } from './classifyReport.js';
import { distillationPage } from './distillationPage.js';
import { htmlTable } from './htmlTable.js';
import type { TrainingCurve } from './learningCurves.js';
import { type ModelCalibration, reliabilityChart } from './reliabilityChart.js';
import type { TradeoffFields } from './tradeoffCharts.js';

export interface ClassifyHtmlInput {
  title: string;
  rows: readonly object[]; // report.json's rows: ClassifyEvalRow and whatever fields later rows add
  notes: string[];
  teacher: string; // the teacher row's label
  training: TrainingCurve[];
  calibration: ModelCalibration[];
}

export function classifyReportHtml(input: ClassifyHtmlInput): string {
  const rows = input.rows as Array<Record<string, unknown>>;
  const table = htmlTable(rows, [...classifyColumns, ...classifyInt8Columns], ['name']);
  const fields: TradeoffFields = {
    label: 'label',
    quality: 'accuracy',
    qualityName: 'Accuracy (%)',
    speed: 'examplesPerSecond',
    speedName: 'examples/s',
    fidelity: 'agreement',
    fidelityName: 'Agreement with the teacher (%)',
    scale: 100,
    barAxis: '%',
  };
  return distillationPage({
    ...input, // title, notes, teacher, training
    rows,
    table,
    fields,
    devName: 'accuracy (%)',
    intros: {
      curves:
        "Every model's training loss (every 10 steps) and dev accuracy in % (at each evaluation), against step and against wall time.",
      tradeoff: 'Test accuracy against inference speed and against size: the teacher is the star.',
      fidelity:
        "How often each student predicts the teacher's class, beside its accuracy; and how far each model's confidence matches its accuracy (15 equal-width bins, as the ECE column).",
    },
    fidelityHeading: 'Fidelity and calibration',
    moreFidelity: (colors) => [reliabilityChart(input.calibration, colors, input.teacher)],
  });
}
