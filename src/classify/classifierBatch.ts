// A training batch as the classifier training graph's inputs (src/models/classifierTrainingGraph.ts): each model featurizes its own input
// (subword ids truncated to maxTokens, or hashed word n-grams), and each loss gets its per-row
// weights and the teacher's terms, computed here from the teacher's logits in float64.
import { annealWeight, type ClassifierConfig, type ClassifierLoss } from '../models/classifierConfig.js';
import { textFeatures } from '../models/classifierInputs.js';
import type { Ort, OrtTensor } from '../onnx/ort.js';
import type { Tokenizer } from '../tokenize/tokenizer.js';
import { logSoftmaxAt } from '../util/softmax.js';

export interface ClassifierExample {
  text: string;
  gold: number;
  teacherLogits?: Float32Array;
}

/** The training graph's feeds for one batch; `progress` (0..1) drives teacher annealing. */
export function classifierFeeds(
  ort: Ort,
  batch: ClassifierExample[],
  c: ClassifierConfig,
  tokenizer: Tokenizer | null,
  loss: ClassifierLoss,
  progress: number,
): Record<string, OrtTensor> {
  const B = batch.length;
  const C = c.numClasses;
  const feeds: Record<string, OrtTensor> = {
    training: new ort.Tensor('bool', [true], []),
    ...textFeatures(
      ort,
      c,
      tokenizer,
      batch.map((e) => e.text),
    ),
  };
  const labelled = batch.filter((e) => e.gold >= 0).length;
  const gold = BigInt64Array.from(batch, (e) => BigInt(Math.max(e.gold, 0)));
  // the gold terms average over the labelled examples only (none labelled: zero)
  const goldWeights = Float32Array.from(batch, (e) => (e.gold >= 0 ? 1 / labelled : 0));
  const mean = new Float32Array(B).fill(1 / B);
  if (loss.kind === 'ce')
    return { ...feeds, gold: new ort.Tensor('int64', gold, [B]), weights: new ort.Tensor('float32', goldWeights, [B]) };
  const teacher = batch.map((e) => {
    if (!e.teacherLogits) throw new Error(`example "${e.text.slice(0, 40)}" has no teacher logits`);
    if (e.teacherLogits.length !== C)
      throw new Error(`example "${e.text.slice(0, 40)}": ${e.teacherLogits.length} teacher logits for ${C} classes`);
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
      const lp = logSoftmaxAt(z, loss.temperature);
      let s = 0;
      lp.forEach((l, k) => {
        const p = Math.exp(l);
        probs[b * C + k] = p;
        s += p * Math.log(Math.max(p, 1e-30));
      });
      plogp[b] = s;
    });
    return {
      ...feeds,
      gold: new ort.Tensor('int64', gold, [B]),
      ce_weights: new ort.Tensor('float32', goldWeights, [B]),
      soft_ids: allClasses(),
      soft_probs: new ort.Tensor('float32', probs, [B, C]),
      soft_plogp: new ort.Tensor('float32', plogp, [B]),
    };
  }
  if (loss.kind === 'logitmse') {
    const logp = new Float32Array(B * C);
    teacher.forEach((z, b) => logp.set(logSoftmaxAt(z, 1), b * C));
    return { ...feeds, soft_ids: allClasses(), soft_logp: new ort.Tensor('float32', logp, [B, C]) };
  }
  // annealed (BAM!): lam*onehot(gold) + (1-lam)*softmax(teacher), lam 0 without gold
  const target = new Float32Array(B * C);
  const lam = annealWeight(progress, 1);
  teacher.forEach((z, b) => {
    const l = batch[b].gold >= 0 ? lam : 0;
    logSoftmaxAt(z, 1).forEach(
      (lp, k) => (target[b * C + k] = l * (k === batch[b].gold ? 1 : 0) + (1 - l) * Math.exp(lp)),
    );
  });
  return { ...feeds, target: new ort.Tensor('float32', target, [B, C]) };
}
