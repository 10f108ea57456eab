// The reliability diagram (Guo et al. 2017, Figure 1): per confidence bin, the accuracy of the
// predictions made with that confidence against their mean confidence; on the diagonal a model is
// calibrated, below it over-confident. Points grow with the bin's share of the test set.
import type { CalibrationBin } from '../classify/metrics.js';
import { lineChart, type Series } from './chartSpecs.js';
import type { ChartBox } from './htmlPage.js';

export interface ModelCalibration {
  model: string;
  bins: CalibrationBin[];
}

export function reliabilityChart(
  calibration: ModelCalibration[],
  colors: Map<string, string>,
  teacher: string,
): ChartBox {
  const title = 'Reliability diagram: accuracy against confidence';
  const models: Series[] = calibration
    .map(({ model, bins }) => {
      const used = bins.filter((b) => b.count > 0);
      const n = used.reduce((s, b) => s + b.count, 0);
      return {
        label: model,
        color: colors.get(model) ?? '#555',
        teacher: model === teacher,
        points: used.map((b) => ({ x: b.confidenceSum / b.count, y: b.correct / b.count })),
        radius: used.map((b) => 2 + 8 * Math.sqrt(b.count / n)),
      };
    })
    .filter((s) => s.points.length);
  if (!models.length) return { id: 'reliability', title, missing: "this run's eval stage kept no confidence bins" };
  const diagonal: Series = {
    label: 'perfectly calibrated',
    color: '#aaaaaa',
    dashed: true,
    points: [
      { x: 0, y: 0 },
      { x: 1, y: 1 },
    ],
    radius: [0, 0],
  };
  const spec = lineChart([diagonal, ...models], 'confidence (mean in bin)', 'accuracy in bin');
  const scales = spec.options!.scales as Record<string, { min?: number; max?: number }>;
  for (const a of ['x', 'y']) Object.assign(scales[a], { min: 0, max: 1 });
  return { id: 'reliability', title, spec };
}
