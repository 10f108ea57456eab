// Gradients of MatMul and of the ops that only move numbers about (Transpose, Reshape, Unsqueeze,
// Squeeze, Concat).
import type { GradRule } from '../autodiff.js';
import { inversePerm, sumToShapeOf, swapLastTwo } from './broadcast.js';

/**
 * Y = A·B over the last two axes: dA = dY·Bᵀ, dB = Aᵀ·dY. A weight [k, n] multiplied into
 * activations [..., m, k] gets its gradient from the flattened rows, one product of [k, N]·[N, n].
 * (The transposes are separate nodes; onnxruntime fuses them into its MatMul kernel.)
 */
export const MatMul: GradRule = ({ g, node, dy, wants }) => {
  const [a, b] = node.inputs;
  const ra = g.info(a).shape.length;
  const rb = g.info(b).shape.length;
  const d = dy(0)!;
  let da: string | null = null;
  let db: string | null = null;
  if (wants(0))
    da = sumToShapeOf(g, g.op('MatMul', [d, g.op('Transpose', [b], { perm: { ints: swapLastTwo(rb) } })]), a);
  if (wants(1)) {
    if (rb === 2 && ra > 2) {
      const k = g.info(b).shape[0] as number;
      const n = g.info(b).shape[1] as number;
      const rows = g.op('Reshape', [a, g.ints([-1, k])]);
      db = g.op('MatMul', [
        g.op('Transpose', [rows], { perm: { ints: [1, 0] } }),
        g.op('Reshape', [d, g.ints([-1, n])]),
      ]);
    } else {
      db = sumToShapeOf(g, g.op('MatMul', [g.op('Transpose', [a], { perm: { ints: swapLastTwo(ra) } }), d]), b);
    }
  }
  return [da, db];
};

export const Transpose: GradRule = ({ g, node, dy }) => {
  const perm =
    (node.attrs.perm as { ints: number[] } | undefined)?.ints ?? [...g.info(node.inputs[0]).shape.keys()].reverse();
  return [g.op('Transpose', [dy(0)!], { perm: { ints: inversePerm(perm) } })];
};

/** Reshape, Unsqueeze, Squeeze: the gradient takes the input's shape back */
const reshapeBack: GradRule = ({ g, node, dy }) => [g.op('Reshape', [dy(0)!, g.op('Shape', [node.inputs[0]])]), null];
export const Reshape = reshapeBack;
export const Unsqueeze = reshapeBack;
export const Squeeze = reshapeBack;

/** Concat along an axis: each input gets its slice of the gradient */
export const Concat: GradRule = ({ g, node, dy, wants }) => {
  const rank = g.info(node.inputs[0]).shape.length;
  const axisAttr = (node.attrs.axis as { i: number }).i;
  const axis = axisAttr < 0 ? axisAttr + rank : axisAttr;
  const axes = g.ints([axis]);
  let start = g.ints([0]);
  return node.inputs.map((x, k) => {
    const size = g.op('Gather', [g.op('Shape', [x]), g.ints([axis])]);
    const end = g.op('Add', [start, size]);
    const slice = wants(k) ? g.op('Slice', [dy(0)!, start, end, axes]) : null;
    start = end;
    return slice;
  });
};
