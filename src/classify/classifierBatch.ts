// Texts as a classifier graph's inputs (src/models/classifierGraph.ts), and a training batch as the
// training graph's (src/models/classifierTrainingGraph.ts): each model featurizes its own input
// (subword ids truncated to maxTokens, or hashed word n-grams), and each loss gets its per-row
// weights and the teacher's terms, computed here from the teacher's logits in float64.
import type { Ort, OrtTensor } from '../onnx/ort.js';
import { PAD, type Tokenizer } from '../tokenize/tokenizer.js';
import type { ClassifierConfig } from './classifierConfig.js';
import { annealWeight, type ClassifierLoss } from './losses.js';
import { hashedNgrams } from './ngrams.js';

export interface ClassifierExample { text: string; gold: number; teacherLogits?: Float32Array }

/**
 * Transformer: input_ids and attention_mask [B, L] (PAD-padded). N-grams: ngram_ids [B, G] and
 * ngram_weights [B, G], 1/count for each of a text's n-grams (repeats included), 0 for padding.
 */
export function textFeatures(ort: Ort, c: ClassifierConfig, tokenizer: Tokenizer | null, texts: string[]): Record<string, OrtTensor> {
  const B = texts.length;
  if (c.kind === 'transformer') {
    if (!tokenizer) throw new Error('a transformer classifier needs its tokenizer');
    const rows = texts.map((t) => tokenizer.encode(t).slice(0, c.maxTokens));
    const L = Math.max(1, ...rows.map((r) => r.length));
    const ids = new BigInt64Array(B * L).fill(BigInt(PAD));
    const mask = new BigInt64Array(B * L);
    rows.forEach((r, i) => r.forEach((id, j) => {
      ids[i * L + j] = BigInt(id);
      mask[i * L + j] = 1n;
    }));
    return { input_ids: new ort.Tensor('int64', ids, [B, L]), attention_mask: new ort.Tensor('int64', mask, [B, L]) };
  }
  const grams = texts.map((t) => hashedNgrams(t, c.buckets));
  const G = Math.max(1, ...grams.map((r) => r.length));
  const ids = new BigInt64Array(B * G);
  const weights = new Float32Array(B * G);
  grams.forEach((r, i) => r.forEach((id, j) => {
    ids[i * G + j] = BigInt(id);
    weights[i * G + j] = 1 / r.length;
  }));
  return { ngram_ids: new ort.Tensor('int64', ids, [B, G]), ngram_weights: new ort.Tensor('float32', weights, [B, G]) };
}

/** log-softmax of z / T in float64 */
function logSoftmax(z: Float32Array, T: number): Float64Array {
  let max = -Infinity;
  for (const v of z) max = Math.max(max, v / T);
  let sum = 0;
  for (const v of z) sum += Math.exp(v / T - max);
  const lse = max + Math.log(sum);
  return Float64Array.from(z, (v) => v / T - lse);
}

/** The training graph's feeds for one batch; `progress` (0..1) drives teacher annealing. */
export function classifierFeeds(ort: Ort, batch: ClassifierExample[], c: ClassifierConfig, tokenizer: Tokenizer | null,
  loss: ClassifierLoss, progress: number): Record<string, OrtTensor> {
  const B = batch.length;
  const C = c.numClasses;
  const feeds: Record<string, OrtTensor> = { training: new ort.Tensor('bool', [true], []), ...textFeatures(ort, c, tokenizer, batch.map((e) => e.text)) };
  const labelled = batch.filter((e) => e.gold >= 0).length;
  const gold = BigInt64Array.from(batch, (e) => BigInt(Math.max(e.gold, 0)));
  // the gold terms average over the labelled examples only (none labelled: zero)
  const goldWeights = Float32Array.from(batch, (e) => (e.gold >= 0 ? 1 / labelled : 0));
  const mean = new Float32Array(B).fill(1 / B);
  if (loss.kind === 'ce') return { ...feeds, gold: new ort.Tensor('int64', gold, [B]), weights: new ort.Tensor('float32', goldWeights, [B]) };
  const teacher = batch.map((e) => {
    if (!e.teacherLogits) throw new Error(`example "${e.text.slice(0, 40)}" has no teacher logits`);
    if (e.teacherLogits.length !== C) throw new Error(`example "${e.text.slice(0, 40)}": ${e.teacherLogits.length} teacher logits for ${C} classes`);
    return e.teacherLogits;
  });
  feeds.weights = new ort.Tensor('float32', mean, [B]);
  const allClasses = () => {
    const ids = new BigInt64Array(B * C);
    for (let i = 0; i < ids.length; i++) ids[i] = BigInt(i % C);
    return new ort.Tensor('int64', ids, [B, C]);
  };
  if (loss.kind === 'kd') {
    const probs = new Float32Array(B * C);
    const plogp = new Float32Array(B);
    teacher.forEach((z, b) => {
      const lp = logSoftmax(z, loss.temperature);
      let s = 0;
      lp.forEach((l, k) => {
        const p = Math.exp(l);
        probs[b * C + k] = p;
        s += p * Math.log(Math.max(p, 1e-30));
      });
      plogp[b] = s;
    });
    return {
      ...feeds, gold: new ort.Tensor('int64', gold, [B]), ce_weights: new ort.Tensor('float32', goldWeights, [B]),
      soft_ids: allClasses(), soft_probs: new ort.Tensor('float32', probs, [B, C]), soft_plogp: new ort.Tensor('float32', plogp, [B]),
    };
  }
  if (loss.kind === 'logitmse') {
    const logp = new Float32Array(B * C);
    teacher.forEach((z, b) => logp.set(logSoftmax(z, 1), b * C));
    return { ...feeds, soft_ids: allClasses(), soft_logp: new ort.Tensor('float32', logp, [B, C]) };
  }
  // annealed (BAM!): lam*onehot(gold) + (1-lam)*softmax(teacher), lam 0 without gold
  const target = new Float32Array(B * C);
  const lam = annealWeight(progress, 1);
  teacher.forEach((z, b) => {
    const l = batch[b].gold >= 0 ? lam : 0;
    logSoftmax(z, 1).forEach((lp, k) => (target[b * C + k] = l * (k === batch[b].gold ? 1 : 0) + (1 - l) * Math.exp(lp)));
  });
  return { ...feeds, target: new ort.Tensor('float32', target, [B, C]) };
}
