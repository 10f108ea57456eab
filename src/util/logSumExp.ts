// log(sum(exp(x))) over a slice of a float array, shifted by its maximum and summed in float64:
// the normaliser of the log-softmaxes computed in JavaScript (./softmax.ts: classifier outputs and
// teacher logits at T; decoder steps and soft targets take theirs from onnxruntime).

/** data[base .. base + n); pass max when the caller already knows the slice's maximum. */
export function logSumExp(data: ArrayLike<number>, base: number, n: number, max = sliceMax(data, base, n)): number {
  let sum = 0;
  for (let v = 0; v < n; v++) sum += Math.exp(data[base + v] - max);
  return max + Math.log(sum);
}

function sliceMax(data: ArrayLike<number>, base: number, n: number): number {
  let max = -Infinity;
  for (let v = 0; v < n; v++) if (data[base + v] > max) max = data[base + v];
  return max;
}
