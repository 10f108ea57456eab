// The classifier distillation report as one HTML page: the table of report.json's rows, learning
// curves, accuracy against speed and size with the teacher marked, agreement with the teacher, and
// the reliability diagram (calibration).
import { modelColors } from './chartSpecs.js';
import { htmlPage } from './htmlPage.js';
import { fixed, htmlTable, millions, percent } from './htmlTable.js';
import { learningCurveCharts, type TrainingCurve } from './learningCurves.js';
import { type ModelCalibration, reliabilityChart } from './reliabilityChart.js';
import { fidelityChart, tradeoffCharts, type TradeoffFields } from './tradeoffCharts.js';

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
  const table = htmlTable(
    rows,
    [
      { key: 'label', heading: 'Model', format: String },
      { key: 'accuracy', heading: 'Accuracy', format: percent },
      { key: 'macroF1', heading: 'Macro-F1', format: percent },
      { key: 'agreement', heading: 'Agreement with teacher', format: percent },
      { key: 'ece', heading: 'ECE', format: percent },
      { key: 'params', heading: 'Params', format: millions },
      { key: 'examplesPerSecond', heading: 'Examples/s', format: fixed(0) },
    ],
    ['name'],
  );
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
  const colors = modelColors(
    [...rows.map((r) => String(r.label)), ...input.training.map((c) => c.model)],
    input.teacher,
  );
  return htmlPage({
    title: input.title,
    table,
    notes: input.notes,
    sections: [
      {
        heading: 'Learning curves',
        intro:
          "Every model's training loss (every 10 steps) and dev accuracy in % (at each evaluation), against step and against wall time.",
        charts: learningCurveCharts(input.training, 'accuracy (%)', colors, input.teacher),
      },
      {
        heading: 'The distillation trade-off',
        intro: 'Test accuracy against inference speed and against size: the teacher is the star.',
        charts: tradeoffCharts(rows, fields, colors, input.teacher),
      },
      {
        heading: 'Fidelity and calibration',
        intro:
          "How often each student predicts the teacher's class, beside its accuracy; and how far each model's confidence matches its accuracy (15 equal-width bins, as the ECE column).",
        charts: [fidelityChart(rows, fields), reliabilityChart(input.calibration, colors, input.teacher)],
      },
    ],
  });
}
