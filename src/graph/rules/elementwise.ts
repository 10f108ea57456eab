// Gradients of elementwise ops. Binary ops broadcast, so each input's gradient is summed back to
// its shape (./broadcast.ts).
import type { GradRule } from '../autodiff.js';
import { sumToShapeOf } from './broadcast.js';

export const Add: GradRule = ({ g, node, dy }) => node.inputs.map((x) => sumToShapeOf(g, dy(0)!, x));

export const Sub: GradRule = ({ g, node, dy, wants }) => [
  sumToShapeOf(g, dy(0)!, node.inputs[0]),
  wants(1) ? sumToShapeOf(g, g.op('Neg', [dy(0)!]), node.inputs[1]) : null,
];

/** d(a*b) = b*dy, a*dy */
export const Mul: GradRule = ({ g, node, dy, wants }) => {
  const [a, b] = node.inputs;
  return [
    wants(0) ? sumToShapeOf(g, g.op('Mul', [dy(0)!, b]), a) : null,
    wants(1) ? sumToShapeOf(g, g.op('Mul', [dy(0)!, a]), b) : null,
  ];
};

/** d(a/b) = dy/b, -dy*(a/b)/b */
export const Div: GradRule = ({ g, node, dy, wants }) => {
  const [a, b] = node.inputs;
  const da = g.op('Div', [dy(0)!, b]);
  return [
    wants(0) ? sumToShapeOf(g, da, a) : null,
    wants(1) ? sumToShapeOf(g, g.op('Neg', [g.op('Mul', [da, node.outputs[0]])]), b) : null,
  ];
};

export const Neg: GradRule = ({ g, dy }) => [g.op('Neg', [dy(0)!])];
export const Identity: GradRule = ({ dy }) => [dy(0)];

/** float-to-float casts pass the gradient through (cast back to the input's type) */
export const Cast: GradRule = ({ g, node, dy }) => [g.op('Cast', [dy(0)!], { to: { i: g.info(node.inputs[0]).type } })];

/** d relu(x) = dy where y > 0 */
export const Relu: GradRule = ({ g, node, dy }) => {
  const zero = g.floatScalar(0);
  return [g.op('Where', [g.op('Greater', [node.outputs[0], zero]), dy(0)!, zero])];
};

export const Exp: GradRule = ({ g, node, dy }) => [g.op('Mul', [dy(0)!, node.outputs[0]])];
export const Log: GradRule = ({ g, node, dy }) => [g.op('Div', [dy(0)!, node.inputs[0]])];
/** d sqrt(x) = dy / (2 sqrt(x)) */
export const Sqrt: GradRule = ({ g, node, dy }) => [
  g.op('Div', [g.op('Mul', [dy(0)!, g.floatScalar(0.5)]), node.outputs[0]]),
];

/** Where(c, a, b): the gradient flows to a where c holds, to b elsewhere */
export const Where: GradRule = ({ g, node, dy, wants }) => {
  const [c, a, b] = node.inputs;
  const zero = g.floatScalar(0);
  return [
    null,
    wants(1) ? sumToShapeOf(g, g.op('Where', [c, dy(0)!, zero]), a) : null,
    wants(2) ? sumToShapeOf(g, g.op('Where', [c, zero, dy(0)!]), b) : null,
  ];
};

/** Expand broadcasts: its gradient sums back */
export const Expand: GradRule = ({ g, node, dy }) => [sumToShapeOf(g, dy(0)!, node.inputs[0]), null];

/**
 * Dropout(x, ratio, training_mode) -> y, mask: dx = dy * mask / (1 - ratio). The mask output is
 * added to the forward node when the model did not ask for it (nodes are records until encoded).
 */
export const Dropout: GradRule = ({ g, node, dy }) => {
  if (node.outputs.length < 2) g.extraOutput(node, { type: 9, shape: [...g.info(node.inputs[0]).shape] });
  const keep = g.op('Sub', [g.floatScalar(1), node.inputs[1]]);
  const scale = g.op('Div', [g.op('Cast', [node.outputs[1]], { to: { i: g.info(node.inputs[0]).type } }), keep]);
  return [g.op('Mul', [dy(0)!, scale]), null, null];
};
