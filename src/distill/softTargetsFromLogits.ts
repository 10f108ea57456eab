// Soft targets from a teacher's raw logits (the ONNX teacher's forced decoder run), computed as
// softTargetsForBatch computes them from the tfjs model: per position the top-k ids by logit, their
// softmax at temperature T renormalised over the k, and their log-probabilities at T = 1 (in float64).
import type { SentenceSoftTargets } from '../data/softTargets.js';
import { logSumExp } from '../util/logSumExp.js';

/**
 * logits [sentences, steps, vocab]; sentence b has lengths[b] positions; idOf maps a vocabulary
 * index to the id written (the pipeline's renumbering of a teacher's vocabulary).
 */
export function softTargetsFromLogits(
  logits: Float32Array,
  steps: number,
  vocab: number,
  lengths: number[],
  topK: number,
  temperature: number,
  idOf: (v: number) => number = (v) => v,
): SentenceSoftTargets[] {
  const best = new Int32Array(topK);
  return lengths.map((length, b) => {
    const ids = new Int32Array(length * topK);
    const probs = new Float32Array(length * topK);
    const logProbs1 = new Float32Array(length * topK);
    for (let p = 0; p < length; p++) {
      const base = (b * steps + p) * vocab;
      // top-k by a bounded insertion list: best[0] is the largest; ties keep the lower index first
      let filled = 0;
      for (let v = 0; v < vocab; v++) {
        const x = logits[base + v];
        if (filled === topK && x <= logits[base + best[topK - 1]]) continue;
        let i = filled < topK ? filled++ : topK - 1;
        for (; i > 0 && logits[base + best[i - 1]] < x; i--) best[i] = best[i - 1];
        best[i] = v;
      }
      const logZ = logSumExp(logits, base, vocab, logits[base + best[0]]); // best[0] is the maximum
      const top = logits[base + best[0]] / temperature;
      let sumT = 0;
      for (let j = 0; j < topK; j++) sumT += Math.exp(logits[base + best[j]] / temperature - top);
      for (let j = 0; j < topK; j++) {
        const x = logits[base + best[j]];
        ids[p * topK + j] = idOf(best[j]);
        probs[p * topK + j] = Math.exp(x / temperature - top) / sumT;
        logProbs1[p * topK + j] = x - logZ;
      }
    }
    return { ids, probs, logProbs1, length };
  });
}
