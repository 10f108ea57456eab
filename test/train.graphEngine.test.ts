// The training graph (src/models/trainingGraph.ts: forward, loss, autodiff) against the tfjs
// Transformer, the reference: the same parameters and batch give the same loss and gradients for
// every translation loss; and a step of the graph engine moves the weights as Adam says.
import { beforeAll, describe, expect, it } from 'vitest';

import type { SoftTargetLookup } from '../src/data/softTargets.js';
import { initBackend } from '../src/engine/tf.js';
import { translationTrainingGraph } from '../src/models/trainingGraph.js';
import { Transformer } from '../src/models/transformer.js';
import { parameterShapes } from '../src/models/transformerConfig.js';
import { makeBatch, rng } from '../src/train/batches.js';
import { gradientsHere } from '../src/train/gradients.js';
import { batchFeeds } from '../src/train/graphBatch.js';
import { GraphSession } from '../src/train/graphSession.js';
import { ParamStore } from '../src/train/paramStore.js';

const c = { vocabSize: 50, dModel: 16, ffDim: 32, heads: 2, encLayers: 2, decLayers: 2, dropout: 0 };
const K = 4;

function fixture() {
  const r = rng(5);
  const token = () => 3 + Math.floor(r() * 47);
  // lengths differ, so padding and masks matter
  const batch = makeBatch(
    Array.from({ length: 4 }, (_, i) => ({
      index: i,
      src: Array.from({ length: 3 + i }, token),
      tgt: Array.from({ length: 5 - i }, token),
    })),
  );
  const rows = batch.tgtOut.map((t, i) => {
    const L = t.length;
    const probs = Float32Array.from({ length: L * K }, () => r() + 0.1);
    for (let p = 0; p < L; p++) {
      let s = 0;
      for (let j = 0; j < K; j++) s += probs[p * K + j];
      for (let j = 0; j < K; j++) probs[p * K + j] /= s;
    }
    return {
      ids: Int32Array.from({ length: L * K }, (_, j) => (j * 7 + i) % 50),
      probs,
      logProbs1: Float32Array.from(probs, Math.log),
      length: L,
    };
  });
  const soft = { manifest: { topK: K }, get: (i: number) => rows[i] } as unknown as SoftTargetLookup;
  return { batch, soft };
}

describe('training graph', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  for (const kind of ['ce', 'wordkd', 'logitmse'] as const) {
    it(`gives the tfjs model's loss and gradients (${kind})`, async () => {
      const { batch, soft } = fixture();
      const model = Transformer.init(c, 3);
      const loss = { kind, alpha: 0.5, temperature: 2 };
      const ref = gradientsHere(model, batch, loss, soft);
      const store = new ParamStore(parameterShapes(c));
      for (const [name, v] of model.params) store.get(name).set(v.dataSync() as Float32Array);
      const session = await GraphSession.create(
        translationTrainingGraph(c, { ...loss, labelSmoothing: 0 }, 1).bytes,
        store,
        1,
      );
      const value = await session.run(batchFeeds(session.ort, batch, kind, soft));
      expect(value).toBeCloseTo((await ref.loss.data())[0], 5);
      const nameOf = new Map([...model.params].map(([n, v]) => [v.name, n]));
      for (const [varName, grad] of Object.entries(ref.grads)) {
        const name = nameOf.get(varName)!;
        const want = grad.dataSync();
        const got = store.grad(store.names.indexOf(name));
        const scale = Math.max(1e-3, ...Array.from(want, Math.abs));
        for (let i = 0; i < want.length; i++)
          expect(Math.abs(got[i] - want[i]) / scale, `${name}[${i}]`).toBeLessThan(1e-4);
      }
      await session.release();
      model.dispose();
    });
  }

  it('label smoothing: (1-e)*CE + e*mean over the vocabulary of -log q', async () => {
    const { batch } = fixture();
    const store = new ParamStore(parameterShapes(c));
    store.init(c.dModel, 2);
    const run = async (e: number) => {
      const s = await GraphSession.create(
        translationTrainingGraph(c, { kind: 'ce', alpha: 1, temperature: 1, labelSmoothing: e }, 1).bytes,
        store,
        1,
      );
      return s.run(batchFeeds(s.ort, batch, 'ce'));
    };
    const [plain, smooth, uniform] = [await run(0), await run(0.1), await run(1)];
    // linear in e between the two ends
    expect(smooth).toBeCloseTo(0.9 * plain + 0.1 * uniform, 5);
    expect(uniform).not.toBeCloseTo(plain, 2);
  });
});
