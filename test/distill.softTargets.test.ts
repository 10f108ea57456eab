// A trained teacher's soft targets on the onnx engine (one forced run of its export, top-k in
// JavaScript) equal the tfjs model's: the same top-k ids per position, probabilities at T and
// log-probabilities at T = 1 within 1e-4 (float32 through two engines).
import { describe, expect, it } from 'vitest';

import { softTargetsForBatch } from '../src/distill/softTargetsFromModel.js';
import { initBackend } from '../src/engine/tf.js';
import { Transformer } from '../src/models/transformer.js';
import { decoderFor } from '../src/runtime/decoder.js';
import { exportSoftTargets } from '../src/runtime/translationModel.js';
import { rng } from '../src/train/batches.js';

describe('soft targets of a trained teacher', () => {
  it('are the same from its ONNX export as from the tfjs model', async () => {
    await initBackend('cpu', () => {});
    const model = Transformer.init(
      { vocabSize: 120, dModel: 32, ffDim: 64, heads: 4, encLayers: 2, decLayers: 2, dropout: 0 },
      3,
    );
    const rand = rng(4);
    const row = (n: number) => Array.from({ length: n }, () => 3 + Math.floor(rand() * 117));
    const pairs = [
      [5, 7],
      [9, 3],
      [2, 12],
      [14, 9],
    ].map(([s, t]) => ({ src: row(s), tgt: row(t) }));
    const want = await softTargetsForBatch(model, pairs, 5, 2);
    const decoder = await decoderFor(model, 'onnx', () => {});
    const got = await exportSoftTargets(decoder.onnx!, pairs, 5, 2);
    decoder.close();
    got.forEach((g, i) => {
      expect(g.length).toBe(pairs[i].tgt.length + 1);
      expect(Array.from(g.ids), `sentence ${i}`).toEqual(Array.from(want[i].ids));
      g.probs.forEach((p, j) => expect(Math.abs(p - want[i].probs[j])).toBeLessThan(1e-4));
      g.logProbs1.forEach((p, j) => expect(Math.abs(p - want[i].logProbs1[j])).toBeLessThan(1e-4));
    });
    model.dispose();
  });
});
