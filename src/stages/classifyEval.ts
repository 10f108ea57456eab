// Stage eval (classification): every model on the test set: accuracy, macro-F1, agreement with
// the teacher's predictions, expected calibration error, parameters and examples/s; and each
// model's confidence bins (the report's reliability diagram), a few numbers per bin.
import { join } from 'node:path';
import { loadClassifier } from '../runtime/classifier.js';
import { readLabelled } from '../classify/labelledData.js';
import { accuracy, agreement, calibrationBins, eceFromBins, macroF1, predictions, type CalibrationBin } from '../classify/metrics.js';
import { Progress } from '../util/progress.js';
import type { ClassifyEvalRow } from '../report/classifyReport.js';
import { softmaxRows } from '../util/softmax.js';
import { readLabels } from './classifyPrepare.js';


export async function run(config: { batchSize: number; backend?: string }, inputs: { prepareDir: string; models: Array<{ name: string; label: string; dir: string }> },
  log: (m: string) => void): Promise<{ rows: ClassifyEvalRow[]; testExamples: number; calibration: Array<{ model: string; bins: CalibrationBin[] }> }> {
  const labels = readLabels(inputs.prepareDir);
  const C = labels.length;
  const texts: string[] = [];
  const gold: number[] = [];
  for await (const x of readLabelled(join(inputs.prepareDir, 'data', 'test.tsv'), labels, Infinity)) {
    texts.push(x.text);
    gold.push(x.label);
  }
  const rows: ClassifyEvalRow[] = [];
  const calibration: Array<{ model: string; bins: CalibrationBin[] }> = [];
  let teacherPred: number[] | null = null;
  for (const m of inputs.models) {
    const model = await loadClassifier(m.dir, labels);
    await model.logitsFor(texts.slice(0, config.batchSize), config.batchSize); // warm-up, untimed
    const progress = new Progress(`eval ${m.name}`, texts.length, 'ex');
    const t0 = performance.now();
    const probs = softmaxRows(await model.logitsFor(texts, config.batchSize, (n) => progress.tick(n)), C);
    const seconds = (performance.now() - t0) / 1000;
    progress.finish();
    const { pred, confidence } = predictions(probs, C);
    teacherPred ??= pred; // the first model is the teacher
    const bins = calibrationBins(confidence, pred.map((p, i) => p === gold[i]));
    calibration.push({ model: m.label, bins });
    rows.push({
      name: m.name, label: m.label, accuracy: accuracy(pred, gold), macroF1: macroF1(pred, gold),
      agreement: rows.length ? agreement(pred, teacherPred) : null,
      ece: eceFromBins(bins),
      params: model.params, examplesPerSecond: texts.length / seconds,
    });
    log(`[eval] ${m.label}: accuracy ${(100 * rows.at(-1)!.accuracy).toFixed(2)}`);
    model.dispose();
  }
  return { rows, testExamples: texts.length, calibration };
}
