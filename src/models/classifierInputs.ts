// Texts as a classifier graph's inputs (./classifierGraph.ts): each model kind featurizes its own
// input (subword ids truncated to maxTokens, or hashed word n-grams). Training, labelling and
// evaluation all feed texts through here.
import type { Ort, OrtTensor } from '../onnx/ort.js';
import { PAD, type Tokenizer } from '../tokenize/tokenizer.js';
import type { ClassifierConfig } from './classifierConfig.js';
import { hashedNgrams } from './ngrams.js';

/**
 * Transformer: input_ids and attention_mask [B, L] (PAD-padded). N-grams: ngram_ids [B, G] and
 * ngram_weights [B, G], 1/count for each of a text's n-grams (repeats included), 0 for padding.
 */
export function textFeatures(
  ort: Ort,
  c: ClassifierConfig,
  tokenizer: Tokenizer | null,
  texts: string[],
): Record<string, OrtTensor> {
  const B = texts.length;
  if (c.kind === 'transformer') {
    if (!tokenizer) throw new Error('a transformer classifier needs its tokenizer');
    const rows = texts.map((t) => tokenizer.encode(t, c.maxTokens));
    const L = Math.max(1, ...rows.map((r) => r.length));
    const ids = new BigInt64Array(B * L).fill(BigInt(PAD));
    const mask = new BigInt64Array(B * L);
    rows.forEach((r, i) =>
      r.forEach((id, j) => {
        ids[i * L + j] = BigInt(id);
        mask[i * L + j] = 1n;
      }),
    );
    return { input_ids: new ort.Tensor('int64', ids, [B, L]), attention_mask: new ort.Tensor('int64', mask, [B, L]) };
  }
  const grams = texts.map((t) => hashedNgrams(t, c.buckets));
  const G = Math.max(1, ...grams.map((r) => r.length));
  const ids = new BigInt64Array(B * G);
  const weights = new Float32Array(B * G);
  grams.forEach((r, i) =>
    r.forEach((id, j) => {
      ids[i * G + j] = BigInt(id);
      weights[i * G + j] = 1 / r.length;
    }),
  );
  return { ngram_ids: new ort.Tensor('int64', ids, [B, G]), ngram_weights: new ort.Tensor('float32', weights, [B, G]) };
}
