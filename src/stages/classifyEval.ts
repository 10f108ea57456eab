// Stage eval (classification): every model on the test set: accuracy, macro-F1, agreement with
// the teacher's predictions, expected calibration error, parameters and examples/s; and each
// model's confidence bins (the report's reliability diagram), a few numbers per bin. With int8,
// each student's int8 graph too (kd export --quantize int8's), right after it in the same run.
import { join } from 'node:path';

import { readLabelled } from '../classify/labelledData.js';
import {
  accuracy,
  agreement,
  type CalibrationBin,
  calibrationBins,
  eceFromBins,
  macroF1,
  predictions,
} from '../classify/metrics.js';
import type { ClassifyEvalRow } from '../report/classifyReport.js';
import { loadClassifiers } from '../runtime/classifierEnsemble.js';
import { Progress } from '../util/progress.js';
import { softmaxRows } from '../util/softmax.js';
import { readLabels } from './classifyPrepare.js';

const TIMED_PASSES = 3;

/** One row's model: its folder, or several (an ensemble: ../runtime/classifierEnsemble.ts); the first is the teacher. */
export interface EvalModel {
  name: string;
  label: string;
  dirs: string[];
  student: boolean; // with config.int8, students also get their int8 graph's row
}

/** int8: each trained student (not the teacher) also as its int8 graph, in a row after its own */
export async function run(
  config: { batchSize: number; backend?: string; int8?: boolean },
  inputs: { prepareDir: string; models: EvalModel[] },
  log: (m: string) => void,
): Promise<{
  rows: ClassifyEvalRow[];
  testExamples: number;
  calibration: Array<{ model: string; bins: CalibrationBin[] }>;
}> {
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
  const evaluate = async (m: EvalModel, int8: boolean) => {
    const model = await loadClassifiers(m.dirs, labels, { int8 });
    await model.logitsFor(texts.slice(0, config.batchSize), config.batchSize); // warm-up, untimed
    // the median of TIMED_PASSES passes over the test set: one pass of a student takes 0.2-0.4 s,
    // and single passes of the same model varied by up to 1.4x (session 10)
    const progress = new Progress(`eval ${m.name}${int8 ? ' int8' : ''}`, TIMED_PASSES * texts.length, 'ex');
    const times: number[] = [];
    let logits: Float32Array | null = null;
    for (let pass = 0; pass < TIMED_PASSES; pass++) {
      const t0 = performance.now();
      logits = await model.logitsFor(texts, config.batchSize, (n) => progress.tick(n));
      times.push((performance.now() - t0) / 1000);
    }
    const seconds = times.sort((a, b) => a - b)[Math.floor(TIMED_PASSES / 2)];
    const probs = softmaxRows(logits!, C);
    progress.finish();
    model.dispose();
    const { pred, confidence } = predictions(probs, C);
    const bins = calibrationBins(
      confidence,
      pred.map((p, i) => p === gold[i]),
    );
    const row: ClassifyEvalRow = {
      name: int8 ? `${m.name}-int8` : m.name,
      label: int8 ? `${m.label} (int8)` : m.label,
      accuracy: accuracy(pred, gold),
      macroF1: macroF1(pred, gold),
      agreement: teacherPred ? agreement(pred, teacherPred) : null,
      ece: eceFromBins(bins),
      params: model.params,
      examplesPerSecond: texts.length / seconds,
      dtype: int8 ? 'int8' : 'fp32',
      sizeBytes: model.sizeBytes,
    };
    log(`[eval] ${row.label}: accuracy ${(100 * row.accuracy).toFixed(2)}`);
    return { row, pred, bins };
  };
  for (const m of inputs.models) {
    const fp32 = await evaluate(m, false);
    teacherPred ??= fp32.pred; // the first model is the teacher
    rows.push(fp32.row);
    calibration.push({ model: m.label, bins: fp32.bins });
    if (config.int8 && m.student) {
      const q = await evaluate(m, true);
      rows.push({ ...q.row, agreementWithFp32: agreement(q.pred, fp32.pred) });
    }
  }
  return { rows, testExamples: texts.length, calibration };
}
