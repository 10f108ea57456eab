// Data-parallel training over worker threads gives the loss curve and parameters of training on
// one thread (float32 tolerance), for CE and for Word-KD with soft targets shipped to the worker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { SentenceSoftTargets, SoftTargetLookup } from '../src/data/softTargets.js';
import { initBackend, tf } from '../src/engine/tf.js';
import { Transformer } from '../src/models/transformer.js';
import { type Batch, rng } from '../src/train/batches.js';
import { autoReplicas, DataParallelGradients, splitBatch } from '../src/train/dataParallel.js';
import { applyGradients, type GradientSource, LocalGradients, targetTokens } from '../src/train/gradients.js';
import type { LossConfig } from '../src/train/lossForBatch.js';

const CONFIG = { vocabSize: 40, dModel: 16, ffDim: 32, heads: 2, encLayers: 1, decLayers: 1, dropout: 0 };
const rand = rng(11);
const row = (len: number) => Array.from({ length: len }, () => 4 + Math.floor(rand() * 36));

function makeBatch(first: number, lens: number[]): Batch {
  const examples = lens.map((len, i) => ({ index: first + i, src: row(len + 1), tgt: row(len) }));
  return {
    examples,
    srcRows: examples.map((e) => [...e.src, 2]),
    tgtIn: examples.map((e) => [1, ...e.tgt]),
    tgtOut: examples.map((e) => [...e.tgt, 2]),
  };
}

const BATCHES = [makeBatch(0, [3, 4, 4, 5, 6]), makeBatch(5, [7, 7, 8]), makeBatch(8, [2, 2, 3, 3, 3, 4, 9])];

/** Top-4 soft targets per target position, normalised, for every sentence of BATCHES. */
const SOFT: SoftTargetLookup = (() => {
  const rows = new Map<number, SentenceSoftTargets>();
  for (const b of BATCHES)
    b.examples.forEach((e, j) => {
      const length = b.tgtOut[j].length;
      const ids = new Int32Array(length * 4).map(() => 4 + Math.floor(rand() * 36));
      const probs = new Float32Array(length * 4).map(() => 0.05 + rand());
      for (let p = 0; p < length; p++) {
        const s = probs.subarray(p * 4, p * 4 + 4).reduce((a, x) => a + x, 0);
        for (let q = 0; q < 4; q++) probs[p * 4 + q] /= s;
      }
      rows.set(e.index, { ids, probs, logProbs1: probs.map(Math.log), length });
    });
  return { manifest: { topK: 4 }, get: (i) => rows.get(i)! };
})();

async function curve(source: GradientSource, model: Transformer, loss: LossConfig, steps: number): Promise<number[]> {
  const opt = tf.train.adam(0.01, 0.9, 0.98, 1e-9);
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const r = await source.compute(BATCHES[s % BATCHES.length], loss, SOFT);
    applyGradients(opt, r.grads);
    losses.push(r.loss);
  }
  opt.dispose();
  return losses;
}

/** The model's parameters set back to seed 5's initial values. */
function reset(model: Transformer): void {
  const fresh = Transformer.init(CONFIG, 5);
  for (const [name, v] of model.params) v.assign(fresh.params.get(name)!);
  fresh.dispose();
}

describe('data-parallel training', () => {
  // one worker for every test below (a worker boots its own engine: seconds on a slow machine);
  // it loads the parameters from shared memory every step, so the models can be reset between tests
  let one: Transformer;
  let two: Transformer;
  let dp: DataParallelGradients;
  beforeAll(async () => {
    await initBackend('wasm');
    one = Transformer.init(CONFIG, 5);
    two = Transformer.init(CONFIG, 5);
    dp = await DataParallelGradients.start(two, 2);
  });
  afterAll(async () => {
    await dp.close();
    one.dispose();
    two.dispose();
  });

  it('splits a batch into contiguous non-empty shards of about equal target tokens', () => {
    const b = BATCHES[2];
    const shards = splitBatch(b, 2);
    expect(shards.flatMap((s) => s.examples.map((e) => e.index))).toEqual(b.examples.map((e) => e.index));
    expect(shards.map(targetTokens)).toEqual([18, 15]);
    expect(splitBatch(makeBatch(0, [5]), 4)).toHaveLength(1);
    expect(splitBatch(BATCHES[1], 3).map((s) => s.examples.length)).toEqual([1, 1, 1]);
  });

  it('chooses replicas only for the JavaScript engines and models worth the messages', () => {
    expect(autoReplicas('wasm', 7_600_000, 2)).toBe(2);
    expect(autoReplicas('wasm', 7_600_000, 64)).toBe(8);
    expect(autoReplicas('wasm', 50_000, 2)).toBe(1);
    expect(autoReplicas('tensorflow', 7_600_000, 2)).toBe(1);
  });

  for (const loss of [
    { kind: 'ce', alpha: 1, temperature: 1 },
    { kind: 'wordkd', alpha: 0.5, temperature: 2 },
  ] as LossConfig[]) {
    it(`gives the loss curve and parameters of one thread (${loss.kind})`, async () => {
      reset(one);
      reset(two);
      const a = await curve(new LocalGradients(one), one, loss, 9);
      const b = await curve(dp, two, loss, 9);
      expect(a[8]).toBeLessThan(a[0]); // it learns
      b.forEach((x, i) => expect(Math.abs(x - a[i]), `step ${i + 1}`).toBeLessThan(1e-4 * Math.max(1, Math.abs(a[i]))));
      for (const [name, v] of one.params) {
        // a key bias moves no attention weight (softmax ignores a shift shared by all keys): its exact
        // gradient is 0, and Adam scales the rounding noise left in its place up to full-size steps
        if (name.endsWith('.k.b')) continue;
        const x = v.dataSync();
        const y = two.params.get(name)!.dataSync();
        let worst = 0;
        for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
        expect(worst, name).toBeLessThan(1e-4);
      }
    });
  }

  it("reports a worker's error as the step's error, and goes on", async () => {
    // the worker's shard of BATCHES[0] is sentences 3 and 4: give them soft targets of the wrong length
    const short: SoftTargetLookup = {
      manifest: { topK: 4 },
      get: (i) => (i >= 3 ? { ...SOFT.get(i), length: 1 } : SOFT.get(i)),
    };
    await expect(dp.compute(BATCHES[0], { kind: 'wordkd', alpha: 0.5, temperature: 2 }, short)).rejects.toThrow(
      /^training worker: soft targets of sentence 3 have 1 positions/,
    );
    const next = await dp.compute(BATCHES[0], { kind: 'ce', alpha: 1, temperature: 1 });
    expect(Number.isFinite(next.loss)).toBe(true);
    tf.dispose(next.grads);
  });
});
