// Class probabilities from logits.

/** softmax(logits / T) of each row of length C. */
export function softmaxRows(logits: Float32Array, C: number, T = 1): Float32Array {
  const out = new Float32Array(logits.length);
  for (let r = 0; r < logits.length; r += C) {
    let max = -Infinity;
    for (let c = 0; c < C; c++) max = Math.max(max, logits[r + c] / T);
    let sum = 0;
    for (let c = 0; c < C; c++) sum += (out[r + c] = Math.exp(logits[r + c] / T - max));
    for (let c = 0; c < C; c++) out[r + c] /= sum;
  }
  return out;
}
