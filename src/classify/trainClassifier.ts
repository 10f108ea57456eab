// The classifier training loop: Adam with warm-up then inverse-square-root decay, a checkpoint
// every N steps (parameters, optimizer, data position) that a killed run resumes from, dev
// accuracy every M steps with early stopping, the best parameters kept apart, a progress bar.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from '../engine/tf.js';
import { rng } from '../train/batches.js';
import { keepBest, restoreTrainingState, saveTrainingState } from '../train/trainingState.js';
import { Progress } from '../util/progress.js';
import { yieldToEventLoop } from '../util/yieldToEventLoop.js';
import { classifierLoss, type ClassifierLoss } from './losses.js';
import { accuracy, predictions } from './metrics.js';
import { classifyLogits, softmaxRows } from './predict.js';
import type { TextClassifier } from './textClassifier.js';

export interface ClassifierTrainOptions {
  steps: number; batchSize: number; lr: number; warmup: number;
  evalEvery: number; checkpointEvery: number; patience: number; seed: number;
  loss: ClassifierLoss;
}

export interface ClassifierExample { text: string; gold: number; teacherLogits?: Float32Array }

interface LoopState { step: number; epoch: number; batchInEpoch: number; best: number; bestStep: number; bad: number;
  examples: number; seconds: number; history: Array<{ step: number; loss: number; devAccuracy?: number }> }

export interface ClassifierTrainResult extends LoopState { stoppedEarly: boolean; examplesPerSecond: number; peakRssMb: number }

function epochOrder(n: number, seed: number): number[] {
  const random = rng(seed);
  const order = [...Array(n).keys()];
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

export async function trainClassifier(model: TextClassifier, data: { train: ClassifierExample[]; dev: { texts: string[]; gold: number[] } },
  opts: ClassifierTrainOptions, outDir: string, log: (m: string) => void): Promise<ClassifierTrainResult> {
  if (!data.train.length) throw new Error('no training examples');
  const C = model.config.numClasses;
  const vars = [...model.params.values()];
  const optimizer = tf.train.adam(opts.lr, 0.9, 0.98, 1e-9);
  let state: LoopState = { step: 0, epoch: 0, batchInEpoch: 0, best: -1, bestStep: 0, bad: 0, examples: 0, seconds: 0, history: [] };
  const last = join(outDir, 'last');
  if (existsSync(join(last, 'index.json'))) {
    state = await restoreTrainingState<LoopState>(last, model.params, optimizer);
    log(`resumed from ${last} at step ${state.step}`);
  }
  const batchesPerEpoch = Math.ceil(data.train.length / opts.batchSize);
  let order = epochOrder(data.train.length, opts.seed + state.epoch);
  const progress = new Progress('train', opts.steps, 'ex');
  const started = performance.now() - state.seconds * 1000;
  const save = async (dir: string, withOptimizer: boolean) => {
    state.seconds = (performance.now() - started) / 1000;
    await saveTrainingState(dir, model.params, withOptimizer ? optimizer : null, state);
  };
  let stoppedEarly = false;
  while (state.step < opts.steps && !stoppedEarly) {
    if (state.batchInEpoch >= batchesPerEpoch) {
      state.epoch++;
      state.batchInEpoch = 0;
      order = epochOrder(data.train.length, opts.seed + state.epoch);
    }
    await yieldToEventLoop();
    const at = state.batchInEpoch++ * opts.batchSize;
    const batch = order.slice(at, at + opts.batchSize).map((i) => data.train[i]);
    const s = state.step + 1;
    (optimizer as unknown as { learningRate: number }).learningRate = opts.lr * Math.min(s / opts.warmup, Math.sqrt(opts.warmup / s));
    const teacher = opts.loss.kind === 'ce' ? undefined : teacherTensor(batch, C);
    const lossT = optimizer.minimize(() => classifierLoss(model.logits(batch.map((e) => e.text), true),
      { gold: batch.map((e) => e.gold), teacherLogits: teacher }, opts.loss, (s - 1) / Math.max(opts.steps - 1, 1)), true, vars)!;
    teacher?.dispose();
    const loss = (await lossT.data())[0];
    lossT.dispose();
    if (!Number.isFinite(loss)) throw new Error(`training diverged at step ${s} (loss ${loss})`);
    state.step = s;
    state.examples += batch.length;
    progress.tick(1, `loss ${loss.toFixed(3)}`, batch.length);
    if (s % 10 === 0) state.history.push({ step: s, loss });
    if (s % opts.evalEvery === 0 || s === opts.steps) {
      const probs = softmaxRows(await classifyLogits(model, data.dev.texts, 64), C);
      const acc = accuracy(predictions(probs, C).pred, data.dev.gold);
      state.history.push({ step: s, loss, devAccuracy: acc });
      log(`step ${s}: dev accuracy ${(100 * acc).toFixed(2)} (best ${(100 * Math.max(state.best, 0)).toFixed(2)})`);
      if (await keepBest(state, acc, s, opts.patience, () => save(join(outDir, 'best'), false))) {
        stoppedEarly = true;
        log(`early stop: ${opts.patience} evaluations without a better dev accuracy`);
      }
    }
    if (s % opts.checkpointEvery === 0) await save(last, true);
  }
  await save(last, true);
  return { ...state, stoppedEarly, examplesPerSecond: state.examples / Math.max(state.seconds, 1e-9), peakRssMb: progress.peakRssMb };
}

function teacherTensor(batch: ClassifierExample[], C: number): tf.Tensor2D {
  const flat = new Float32Array(batch.length * C);
  batch.forEach((e, i) => {
    if (!e.teacherLogits) throw new Error(`example "${e.text.slice(0, 40)}" has no teacher logits`);
    flat.set(e.teacherLogits, i * C);
  });
  return tf.tensor2d(flat, [batch.length, C]);
}
