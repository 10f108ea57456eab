// Soft targets from a teacher's forced run reduced on onnxruntime to each position's top-k logits
// and log-normaliser (src/onnx/logitReductions.ts), computed as softTargetsForBatch computes them from
// the tfjs model: per position the top-k ids by logit, their softmax at temperature T renormalised
// over the k (in float64), and their log-probabilities at T = 1.
import type { SentenceSoftTargets } from '../data/softTargets.js';
import type { TopKResult } from '../onnx/logitReductions.js';

/**
 * top: values and indices [sentences, steps, k], logZ [sentences, steps]; sentence b has
 * lengths[b] positions; idOf maps a vocabulary index to the id written (the pipeline's renumbering
 * of a teacher's vocabulary).
 */
export function softTargetsFromTopK(
  top: TopKResult,
  steps: number,
  lengths: number[],
  topK: number,
  temperature: number,
  idOf: (v: number) => number = (v) => v,
): SentenceSoftTargets[] {
  return lengths.map((length, b) => {
    const ids = new Int32Array(length * topK);
    const probs = new Float32Array(length * topK);
    const logProbs1 = new Float32Array(length * topK);
    for (let p = 0; p < length; p++) {
      const base = (b * steps + p) * topK;
      const logZ = top.logZ[b * steps + p];
      const first = top.values[base] / temperature; // the largest: the shift that keeps exp finite
      let sumT = 0;
      for (let j = 0; j < topK; j++) sumT += Math.exp(top.values[base + j] / temperature - first);
      for (let j = 0; j < topK; j++) {
        const x = top.values[base + j];
        ids[p * topK + j] = idOf(Number(top.indices[base + j]));
        probs[p * topK + j] = Math.exp(x / temperature - first) / sumT;
        logProbs1[p * topK + j] = x - logZ;
      }
    }
    return { ids, probs, logProbs1, length };
  });
}
