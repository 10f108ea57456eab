// Gradients of reductions, normalisations and row lookups.
import type { GradRule } from '../autodiff.js';
import type { OnnxGraph } from '../onnxGraph.js';
import { sumToShapeOf } from './broadcast.js';

function reducedAxes(g: OnnxGraph, node: { op: string; inputs: string[]; attrs: Record<string, unknown> }): number[] {
  const r = g.info(node.inputs[0]).shape.length;
  const list =
    node.op === 'ReduceSum'
      ? g.constInts.get(node.inputs[1])
      : (node.attrs.axes as { ints: number[] } | undefined)?.ints;
  return (list ?? [...Array(r).keys()]).map((a) => (a < 0 ? a + r : a));
}

/** the gradient of a sum spreads back over the summed axes */
function spread(
  g: OnnxGraph,
  node: { op: string; inputs: string[]; attrs: Record<string, unknown> },
  d: string,
): string {
  const keep = !node.attrs.keepdims || (node.attrs.keepdims as { i: number }).i === 1;
  const kept = keep ? d : g.op('Unsqueeze', [d, g.ints(reducedAxes(g, node))]);
  // a product with ones of x's shape: onnxruntime's Expand is ~2x slower than a memset and a Mul (measured)
  return g.op('Mul', [kept, g.filledLike(node.inputs[0], 1)]);
}

export const ReduceSum: GradRule = ({ g, node, dy }) => [spread(g, node, dy(0)!), null];

/** a mean is a sum divided by the count of reduced elements (size(x) / size(y)) */
export const ReduceMean: GradRule = ({ g, node, dy }) => {
  const type = { to: { i: g.info(node.inputs[0]).type } };
  const count = g.op('Div', [
    g.op('Cast', [g.op('Size', [node.inputs[0]])], type),
    g.op('Cast', [g.op('Size', [node.outputs[0]])], type),
  ]);
  return [spread(g, node, g.op('Div', [dy(0)!, count]))];
};

/** y = softmax(x): dx = y * (dy - sum(dy * y)) over the softmax axis */
export const Softmax: GradRule = ({ g, node, dy }) => {
  const y = node.outputs[0];
  const axis = g.ints([(node.attrs.axis as { i: number } | undefined)?.i ?? -1]);
  const dot = g.op('ReduceSum', [g.op('Mul', [dy(0)!, y]), axis], { keepdims: { i: 1 } });
  return [g.op('Mul', [y, g.op('Sub', [dy(0)!, dot])])];
};

/** y = log softmax(x): dx = dy - softmax(x) * sum(dy) */
export const LogSoftmax: GradRule = ({ g, node, dy }) => {
  const axis = g.ints([(node.attrs.axis as { i: number } | undefined)?.i ?? -1]);
  const sum = g.op('ReduceSum', [dy(0)!, axis], { keepdims: { i: 1 } });
  return [g.op('Sub', [dy(0)!, g.op('Mul', [g.op('Exp', [node.outputs[0]]), sum])])];
};

/**
 * LayerNormalization over the last axis, y = xhat * scale + bias with xhat = (x - mean) * inv:
 * dx = inv * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)), dxhat = dy * scale. The forward
 * node is asked for its mean and inverse deviation (its optional outputs) rather than recomputing.
 */
export const LayerNormalization: GradRule = ({ g, node, dy, wants }) => {
  const axis = (node.attrs.axis as { i: number } | undefined)?.i ?? -1;
  if (axis !== -1 && axis !== g.info(node.inputs[0]).shape.length - 1)
    throw new Error('autodiff: LayerNormalization over the last axis only');
  const [x, scale, bias] = node.inputs;
  // the statistics come in stash_type (default float; onnxruntime has no other), cast to x's type
  const type = g.info(x).type;
  const stats = {
    type: (node.attrs.stash_type as { i: number } | undefined)?.i ?? 1,
    shape: [...g.info(x).shape.slice(0, -1), 1],
  };
  while (node.outputs.length < 3) g.extraOutput(node, stats);
  const [mean, inv] = node.outputs
    .slice(1)
    .map((s) => (stats.type === type ? s : g.op('Cast', [s], { to: { i: type } })));
  const d = dy(0)!;
  const xhat = g.op('Mul', [g.op('Sub', [x, mean]), inv]);
  const dxhat = g.op('Mul', [d, scale]);
  const m1 = g.op('ReduceMean', [dxhat], { axes: { ints: [-1] }, keepdims: { i: 1 } });
  const m2 = g.op('ReduceMean', [g.op('Mul', [dxhat, xhat])], { axes: { ints: [-1] }, keepdims: { i: 1 } });
  const dx = wants(0) ? g.op('Mul', [inv, g.op('Sub', [g.op('Sub', [dxhat, m1]), g.op('Mul', [xhat, m2])])]) : null;
  const dScale = wants(1) ? sumToShapeOf(g, g.op('Mul', [d, xhat]), scale) : null;
  const dBias = wants(2) && bias ? sumToShapeOf(g, d, bias) : null;
  return [dx, dScale, dBias];
};

/**
 * Gather rows (axis 0, an embedding lookup): the gradient is a scatter-add of dy's rows into a
 * zero table, ids repeating within a batch. Not ScatterND's reduction 'add': onnxruntime's CPU
 * kernel splits the rows among its threads with no guard against two threads adding into the same
 * row, so on two threads repeated ids lost updates (.scratch probes: 8 and 20 different results
 * in 30 runs of one input, off by up to 12.6 from the float64 sum). ScatterElements with reduction
 * 'add' runs one loop: each element of dy, expanded to its id, is added in order (exact to float32
 * rounding, the same bytes every run), at ~9 ms more a step for 3,000 ids of width 256.
 */
export const Gather: GradRule = ({ g, node, dy }) => {
  const axis = (node.attrs.axis as { i: number } | undefined)?.i ?? 0;
  if (axis !== 0) throw new Error('autodiff: Gather along axis 0 only');
  const [table, ids] = node.inputs;
  const zeros = g.filledLike(table, 0);
  // rows of dy as a matrix [ids, row width], and each id repeated across its row's width
  const width = g.op('Slice', [g.op('Shape', [table]), g.ints([1]), g.ints([2])]);
  const rows = g.op('Reshape', [dy(0)!, g.op('Concat', [g.ints([-1]), width], { axis: { i: 0 } })]);
  const wideIds = g.op('Expand', [g.op('Reshape', [ids, g.ints([-1, 1])]), g.op('Shape', [rows])]);
  return [g.op('ScatterElements', [zeros, wideIds, rows], { axis: { i: 0 }, reduction: { s: 'add' } }), null];
};

/** GatherElements: the gradient scatters back into the positions it picked (adding repeats) */
export const GatherElements: GradRule = ({ g, node, dy }) => {
  const [data, ids] = node.inputs;
  const zeros = g.filledLike(data, 0);
  const axis = (node.attrs.axis as { i: number } | undefined)?.i ?? 0;
  return [g.op('ScatterElements', [zeros, ids, dy(0)!], { axis: { i: axis }, reduction: { s: 'add' } }), null];
};
