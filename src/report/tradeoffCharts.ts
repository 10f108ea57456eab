// The distillation trade-off at a glance, for either task: quality against decoding speed and
// against size (the teacher a star), and each student's fidelity to its teacher beside its quality.
// Rows are report.json's, whatever fields they carry: a row missing a number is left out of the
// chart that needs it, never a broken chart.
import { barChart, finite, scatterChart, type Series } from './chartSpecs.js';
import type { ChartBox } from './htmlPage.js';

type Row = Record<string, unknown>;

export interface TradeoffFields {
  label: string; // the row's name field ('system', 'label')
  quality: string; // e.g. 'bleuBeam'
  qualityName: string; // axis title, e.g. 'BLEU (beam 5)'
  speed: string; // e.g. 'sentencesPerSecondBeam'
  speedName: string;
  fidelity: string; // e.g. 'bleuVsTeacher'
  fidelityName: string;
  scale: number; // quality and fidelity shown times this (100 for fractions)
  barAxis: string; // the fidelity chart's axis title (both measures share it)
}

const missing = (id: string, title: string, why: string): ChartBox => ({ id, title, missing: why });

function points(
  rows: Row[],
  f: TradeoffFields,
  x: (r: Row) => number | null,
  colors: Map<string, string>,
  teacher: string,
): Series[] {
  return rows.flatMap((r) => {
    const [px, py] = [x(r), finite(r[f.quality])];
    const label = String(r[f.label]);
    return px === null || py === null
      ? []
      : [
          {
            label,
            points: [{ x: px, y: py * f.scale }],
            color: colors.get(label) ?? '#555',
            teacher: label === teacher,
          },
        ];
  });
}

export function tradeoffCharts(
  rows: Row[],
  f: TradeoffFields,
  colors: Map<string, string>,
  teacher: string,
): ChartBox[] {
  const bySpeed = points(rows, f, (r) => finite(r[f.speed]), colors, teacher);
  const bySize = points(
    rows,
    f,
    (r) => (finite(r.params) === null ? null : (r.params as number) / 1e6),
    colors,
    teacher,
  );
  return [
    bySpeed.length
      ? {
          id: 'tradeoff-speed',
          title: `${f.qualityName} against ${f.speedName}`,
          spec: scatterChart(bySpeed, f.speedName, f.qualityName),
        }
      : missing('tradeoff-speed', `${f.qualityName} against ${f.speedName}`, 'no row has both numbers'),
    bySize.length
      ? {
          id: 'tradeoff-size',
          title: `${f.qualityName} against size`,
          spec: scatterChart(bySize, 'parameters (millions)', f.qualityName),
        }
      : missing(
          'tradeoff-size',
          `${f.qualityName} against size`,
          "no row has a parameter count (a pretrained teacher's is unknown)",
        ),
  ];
}

/** Each student's quality and its fidelity to the teacher, side by side. */
export function fidelityChart(rows: Row[], f: TradeoffFields): ChartBox {
  const students = rows.filter((r) => finite(r[f.fidelity]) !== null);
  const title = `${f.fidelityName} beside ${f.qualityName}`;
  if (!students.length) return missing('fidelity', title, 'no student has a fidelity score');
  const values = (key: string) => students.map((r) => (finite(r[key]) === null ? null : (r[key] as number) * f.scale));
  return {
    id: 'fidelity',
    title,
    spec: barChart(
      students.map((r) => String(r[f.label])),
      [
        { label: f.qualityName, values: values(f.quality), color: '#9bb7d4' },
        { label: f.fidelityName, values: values(f.fidelity), color: '#e07b39' },
      ],
      f.barAxis,
    ),
  };
}
