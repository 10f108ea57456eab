// Softmax at a temperature, the one implementation: the classifier's label and eval stages, its
// KD batches and kd label all go through here (sums in float64, shifted by the maximum).
import { logSumExp } from './logSumExp.js';

/** log softmax(z / T) of one row, in float64 */
export function logSoftmaxAt(z: ArrayLike<number>, T = 1): Float64Array {
  const scaled = Float64Array.from(z as ArrayLike<number>, (v) => v / T);
  const lse = logSumExp(scaled, 0, scaled.length);
  return scaled.map((v) => v - lse);
}

/** softmax(z / T) of one row */
export function softmaxAt(z: ArrayLike<number>, T = 1): number[] {
  return Array.from(logSoftmaxAt(z, T), Math.exp);
}

/** softmax(logits / T) of each row of length C of a row-major array */
export function softmaxRows(logits: Float32Array, C: number, T = 1): Float32Array {
  const out = new Float32Array(logits.length);
  for (let r = 0; r < logits.length; r += C) out.set(softmaxAt(logits.subarray(r, r + C), T), r);
  return out;
}
