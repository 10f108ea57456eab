// kd's own Transformer classifier exported to ONNX: onnxruntime gives the tfjs model's logits
// (long texts truncated alike), transformers.js' text-classification pipeline loads it and gives
// softmax(logits) with our label names, and the n-gram baseline is refused with the reason.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { TextClassifier } from '../src/classify/textClassifier.js';
import { initBackend } from '../src/engine/tf.js';
import { exportClassifier } from '../src/export/exportClassifier.js';
import { tensorsOf } from '../src/export/weights.js';
import { loadClassifier } from '../src/runtime/classifier.js';
import { Tokenizer } from '../src/tokenize/tokenizer.js';
import { softmaxAt } from '../src/util/softmax.js';
import { TINY_CLASSIFIER, TINY_LABELS } from './helpers/tinyClassifier.js';

const corpus = readFileSync('corpora/tiny/train.en', 'utf8').split('\n').filter(Boolean);
const LABELS = TINY_LABELS;
const CONFIG = TINY_CLASSIFIER;
const dir = mkdtempSync(join(tmpdir(), 'kd-export-cls-'));
const exported = join(dir, 'model');
// short texts, and two longer than maxTokens: the export must truncate them as the tfjs model does
const texts = [
  ...corpus.slice(400, 404),
  `${corpus[410]} ${corpus[411]} ${corpus[412]}`,
  `${corpus[420]}, ${corpus[421]}`,
];
let model: TextClassifier;
let tfLogits: number[][];

beforeAll(async () => {
  await initBackend('cpu', () => {});
  const tok = Tokenizer.train(corpus.slice(0, 300), { vocabSize: 300 });
  model = TextClassifier.init(CONFIG, tok, 7);
  exportClassifier({ config: model.config, tensors: tensorsOf(model.params), tokenizer: tok }, LABELS, exported);
  tfLogits = model.logits(texts, false).arraySync() as number[][];
  expect(texts.slice(4).every((t) => tok.encode(t).length > CONFIG.maxTokens)).toBe(true);
});

describe('kd export (classifier)', () => {
  it('runs on onnxruntime to the tfjs logits (within 1e-4), through the loader kd label and the pipeline use', async () => {
    const onnx = await loadClassifier(exported, LABELS);
    const got = await onnx.logitsFor(texts, 4);
    texts.forEach((_, i) =>
      LABELS.forEach((__, j) =>
        expect(Math.abs(got[i * 3 + j] - tfLogits[i][j]), `text ${i} class ${j}`).toBeLessThan(1e-4),
      ),
    );
  });

  it('loads in transformers.js text-classification, which gives softmax(logits) and our label names', async () => {
    const { pipeline, env } = await import('@huggingface/transformers');
    env.allowRemoteModels = false;
    env.localModelPath = `${dir}/`;
    const classify = await pipeline('text-classification', 'model', { dtype: 'fp32' });
    for (let i = 0; i < texts.length; i++) {
      const out = (await classify(texts[i], { top_k: null })) as Array<{ label: string; score: number }>;
      const want = softmaxAt(tfLogits[i], 1);
      expect(out.map((o) => o.label).sort()).toEqual([...LABELS].sort());
      for (const o of out)
        expect(Math.abs(o.score - want[LABELS.indexOf(o.label)]), `text ${i} ${o.label}`).toBeLessThan(1e-5);
    }
  });

  it('refuses the n-gram baseline, saying why', () => {
    const ngrams = TextClassifier.init({ ...CONFIG, kind: 'ngrams', dModel: 8, buckets: 64 }, null, 1);
    expect(() =>
      exportClassifier(
        { config: ngrams.config, tensors: tensorsOf(ngrams.params), tokenizer: null },
        LABELS,
        join(dir, 'ngrams'),
      ),
    ).toThrow(/n-gram baseline hashes words/);
    ngrams.dispose();
  });
});
