// Learning curves from the training loop's history (src/train/trainLoop.ts records the loss every
// 10 steps and the dev score at every evaluation, each with the wall time since the run began):
// training loss and dev score against step and against minutes, every model on one chart.
import { lineChart, type Point, type Series } from './chartSpecs.js';
import type { ChartBox } from './htmlPage.js';

// six significant digits: the page carries thousands of points, and no chart shows a seventh
const r6 = (v: number) => Number(v.toPrecision(6));
const at = (p: HistoryPoint, x: 'step' | 'minutes') => (x === 'step' ? p.step : r6(p.seconds / 60));

export interface HistoryPoint {
  step: number;
  seconds: number;
  loss: number;
  dev?: number;
}
export interface TrainingCurve {
  model: string;
  history: HistoryPoint[];
}

/** A training stage's result (its result.json) as a curve; null when it has no history (a pretrained teacher). */
export function trainingCurve(model: string, stageResult: unknown): TrainingCurve | null {
  const history = (stageResult as { history?: unknown } | undefined)?.history;
  return Array.isArray(history) ? { model, history: history as HistoryPoint[] } : null;
}

/** The loss at each step once (an evaluation step is recorded twice: as a loss point and with its dev score). */
export function lossPoints(h: HistoryPoint[], x: 'step' | 'minutes'): Point[] {
  const seen = new Set<number>();
  const out: Point[] = [];
  for (const p of h) {
    if (!Number.isFinite(p.loss) || seen.has(p.step)) continue;
    seen.add(p.step);
    out.push({ x: at(p, x), y: r6(p.loss) });
  }
  return out;
}

export function devPoints(h: HistoryPoint[], x: 'step' | 'minutes'): Point[] {
  return h
    .filter((p) => typeof p.dev === 'number' && Number.isFinite(p.dev))
    .map((p) => ({ x: at(p, x), y: r6(p.dev!) }));
}

/** Four charts: loss and dev score, each against step and against wall time. */
export function learningCurveCharts(
  curves: TrainingCurve[],
  devName: string,
  colors: Map<string, string>,
  teacher: string,
): ChartBox[] {
  const series = (points: (h: HistoryPoint[]) => Point[]): Series[] =>
    curves.map((c) => ({
      label: c.model,
      points: points(c.history),
      color: colors.get(c.model) ?? '#555',
      teacher: c.model === teacher,
    }));
  const box = (id: string, title: string, s: Series[], xTitle: string, yTitle: string): ChartBox =>
    s.some((x) => x.points.length)
      ? { id, title, spec: lineChart(s, xTitle, yTitle) }
      : {
          id,
          title,
          missing: 'no training history (every model here was pretrained, or trained before kd recorded one)',
        };
  return [
    box(
      'curve-loss-step',
      'Training loss against step',
      series((h) => lossPoints(h, 'step')),
      'step',
      'training loss',
    ),
    box(
      'curve-loss-time',
      'Training loss against wall time',
      series((h) => lossPoints(h, 'minutes')),
      'minutes of training',
      'training loss',
    ),
    box(
      'curve-dev-step',
      `Dev ${devName} against step`,
      series((h) => devPoints(h, 'step')),
      'step',
      `dev ${devName}`,
    ),
    box(
      'curve-dev-time',
      `Dev ${devName} against wall time`,
      series((h) => devPoints(h, 'minutes')),
      'minutes of training',
      `dev ${devName}`,
    ),
  ];
}
