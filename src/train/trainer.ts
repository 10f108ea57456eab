// The training loop: Adam with warm-up then inverse-square-root decay (Vaswani et al. 2017),
// a checkpoint every N steps (parameters, optimizer moments, data position), resume from it
// after a kill, dev BLEU every M steps with early stopping, and the best parameters kept apart.
import { existsSync } from 'node:fs';
import { yieldToEventLoop } from '../util/yieldToEventLoop.js';
import { join } from 'node:path';
import { tf } from '../engine/tf.js';
import { keepBest, restoreTrainingState, saveTrainingState } from './trainingState.js';
import type { SoftTargetReader } from '../data/softTargets.js';
import type { Transformer } from '../models/transformer.js';
import type { SubwordCodec } from '../tokenize/teacherVocabulary.js';
import { Progress } from '../util/progress.js';
import type { Batch, Example } from './batches.js';
import { arrayExamples, windowedBatches, type ExampleStream } from './exampleStream.js';
import type { LossConfig } from './lossForBatch.js';
import { gradientSource } from './dataParallel.js';
import { applyGradients } from './gradients.js';
import { devBleu } from './devBleu.js';

export interface TrainOptions {
  steps: number;           // default 1000
  batchTokens: number;     // default 2000 (target tokens incl. padding)
  lr: number;              // default 1e-3 (peak)
  warmup: number;          // default 200 steps
  evalEvery: number;       // default 250 steps
  checkpointEvery: number; // default 100 steps
  patience: number;        // default 4 evaluations without a better dev BLEU
  seed: number;            // default 1
  loss: LossConfig;
  replicas?: number;       // default 0: data-parallel replicas on worker threads (0 = auto, src/train/dataParallel.ts)
  shuffleWindow?: number;  // default 100,000 examples: shuffled and batched together (memory bound; src/train/exampleStream.ts)
}

export interface TrainData {
  /** read again every epoch (a file stream: memory holds one shuffle window) */
  train: Example[] | ExampleStream;
  dev: { src: number[][]; refs: string[] };
  tokenizer: SubwordCodec;
  soft?: SoftTargetReader;
}

interface LoopState { step: number; epoch: number; batchInEpoch: number; best: number; bestStep: number; bad: number;
  tokens: number; seconds: number; history: Array<{ step: number; loss: number; devBleu?: number }> }

export interface TrainResult extends LoopState { stoppedEarly: boolean; tokensPerSecond: number; peakRssMb: number }

export async function trainModel(model: Transformer, data: TrainData, opts: TrainOptions, outDir: string,
  log: (m: string) => void): Promise<TrainResult> {
  const optimizer = tf.train.adam(opts.lr, 0.9, 0.98, 1e-9);
  let state: LoopState = { step: 0, epoch: 0, batchInEpoch: 0, best: -1, bestStep: 0, bad: 0, tokens: 0, seconds: 0, history: [] };
  const last = join(outDir, 'last');
  if (existsSync(join(last, 'index.json'))) {
    state = await restoreTrainingState<LoopState>(last, model.params, optimizer);
    log(`resumed from ${last} at step ${state.step}`);
  }
  const examples = Array.isArray(data.train) ? arrayExamples(data.train) : data.train;
  const window = opts.shuffleWindow ?? 100_000;
  const epoch = () => windowedBatches(examples(), window, opts.batchTokens, opts.seed + state.epoch)[Symbol.asyncIterator]();
  let batches = epoch();
  // a resumed run replays its epoch's order up to where the checkpoint was taken
  for (let i = 0; i < state.batchInEpoch; i++) await batches.next();
  const progress = new Progress('train', opts.steps, 'tok');
  const started = performance.now() - state.seconds * 1000;
  let stoppedEarly = false;
  const gradients = await gradientSource(model, opts.replicas ?? 0);
  if (gradients.replicas > 1) log(`training on ${gradients.replicas} data-parallel replicas (worker threads)`);
  const save = async (dir: string, withOptimizer: boolean) => {
    state.seconds = (performance.now() - started) / 1000;
    await saveTrainingState(dir, model.params, withOptimizer ? optimizer : null, state);
  };
  try {
    while (state.step < opts.steps && !stoppedEarly) {
      let next = await batches.next();
      if (next.done) {
        state.epoch++;
        state.batchInEpoch = 0;
        batches = epoch();
        next = await batches.next();
        if (next.done) throw new Error('no training examples');
      }
      state.batchInEpoch++;
      await yieldToEventLoop();
      const batch: Batch = next.value;
      const s = state.step + 1;
      (optimizer as unknown as { learningRate: number }).learningRate = opts.lr * Math.min(s / opts.warmup, Math.sqrt(opts.warmup / s));
      const { loss, grads } = await gradients.compute(batch, opts.loss, data.soft);
      applyGradients(optimizer, grads);
      if (!Number.isFinite(loss)) throw new Error(`training diverged at step ${s} (loss ${loss})`);
      const tokens = batch.tgtOut.reduce((n, t) => n + t.length, 0);
      state.step = s;
      state.tokens += tokens;
      progress.tick(1, `loss ${loss.toFixed(3)}`, tokens);
      if (s % 10 === 0) state.history.push({ step: s, loss });
      if (s % opts.evalEvery === 0 || s === opts.steps) {
        const bleu = await devBleu(model, data.dev, data.tokenizer);
        state.history.push({ step: s, loss, devBleu: bleu });
        log(`step ${s}: dev BLEU ${bleu.toFixed(2)} (best ${Math.max(state.best, 0).toFixed(2)})`);
        if (await keepBest(state, bleu, s, opts.patience, () => save(join(outDir, 'best'), false))) {
          stoppedEarly = true;
          log(`early stop: ${opts.patience} evaluations without a better dev BLEU`);
        }
      }
      if (s % opts.checkpointEvery === 0) await save(last, true);
    }
  } finally {
    await gradients.close();
  }
  await save(last, true);
  return { ...state, stoppedEarly, tokensPerSecond: state.tokens / Math.max(state.seconds, 1e-9), peakRssMb: progress.peakRssMb };
}
