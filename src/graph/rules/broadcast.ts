// Broadcasting, undone: a gradient of an output's shape summed down to the shape of an input that
// was broadcast into it (leading axes dropped, axes of size 1 summed with keepdims).
import type { OnnxGraph } from '../onnxGraph.js';

export function sumToShapeOf(g: OnnxGraph, grad: string, input: string): string {
  const from = g.info(grad).shape;
  const to = g.info(input).shape;
  let out = grad;
  const lead = from.length - to.length;
  if (lead > 0) out = g.op('ReduceSum', [out, g.ints([...Array(lead).keys()])], { keepdims: { i: 0 } });
  const ones = to.flatMap((d, i) => (d === 1 && from[lead + i] !== 1 ? [i] : []));
  if (ones.length) out = g.op('ReduceSum', [out, g.ints(ones)], { keepdims: { i: 1 } });
  return out;
}

/** Reverses a permutation. */
export function inversePerm(perm: number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

/** The permutation swapping the last two axes of a rank-r tensor. */
export function swapLastTwo(r: number): number[] {
  const perm = [...Array(r).keys()];
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return perm;
}
