// The loop's learning-rate schedules: warm-up, then inverse square root (the default) or a linear
// decay that reaches zero where the budget (steps or minutes) ends.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import type { TrainingEngine } from '../src/train/engine.js';
import { learningRate, type LoopOptions, trainLoop } from '../src/train/trainLoop.js';

/** An engine that only records the learning rate and progress each step is given. */
function recordingEngine(delayMs = 0) {
  const steps: Array<{ lr: number; progress: number }> = [];
  const engine: TrainingEngine<number> = {
    label: 'recording',
    step: async (_b, lr, ctx) => {
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      steps.push({ lr, progress: ctx.progress });
      return 1;
    },
    beginInterval: async () => {},
    withAveraged: (fn) => fn(),
    save: async () => {},
    restore: async () => ({}),
    close: async () => {},
  };
  return { engine, steps };
}

const data = {
  epoch: () =>
    (async function* () {
      for (let i = 0; i < 1000; i++) yield i;
    })(),
  size: () => 1,
  unit: 'ex',
};
const dev = { name: 'score', score: async () => 0 };
const opts = (o: Partial<LoopOptions>): LoopOptions => ({
  steps: 11,
  minutes: 0,
  lr: 1,
  warmup: 2,
  evalEvery: 1000,
  checkpointEvery: 1000,
  patience: 5,
  ...o,
});

describe('learningRate', () => {
  it('warms up linearly, then decays by the inverse square root by default', () => {
    expect(learningRate({ lr: 2, warmup: 4 }, 1)).toBeCloseTo(0.5);
    expect(learningRate({ lr: 2, warmup: 4 }, 4)).toBeCloseTo(2);
    expect(learningRate({ lr: 2, warmup: 4 }, 16, 0.9)).toBeCloseTo(1); // the budget's share does not matter
  });
  it('linear: after warm-up, the peak times the budget left', () => {
    const linear = { lr: 2, warmup: 4, decay: 'linear' as const };
    expect(learningRate(linear, 2, 0.1)).toBeCloseTo(1); // still warming up
    expect(learningRate(linear, 8, 0.25)).toBeCloseTo(1.5);
    expect(learningRate(linear, 100, 1)).toBe(0);
  });
});

describe('trainLoop schedules', () => {
  it('linear decay by steps ends at zero on the last step', async () => {
    const { engine, steps } = recordingEngine();
    await trainLoop(engine, data, opts({ decay: 'linear' }), dev, mkdtempSync(join(tmpdir(), 'kd-lr-')), () => {});
    expect(steps).toHaveLength(11);
    expect(steps[0].lr).toBeCloseTo(0.5);
    expect(steps[1].lr).toBeCloseTo(0.9); // step 2: warm-up over, 1/10 of the budget used
    expect(steps[10].lr).toBe(0);
    for (let i = 2; i < steps.length; i++) expect(steps[i].lr).toBeLessThan(steps[i - 1].lr);
  });
  it('linear decay by minutes follows the clock: a run cut by its budget ends on small steps', async () => {
    const { engine, steps } = recordingEngine(20);
    const minutes = 0.4 / 60; // 400 ms at about 20 ms a step
    await trainLoop(
      engine,
      data,
      opts({ steps: 100000, minutes, decay: 'linear', warmup: 1 }),
      dev,
      mkdtempSync(join(tmpdir(), 'kd-lr-')),
      () => {},
    );
    expect(steps.length).toBeGreaterThan(5);
    const last = steps[steps.length - 1];
    expect(last.lr).toBeCloseTo(1 - last.progress, 6);
    expect(last.lr).toBeLessThan(0.5); // the last step starts near the budget's end (20 ms steps, slower under load)
    expect(steps[1].lr).toBeGreaterThan(last.lr);
  });
  it('the default schedule is unchanged', async () => {
    const { engine, steps } = recordingEngine();
    await trainLoop(engine, data, opts({}), dev, mkdtempSync(join(tmpdir(), 'kd-lr-')), () => {});
    expect(steps.map((s) => s.lr)).toEqual(steps.map((_, i) => learningRate({ lr: 1, warmup: 2 }, i + 1)));
  });
});
