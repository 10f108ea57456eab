// The dev score that picks translation checkpoints decodes as the eval stage does: pad is never
// written (the export's generation_config, a trained model's beam extras), which is also what lets the
// search run inside onnxruntime. A model whose strongest output is pad shows the difference: with
// the ban its greedy output is real tokens, without it every step would write pad and decode to
// nothing (BLEU 0 against any reference).
import { readFileSync } from 'node:fs';

import { beforeAll, describe, expect, it } from 'vitest';

import { translateAll } from '../src/decode/translate.js';
import { initBackend } from '../src/engine/tf.js';
import { translationWeights } from '../src/export/weights.js';
import { Bleu } from '../src/metrics/index.js';
import { Transformer } from '../src/models/transformer.js';
import type { TranslationWeights } from '../src/models/weights.js';
import { decoderFor } from '../src/runtime/decoder.js';
import { trainedTranslationModel } from '../src/runtime/translationModel.js';
import { EOS, PAD, Tokenizer } from '../src/tokenize/tokenizer.js';
import { devBleu } from '../src/train/trainer.js';

const lines = readFileSync('corpora/tiny/train.en', 'utf8').split('\n').filter(Boolean);
let tok: Tokenizer;
let weights: TranslationWeights;
let src: number[][];

beforeAll(async () => {
  await initBackend('cpu', () => {});
  tok = Tokenizer.train(lines.slice(0, 300), { vocabSize: 300 });
  const model = Transformer.init(
    { vocabSize: tok.vocabSize, dModel: 32, ffDim: 64, heads: 4, encLayers: 1, decLayers: 1, dropout: 0 },
    3,
  );
  weights = translationWeights(model);
  model.dispose();
  const bias = weights.tensors.get('out.bias')!;
  // pad the strongest output everywhere, a word the next
  const word = tok.encode(' the')[0]; // one piece with its space: the output is words
  bias.data = Float32Array.from(bias.data, (v, i) => (i === PAD ? v + 20 : i === word ? v + 10 : v));
  src = lines.slice(300, 310).map((l) => [...tok.encode(l), EOS]);
});

async function greedy(extras: object): Promise<string[]> {
  const decoder = await decoderFor(weights, 'onnx', () => {});
  try {
    const hyps = await translateAll(decoder.step, src, { numBeams: 1, maxLength: 0, batchSize: 64, ...extras });
    return hyps.map((h) => tok.decode(h[0]?.tokens ?? []));
  } finally {
    decoder.close();
  }
}

describe('dev BLEU during translation training', () => {
  it('decodes with pad banned, as the eval stage does', async () => {
    const banned = await greedy(trainedTranslationModel(weights, 'onnx', () => {}).beamExtras);
    expect(banned[0]).toMatch(/the/);
    expect(await greedy({})).toEqual(banned.map(() => '')); // what the dev score would see without the ban
    expect(await devBleu(weights, { src, refs: banned }, tok)).toBeCloseTo(100, 6);
    expect(new Bleu().corpus(banned, [banned]).score).toBeCloseTo(100, 6);
  });
});
