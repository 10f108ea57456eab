// Chart.js specs as plain JSON (no functions: they travel inside the HTML file as data). Three
// shapes serve every chart of the report: lines (one per model), a scatter of models with the
// teacher marked, and grouped bars. Each model keeps one colour across all charts.
import type { ChartConfiguration } from 'chart.js';

export interface Point {
  x: number;
  y: number;
}
export interface Series {
  label: string;
  points: Point[];
  color: string;
  teacher?: boolean;
  dashed?: boolean;
  radius?: number[];
}

// Tableau 10, then golden-angle hues for any model past the tenth
const PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#bcbd22',
  '#7f7f7f',
];
export const TEACHER_COLOR = '#000000';

/** One colour per model name, the same in every chart: the teacher black, the others in order. */
export function modelColors(models: string[], teacher: string): Map<string, string> {
  const colors = new Map<string, string>([[teacher, TEACHER_COLOR]]);
  for (const m of models) {
    if (colors.has(m)) continue;
    const i = colors.size - 1;
    colors.set(m, i < PALETTE.length ? PALETTE[i] : `hsl(${Math.round((i * 137.508) % 360)}, 60%, 42%)`);
  }
  return colors;
}

/** A finite number, or null (missing fields, nulls and NaN never reach a chart). */
export const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

const axis = (title: string, extra: object = {}) => ({
  type: 'linear',
  title: { display: true, text: title },
  ...extra,
});

const options = (x: object, y: object) => ({
  animation: false,
  responsive: true,
  maintainAspectRatio: false,
  scales: { x, y },
  plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
});

/** Curves, one per model (learning curves, a reliability diagram). */
export function lineChart(series: Series[], xTitle: string, yTitle: string): ChartConfiguration {
  const datasets = series.map((s) => ({
    label: s.label,
    data: s.points,
    borderColor: s.color,
    backgroundColor: s.color,
    borderWidth: s.teacher ? 2.5 : 2,
    // a long curve reads better bare; a short one needs its points (one point alone has no line)
    pointRadius: s.radius ?? (s.points.length <= 40 ? 3 : 0),
    pointStyle: s.teacher ? 'rectRot' : 'circle',
    tension: 0,
    borderDash: s.dashed ? [6, 4] : [],
  }));
  return { type: 'line', data: { datasets }, options: options(axis(xTitle), axis(yTitle)) } as ChartConfiguration;
}

/**
 * Models as points (quality against speed or size); the teacher a large star. Speed and size start
 * at zero (ratios read true); grace leaves room past the extremes, where the teacher often sits.
 */
export function scatterChart(series: Series[], xTitle: string, yTitle: string): ChartConfiguration {
  const datasets = series.map((s) => ({
    label: s.label,
    data: s.points,
    borderColor: s.color,
    backgroundColor: s.color,
    pointStyle: s.teacher ? 'star' : 'circle',
    pointRadius: s.teacher ? 12 : 6,
    pointBorderWidth: s.teacher ? 3 : 1,
  }));
  return {
    type: 'scatter',
    data: { datasets },
    options: options(axis(xTitle, { beginAtZero: true, grace: '8%' }), axis(yTitle, { grace: '8%' })),
  } as ChartConfiguration;
}

/** Grouped bars: one group per model, one bar per measure (a zero still shows as a sliver). */
export function barChart(
  labels: string[],
  bars: Array<{ label: string; values: Array<number | null>; color: string }>,
  yTitle: string,
): ChartConfiguration {
  const datasets = bars.map((b) => ({
    label: b.label,
    data: b.values,
    backgroundColor: b.color,
    borderColor: b.color,
    minBarLength: 4,
  }));
  return {
    type: 'bar',
    data: { labels, datasets },
    options: options({ type: 'category' }, axis(yTitle, { beginAtZero: true })),
  } as ChartConfiguration;
}
