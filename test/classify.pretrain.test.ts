// Masked-language-model pretraining of the classifier's encoder (src/models/mlmGraph.ts,
// src/classify/pretrainMlm.ts): BERT's masking, the training graph's gradients against central
// finite differences in float64, a short run whose loss falls, and fine-tuning that starts from
// the pretrained encoder.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';

import { MASK, maskTokens, pretrainMlm } from '../src/classify/pretrainMlm.js';
import { trainClassifier } from '../src/classify/trainClassifier.js';
import { DOUBLE } from '../src/graph/onnxGraph.js';
import type { ClassifierConfig } from '../src/models/classifierConfig.js';
import { mlmShapes, mlmTrainingGraph } from '../src/models/mlmGraph.js';
import { Tokenizer } from '../src/tokenize/tokenizer.js';
import { rng } from '../src/train/batches.js';
import { loadCheckpoint } from '../src/util/checkpoint.js';

const texts = readFileSync('corpora/tiny/train.en', 'utf8').split('\n').filter(Boolean);
const config = (vocabSize: number): ClassifierConfig => ({
  kind: 'transformer',
  numClasses: 3,
  dModel: 16,
  ffDim: 32,
  heads: 2,
  layers: 1,
  dropout: 0,
  maxTokens: 12,
  vocabSize,
  buckets: 0,
});

describe('masking (BERT: 15% chosen; 80% [MASK], 10% random, 10% kept)', () => {
  const rows = Array.from({ length: 400 }, (_, i) =>
    Array.from({ length: 25 }, (__, j) => 3 + ((i * 31 + j * 7) % 90)),
  );
  const m = maskTokens(rows, 0.15, 100, rng(7));
  const hidden = m.hidden.flat();
  it('hides about the rate asked, and reads the rest as it is', () => {
    const rate = hidden.filter(Boolean).length / hidden.length;
    expect(rate).toBeGreaterThan(0.13);
    expect(rate).toBeLessThan(0.17);
    m.inputs.forEach((r, i) =>
      r.forEach((id, j) => {
        if (!m.hidden[i][j]) expect(id).toBe(rows[i][j]);
      }),
    );
    expect(m.targets).toBe(rows);
  });
  it('replaces hidden tokens by [MASK] about 80% of the time, by a word (never a special id) about 10%', () => {
    const at = m.inputs.flatMap((r, i) => r.filter((_, j) => m.hidden[i][j]));
    const masked = at.filter((id) => id === MASK).length / at.length;
    expect(masked).toBeGreaterThan(0.75);
    expect(masked).toBeLessThan(0.85);
    expect(at.every((id) => id === MASK || id >= 3)).toBe(true);
  });
  it('draws the same masks from the same seed', () => {
    expect(maskTokens(rows, 0.15, 100, rng(7))).toEqual(m);
    expect(maskTokens(rows, 0.15, 100, rng(8)).hidden).not.toEqual(m.hidden);
  });
});

describe('the masked-LM training graph', () => {
  it('gives every parameter the gradient of central finite differences (float64)', async () => {
    const c = config(11);
    const shapes = mlmShapes(c);
    expect(shapes.some(([n]) => n.startsWith('head.'))).toBe(false);
    const session = await ort.InferenceSession.create(mlmTrainingGraph(c, 1, DOUBLE).bytes);
    const random = rng(3);
    const params = Object.fromEntries(
      shapes.map(([n, d]) => [
        n,
        Float64Array.from({ length: d.reduce((a, b) => a * b, 1) }, () => (random() - 0.5) * 0.6),
      ]),
    );
    const B = 2,
      L = 4;
    const int = (v: number[]) => new ort.Tensor('int64', BigInt64Array.from(v.map(BigInt)), [B, L]);
    const batch = {
      training: new ort.Tensor('bool', [false], []),
      input_ids: int([1, 4, 5, 6, 7, 1, 9, 0]),
      attention_mask: int([1, 1, 1, 1, 1, 1, 1, 0]),
      targets: int([3, 4, 5, 6, 7, 8, 9, 0]),
      weights: new ort.Tensor('float64', Float64Array.from([0.5, 0, 0, 0, 0, 0.5, 0, 0]), [B, L]),
    };
    const run = async (p: Record<string, Float64Array>) =>
      session.run({ ...batch, ...Object.fromEntries(shapes.map(([n, d]) => [n, new ort.Tensor('float64', p[n], d)])) });
    const out = await run(params);
    const loss = async (p: Record<string, Float64Array>) => ((await run(p)).loss.data as Float64Array)[0];
    for (const [name] of shapes) {
      const grad = out[`grad.${name}`].data as Float64Array;
      for (const i of [0, Math.floor(grad.length / 2), grad.length - 1]) {
        const plus = { ...params, [name]: Float64Array.from(params[name]) };
        const minus = { ...params, [name]: Float64Array.from(params[name]) };
        plus[name][i] += 1e-6;
        minus[name][i] -= 1e-6;
        const fd = ((await loss(plus)) - (await loss(minus))) / 2e-6;
        expect(Math.abs(grad[i] - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
      }
    }
  });
});

describe('pretraining, then fine-tuning from it', () => {
  it('lowers the masked-LM loss, keeps its best encoder, and the classifier starts from it', async () => {
    const tok = Tokenizer.train(texts.slice(0, 200), { vocabSize: 200 });
    const c = config(tok.vocabSize);
    const dir = mkdtempSync(join(tmpdir(), 'kd-mlm-'));
    const opts = {
      steps: 40,
      minutes: 0,
      lr: 0.01,
      warmup: 5,
      evalEvery: 20,
      checkpointEvery: 20,
      patience: 10,
      batchSize: 16,
      seed: 2,
      maskRate: 0.15,
    };
    const r = await pretrainMlm(c, tok, texts.slice(0, 160), texts.slice(160, 200), opts, join(dir, 'pre'), () => {});
    const mean = (h: typeof r.history) => h.reduce((s, x) => s + x.loss, 0) / h.length;
    expect(mean(r.history.slice(-4))).toBeLessThan(mean(r.history.slice(0, 4)) - 0.5);
    const ck = loadCheckpoint(join(dir, 'pre', 'best'));
    const init = new Map([...ck.tensors].map(([n, a]) => [n, { data: a.data, dims: a.shape }]));
    const logs: string[] = [];
    const train = texts.slice(0, 48).map((text, i) => ({ text, gold: i % 3 }));
    await trainClassifier(
      c,
      tok,
      { train, dev: { texts: texts.slice(48, 60), gold: texts.slice(48, 60).map((_, i) => i % 3) } },
      {
        steps: 2,
        lr: 0.001,
        warmup: 1,
        evalEvery: 2,
        checkpointEvery: 2,
        patience: 2,
        batchSize: 16,
        seed: 1,
        loss: { kind: 'ce', alpha: 1, temperature: 1 },
      },
      join(dir, 'fine'),
      (m) => logs.push(m),
      init,
    );
    // every encoder parameter (all but the head's two and mlm.bias, which the classifier lacks)
    expect(logs).toContain(`starting from ${mlmShapes(c).length - 1} pretrained parameters`);
  });
});
