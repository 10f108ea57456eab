// The classifier's training graph (src/models/classifierTrainingGraph.ts) against the tfjs model
// (src/classify/textClassifier.ts) and losses (src/classify/losses.ts): for both kinds and all four
// losses, the same parameters and batch (some examples without gold, one text longer than
// maxTokens) give the same loss and the same gradient for every parameter (tf.variableGrads),
// within 1e-5 relative, at dropout 0. And the inference graph dev accuracy runs on gives the tfjs
// model's logits.
import { readFileSync } from 'node:fs';

import { beforeAll, describe, expect, it } from 'vitest';

import { type ClassifierExample, classifierFeeds } from '../src/classify/classifierBatch.js';
import { type ClassifierLoss, classifierLoss } from '../src/classify/losses.js';
import { TextClassifier } from '../src/classify/textClassifier.js';
import { graphLogits } from '../src/classify/trainClassifier.js';
import { initBackend, tf } from '../src/engine/tf.js';
import { type ClassifierConfig, classifierShapes } from '../src/models/classifierConfig.js';
import { classifierTrainingGraph } from '../src/models/classifierTrainingGraph.js';
import { loadOrt, type OrtTensor } from '../src/onnx/ort.js';
import { Tokenizer } from '../src/tokenize/tokenizer.js';

const corpus = readFileSync('corpora/tiny/train.en', 'utf8').split('\n').filter(Boolean);
const C = 3;
const CONFIGS: Record<string, ClassifierConfig> = {
  transformer: {
    kind: 'transformer',
    numClasses: C,
    dModel: 8,
    ffDim: 16,
    heads: 2,
    layers: 2,
    dropout: 0,
    maxTokens: 10,
    vocabSize: 0,
    buckets: 0,
  },
  ngrams: {
    kind: 'ngrams',
    numClasses: C,
    dModel: 8,
    ffDim: 0,
    heads: 1,
    layers: 0,
    dropout: 0,
    maxTokens: 0,
    vocabSize: 0,
    buckets: 64,
  },
};
const LOSSES: ClassifierLoss[] = [
  { kind: 'ce', alpha: 1, temperature: 1 },
  { kind: 'kd', alpha: 0.3, temperature: 2 },
  { kind: 'kd', alpha: 0, temperature: 4 },
  { kind: 'logitmse', alpha: 0.5, temperature: 1 },
  { kind: 'annealed', alpha: 0.5, temperature: 1 },
];
const PROGRESS = 0.4;

/** a fixed pseudo-random draw in [-2, 2) */
function draws(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 4 - 2;
  };
}

const texts = [
  corpus[400],
  `${corpus[410]} ${corpus[411]} ${corpus[412]}`,
  corpus[401],
  'x',
  `${corpus[402]}, ${corpus[402]}`,
  corpus[403],
];
const golds = [0, 2, -1, 1, -1, 2];
const draw = draws(7);
const batch: ClassifierExample[] = texts.map((text, i) => ({
  text,
  gold: golds[i],
  teacherLogits: Float32Array.from({ length: C }, draw),
}));

let tok: Tokenizer;
beforeAll(async () => {
  await initBackend('cpu', () => {});
  tok = Tokenizer.train(corpus.slice(0, 300), { vocabSize: 300 });
  expect(tok.encode(texts[1]).length).toBeGreaterThan(CONFIGS.transformer.maxTokens);
});

function modelOf(kind: string): TextClassifier {
  return TextClassifier.init(CONFIGS[kind], kind === 'transformer' ? tok : null, 11);
}

/** loss and gradients by tfjs */
function tfjsStep(model: TextClassifier, loss: ClassifierLoss): { loss: number; grads: Map<string, Float32Array> } {
  const vars = [...model.params.values()];
  const teacher = tf.tensor2d(Float32Array.from(batch.flatMap((e) => Array.from(e.teacherLogits!))), [batch.length, C]);
  const { value, grads } = tf.variableGrads(
    () => classifierLoss(model.logits(texts, true), { gold: golds, teacherLogits: teacher }, loss, PROGRESS),
    vars,
  );
  const out = new Map<string, Float32Array>();
  for (const [name, v] of model.params) out.set(name, grads[v.name].dataSync() as Float32Array);
  const l = value.dataSync()[0];
  tf.dispose([value, teacher, ...Object.values(grads)]);
  return { loss: l, grads: out };
}

/** loss and gradients by the training graph on onnxruntime */
async function graphStep(
  model: TextClassifier,
  loss: ClassifierLoss,
): Promise<{ loss: number; grads: Map<string, Float32Array> }> {
  const c = model.config;
  const graph = classifierTrainingGraph(c, loss, 1);
  expect(graph.params).toEqual(classifierShapes(c));
  const ort = await loadOrt();
  const session = await ort.InferenceSession.create(graph.bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const feeds: Record<string, OrtTensor> = classifierFeeds(
    ort,
    batch,
    c,
    model.config.kind === 'transformer' ? tok : null,
    loss,
    PROGRESS,
  );
  expect(Object.keys(feeds).sort()).toEqual([...graph.batchInputs].sort());
  for (const [name, v] of model.params) feeds[name] = new ort.Tensor('float32', v.dataSync() as Float32Array, v.shape);
  const out = await session.run(feeds);
  await session.release();
  return {
    loss: Number(out.loss.data[0]),
    grads: new Map(graph.params.map(([name]) => [name, out[`grad.${name}`].data as Float32Array])),
  };
}

const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe('the classifier training graph against the tfjs model and losses (dropout 0)', () => {
  for (const kind of Object.keys(CONFIGS)) {
    for (const loss of LOSSES) {
      it(`${kind}, ${loss.kind} (alpha ${loss.alpha}, T ${loss.temperature}): the loss and every parameter's gradient`, async () => {
        const model = modelOf(kind);
        const want = tfjsStep(model, loss);
        const got = await graphStep(model, loss);
        expect(Math.abs(got.loss - want.loss), `loss ${got.loss} against ${want.loss}`).toBeLessThanOrEqual(
          1e-5 * Math.abs(want.loss),
        );
        expect([...got.grads.keys()]).toEqual([...want.grads.keys()]);
        const largest = Math.max(...[...want.grads.values()].map(maxAbs));
        for (const [name, w] of want.grads) {
          const g = got.grads.get(name)!;
          expect(g.length, name).toBe(w.length);
          const err = maxAbs(Array.from(g, (v, i) => v - w[i]));
          if (/^enc\d+\.self\.k\.b$/.test(name)) {
            // the keys' bias adds q·b to every score of a row: softmax ignores it, its gradient is
            // zero but for rounding (both sides give ~1e-9)
            expect(maxAbs(w), name).toBeLessThan(1e-6 * largest);
            expect(maxAbs(g), name).toBeLessThan(1e-6 * largest);
            continue;
          }
          // relative to the tensor's largest entry: entries near zero carry float32 rounding of the others
          const scale = maxAbs(w);
          expect(scale, `${name}: the loss depends on it`).toBeGreaterThan(0);
          expect(err, `${name}: max |graph - tfjs| (largest ${scale})`).toBeLessThanOrEqual(1e-5 * scale);
        }
        model.dispose();
      });
    }
  }
});

describe('the inference graph (dev accuracy)', () => {
  for (const kind of Object.keys(CONFIGS)) {
    it(`${kind}: gives the tfjs model's logits`, async () => {
      const model = modelOf(kind);
      const want = model.logits(texts, false).dataSync();
      const tensors = new Map(
        [...model.params].map(([name, v]) => [name, { data: v.dataSync() as Float32Array, dims: v.shape }]),
      );
      // batches of 4: the last batch is shorter, and padded to its own length
      const got = await graphLogits(model.config, kind === 'transformer' ? tok : null, tensors, texts, 4);
      expect(got.length).toBe(want.length);
      got.forEach((v, i) => expect(Math.abs(v - want[i]), `logit ${i}`).toBeLessThan(1e-5));
      model.dispose();
    });
  }
});
