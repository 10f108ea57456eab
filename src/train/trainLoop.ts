// The one training loop, for every model kd trains (translation teachers and students, classifier
// teachers, students and baselines): Adam with warm-up then inverse-square-root decay (Vaswani et al.
// 2017) or a linear decay to zero at the end of the budget (train.decay), a budget in steps and/or
// minutes, a checkpoint every N steps (parameters, optimizer moments, data position) that a killed
// run resumes from, a dev score every M steps with early stopping, and the best parameters kept
// apart (the weight average's, with train.ema).
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { Progress } from '../util/progress.js';
import { yieldToEventLoop } from '../util/yieldToEventLoop.js';
import type { TrainingEngine } from './engine.js';

/** the learning rate's decay after warm-up (LoopOptions.decay); the first is the default */
export const LR_DECAYS = ['rsqrt', 'linear'] as const;
export type LrDecay = (typeof LR_DECAYS)[number];

export interface LoopOptions {
  steps: number; // at most this many steps
  minutes: number; // and at most this many minutes of training (0 = no limit)
  lr: number; // peak learning rate
  warmup: number; // steps of linear warm-up
  // after warm-up: 'rsqrt' (default) lr * sqrt(warmup / step); 'linear' lr * (1 - the budget's used
  // fraction, by steps or minutes whichever is further), zero when the budget ends. A run cut by
  // the clock then ends on small steps, as a run of steps does (Li et al. 2020, budgeted training)
  decay?: LrDecay;
  evalEvery: number; // steps between dev evaluations
  checkpointEvery: number; // steps between checkpoints
  patience: number; // evaluations without a better dev score before stopping
}

export interface LoopData<B> {
  /** the batches of epoch `index` (the same order every time it is asked for) */
  epoch(index: number): AsyncIterator<B>;
  /** what a batch counts for the rate: target tokens, or examples */
  size(batch: B): number;
  unit: string;
}

export interface LoopState {
  step: number;
  epoch: number;
  batchInEpoch: number;
  best: number;
  bestStep: number;
  bad: number;
  tokens: number;
  seconds: number;
  history: Array<{ step: number; seconds: number; loss: number; dev?: number }>;
}

export interface LoopResult extends LoopState {
  stoppedEarly: boolean;
  stoppedByClock: boolean;
  perSecond: number;
  peakRssMb: number;
}

/** rsqrt: lr * min(step / warmup, sqrt(warmup / step)); linear: lr * min(step / warmup, 1 - used) */
export function learningRate(opts: Pick<LoopOptions, 'lr' | 'warmup' | 'decay'>, step: number, used = 0): number {
  const warmup = Math.max(opts.warmup, 1);
  const after = opts.decay === 'linear' ? Math.max(0, 1 - used) : Math.sqrt(warmup / step);
  return opts.lr * Math.min(step / warmup, after);
}

export async function trainLoop<B>(
  engine: TrainingEngine<B>,
  data: LoopData<B>,
  opts: LoopOptions,
  dev: { name: string; score: () => Promise<number> },
  outDir: string,
  log: (m: string) => void,
): Promise<LoopResult> {
  // best starts at -1, below any dev score (BLEU, accuracy), and survives JSON (-Infinity becomes null
  // in a checkpoint, and null beat nothing: a resumed run then never saved its best; found by kill -9 tests)
  let state: LoopState = {
    step: 0,
    epoch: 0,
    batchInEpoch: 0,
    best: -1,
    bestStep: 0,
    bad: 0,
    tokens: 0,
    seconds: 0,
    history: [],
  };
  const last = join(outDir, 'last');
  for (const dir of [last, `${last}.prev`]) {
    if (!existsSync(join(dir, 'index.json'))) continue;
    try {
      state = (await engine.restore(dir)) as LoopState;
      log(`resumed from ${dir} at step ${state.step}`);
      break;
    } catch (e) {
      // a corrupt last checkpoint: the one before it, if it is whole, loses a checkpoint interval, not the run
      if (dir !== last || !existsSync(join(`${last}.prev`, 'index.json'))) throw e;
      log(`${(e as Error).message.split(';')[0]}: resuming from the checkpoint before it`);
    }
  }
  let batches = data.epoch(state.epoch);
  // a resumed run replays its epoch's order up to where the checkpoint was taken
  for (let i = 0; i < state.batchInEpoch; i++) await batches.next();
  const progress = new Progress('train', opts.steps, data.unit, state.step);
  const started = performance.now() - state.seconds * 1000;
  const elapsed = () => (performance.now() - started) / 1000;
  const budget = opts.minutes > 0 ? opts.minutes * 60 : Infinity;
  progress.setBudget(budget - state.seconds);
  const save = async (dir: string, withOptimizer: boolean) => {
    state.seconds = elapsed();
    await engine.save(dir, withOptimizer, state);
  };
  let stoppedEarly = false;
  let stoppedByClock = false;
  let interval = -1;
  // scored and kept as best: the weight average where training keeps one (train.ema)
  const evaluate = (s: number, loss: number) =>
    engine.withAveraged(async () => {
      const score = await dev.score();
      state.history.push({ step: s, seconds: elapsed(), loss, dev: score });
      progress.log(
        `step ${s}: dev ${dev.name} ${score.toFixed(2)} (best ${Math.max(state.best, score).toFixed(2)})`,
        log,
      );
      if (await keepBest(state, score, s, opts.patience, () => save(join(outDir, 'best'), false))) {
        stoppedEarly = true;
        progress.log(`early stop: ${opts.patience} evaluations without a better dev ${dev.name}`, log);
      }
    });
  try {
    let loss = NaN;
    while (state.step < opts.steps && !stoppedEarly) {
      if (elapsed() >= budget) {
        stoppedByClock = true;
        progress.log(`time budget of ${opts.minutes} min reached at step ${state.step}`, log);
        break;
      }
      let next = await batches.next();
      if (next.done) {
        state.epoch++;
        state.batchInEpoch = 0;
        batches = data.epoch(state.epoch);
        next = await batches.next();
        if (next.done) throw new Error('no training examples');
      }
      state.batchInEpoch++;
      await yieldToEventLoop();
      const s = state.step + 1;
      if (Math.floor(state.step / opts.checkpointEvery) !== interval) {
        interval = Math.floor(state.step / opts.checkpointEvery);
        await engine.beginInterval(interval);
      }
      const used = Math.min(1, Math.max(state.step / Math.max(opts.steps - 1, 1), elapsed() / budget));
      loss = await engine.step(next.value, learningRate(opts, s, used), { step: s, progress: used });
      if (!Number.isFinite(loss)) throw new Error(`training diverged at step ${s} (loss ${loss})`);
      state.step = s;
      state.tokens += data.size(next.value);
      progress.tick(1, `loss ${loss.toFixed(3)}`, data.size(next.value));
      if (s % 10 === 0) state.history.push({ step: s, seconds: elapsed(), loss });
      if (s % opts.evalEvery === 0 || s === opts.steps) await evaluate(s, loss);
      if (s % opts.checkpointEvery === 0) await save(last, true);
    }
    // a run cut by the clock still gets its dev evaluation at the step it reached
    if (stoppedByClock && state.bestStep !== state.step && state.step > 0) await evaluate(state.step, loss);
  } finally {
    progress.finish();
    await engine.close();
  }
  await save(last, true);
  return {
    ...state,
    stoppedEarly,
    stoppedByClock,
    perSecond: state.tokens / Math.max(state.seconds, 1e-9),
    peakRssMb: progress.peakRssMb,
  };
}

/**
 * Early stopping's bookkeeping after a dev evaluation: a better score is kept (and saved as
 * best); returns true once `patience` evaluations in a row have not beaten it.
 */
export async function keepBest(
  state: { best: number; bestStep: number; bad: number },
  score: number,
  step: number,
  patience: number,
  saveBest: () => Promise<void>,
): Promise<boolean> {
  if (score > state.best) {
    Object.assign(state, { best: score, bestStep: step, bad: 0 });
    await saveBest();
    return false;
  }
  return ++state.bad >= patience;
}
