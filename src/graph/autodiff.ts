// Reverse-mode differentiation over an OnnxGraph: from a scalar loss back to the graph values named
// in `wrt` (the parameters, fed as graph inputs), appending one gradient subgraph per forward node
// in reverse order. Each op's rule lives in ./rules/ (one rule per op, as tfjs keeps its gradients
// beside its ops); an op on the path without a rule is an error naming it, never a silent zero.
import type { GraphNode, OnnxGraph } from './onnxGraph.js';
import { RULES } from './rules/index.js';

export interface GradContext {
  g: OnnxGraph;
  node: GraphNode;
  /** gradient of the node's output i, or null where the loss does not depend on it */
  dy: (i: number) => string | null;
  /** whether the loss's gradient is wanted for input i (it depends on a parameter, and is float) */
  wants: (i: number) => boolean;
}

/** A rule gives one gradient per input (null: none wanted, or the input is not differentiable). */
export type GradRule = (c: GradContext) => Array<string | null>;

const FLOATS = new Set([1, 11]);

/** Appends gradient nodes to g; returns each wrt value's gradient (a value name) in wrt's order. */
export function gradients(g: OnnxGraph, loss: string, wrt: string[]): string[] {
  const forward = withCustomBlocks(g, [...g.nodes]);
  const dependsOnWrt = new Set(wrt);
  for (const n of forward) if (n.inputs.some((i) => dependsOnWrt.has(i))) n.outputs.forEach((o) => dependsOnWrt.add(o));
  const reachesLoss = new Set([loss]);
  for (let i = forward.length - 1; i >= 0; i--) {
    const n = forward[i];
    if (n.outputs.some((o) => reachesLoss.has(o))) n.inputs.forEach((x) => reachesLoss.add(x));
  }
  const pending = new Map<string, string[]>();
  const add = (value: string, grad: string) => pending.set(value, [...(pending.get(value) ?? []), grad]);
  const total = (value: string): string | null => {
    const parts = pending.get(value);
    if (!parts?.length) return null;
    const sum = parts.length === 1 ? parts[0] : g.op('Sum', parts);
    pending.set(value, [sum]);
    return sum;
  };
  add(loss, g.floatScalar(1));
  for (let i = forward.length - 1; i >= 0; i--) {
    const node = forward[i];
    if (!node.outputs.some((o) => dependsOnWrt.has(o) && reachesLoss.has(o) && pending.has(o))) continue;
    const wants = (k: number) => {
      const name = node.inputs[k];
      return !!name && dependsOnWrt.has(name) && FLOATS.has(g.info(name).type);
    };
    if (!node.inputs.some((_, k) => wants(k))) continue;
    const custom = customRules.get(node);
    const rule = custom ? (c: GradContext) => custom(c.dy(0)!) : RULES[node.op];
    if (!rule) throw new Error(`autodiff: no gradient rule for ${node.op} (node output ${node.outputs[0]})`);
    const grads = rule({ g, node, dy: (k) => (node.outputs[k] ? total(node.outputs[k]) : null), wants });
    grads.forEach((d, k) => {
      if (d && wants(k)) add(node.inputs[k], d);
    });
  }
  return wrt.map((w) => total(w) ?? zerosLike(g, w));
}

const customRules = new WeakMap<GraphNode, (dy: string) => Array<string | null>>();

/**
 * The forward nodes with each custom-gradient block replaced by one stand-in node (inputs -> output)
 * at the place of its last node. A block's inner values may not be used outside it: their
 * gradient would be lost, so that is an error.
 */
function withCustomBlocks(g: OnnxGraph, nodes: GraphNode[]): GraphNode[] {
  for (const block of g.customGradients) {
    // values computed from the block's inputs (the inputs themselves are not the block's)
    const fromInputs = new Set<string>();
    for (const n of nodes)
      if (n.inputs.some((i) => block.inputs.includes(i) || fromInputs.has(i)))
        n.outputs.forEach((o) => fromInputs.add(o));
    const toOutput = new Set([block.output]);
    const inner = new Set<GraphNode>();
    for (let i = nodes.length - 1; i >= 0; i--) {
      const n = nodes[i];
      if (n.outputs.some((o) => toOutput.has(o)) && n.outputs.some((o) => fromInputs.has(o))) {
        inner.add(n);
        n.inputs.forEach((x) => toOutput.add(x));
      }
    }
    const innerValues = new Set([...inner].flatMap((n) => n.outputs).filter((v) => v !== block.output));
    for (const n of nodes) {
      if (!inner.has(n) && n.inputs.some((x) => innerValues.has(x)))
        throw new Error(
          `autodiff: a value inside the custom-gradient block of ${block.output} is used outside it (by ${n.op})`,
        );
    }
    const last = nodes.findIndex((n) => n.outputs.includes(block.output));
    const stand: GraphNode = { op: 'CustomGradient', inputs: block.inputs, outputs: [block.output], attrs: {} };
    customRules.set(stand, block.rule);
    nodes = nodes.flatMap((n, i) => (i === last ? [stand] : inner.has(n) ? [] : [n]));
  }
  return nodes;
}

/** A parameter the loss does not use has gradient zero (kept explicit: every output is fetched). */
function zerosLike(g: OnnxGraph, v: string): string {
  return g.filledLike(v, 0);
}
