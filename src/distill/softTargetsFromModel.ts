// The teacher's word-level soft targets under teacher forcing: for each target position, its
// top-k tokens by logit, their probabilities at temperature T renormalised over the k (the
// distribution Word-KD matches), and their log-probabilities at T = 1 (for logit matching).
import type { SentenceSoftTargets } from '../data/softTargets.js';
import { tf } from '../engine/tf.js';
import { padBatch } from '../models/tfStepModel.js';
import type { Transformer } from '../models/transformer.js';
import { BOS, EOS } from '../tokenize/tokenizer.js';

export async function softTargetsForBatch(
  model: Transformer,
  pairs: Array<{ src: number[]; tgt: number[] }>,
  topK: number,
  temperature: number,
): Promise<SentenceSoftTargets[]> {
  const src = padBatch(pairs.map((p) => [...p.src, EOS]));
  const tgtIn = padBatch(pairs.map((p) => [BOS, ...p.tgt]));
  const Lt = tgtIn.shape[1];
  const [ids, probs, logp1] = tf.tidy(() => {
    const logits = model.logits(src, tgtIn, false);
    const { values, indices } = tf.topk(logits, topK);
    const logZ1 = tf.logSumExp(logits, 1, true);
    const topT = tf.div(values, temperature);
    // renormalised over the k: softmax of the top-k logits at T
    const pT = tf.softmax(topT);
    return [indices, pT, tf.sub(values, logZ1)];
  });
  const [idsD, probsD, logpD] = await Promise.all([ids.data(), probs.data(), logp1.data()]);
  tf.dispose([src, tgtIn, ids, probs, logp1]);
  return pairs.map((p, b) => {
    const length = p.tgt.length + 1; // the target tokens and the closing eos
    const from = b * Lt * topK;
    const to = from + length * topK;
    return {
      ids: Int32Array.from(idsD.subarray(from, to)),
      probs: Float32Array.from(probsD.subarray(from, to)),
      logProbs1: Float32Array.from(logpD.subarray(from, to)),
      length,
    };
  });
}
