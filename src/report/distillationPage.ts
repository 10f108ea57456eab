// The page both tasks' HTML reports share: the table, then three sections — learning curves, the
// distillation trade-off (quality against speed and size, the teacher a star) and fidelity to the
// teacher, with whatever charts a task adds there (the classifier's reliability diagram). Each task
// says only its fields and its words (./translationHtml.ts, ./classifyHtml.ts).
import { modelColors } from './chartSpecs.js';
import { type ChartBox, htmlPage } from './htmlPage.js';
import { learningCurveCharts, type TrainingCurve } from './learningCurves.js';
import { fidelityChart, tradeoffCharts, type TradeoffFields } from './tradeoffCharts.js';

export interface DistillationPage {
  title: string;
  table: string;
  notes: string[];
  rows: Array<Record<string, unknown>>;
  fields: TradeoffFields;
  teacher: string;
  training: TrainingCurve[];
  devName: string; // the dev score's axis name
  intros: { curves: string; tradeoff: string; fidelity: string };
  fidelityHeading: string;
  /** charts after the fidelity bars, drawn in the models' colours */
  moreFidelity?: (colors: Map<string, string>) => ChartBox[];
}

export function distillationPage(p: DistillationPage): string {
  const names = [...p.rows.map((r) => String(r[p.fields.label])), ...p.training.map((c) => c.model)];
  const colors = modelColors(names, p.teacher);
  return htmlPage({
    title: p.title,
    table: p.table,
    notes: p.notes,
    sections: [
      {
        heading: 'Learning curves',
        intro: p.intros.curves,
        charts: learningCurveCharts(p.training, p.devName, colors, p.teacher),
      },
      {
        heading: 'The distillation trade-off',
        intro: p.intros.tradeoff,
        charts: tradeoffCharts(p.rows, p.fields, colors, p.teacher),
      },
      {
        heading: p.fidelityHeading,
        intro: p.intros.fidelity,
        charts: [fidelityChart(p.rows, p.fields), ...(p.moreFidelity?.(colors) ?? [])],
      },
    ],
  });
}
