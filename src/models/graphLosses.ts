// Training losses as graph nodes over logits [N, V] (N target positions, V classes or tokens), the
// formulas of src/distill/losses.ts (tested equal). Every loss is a weighted sum over positions:
// `weights` [N] holds mask / count (the caller normalises), so padded positions count zero.
//   ce:       (1-e)*(-log q(gold)) + e*(-mean_v log q(v))   (label smoothing e; Szegedy et al. 2016)
//   wordKd:   a*CE + (1-a)*T^2*KL(p_T || q_T) on the teacher's top-k (Hinton et al. 2015; Kim & Rush 2016)
//   logitMse: mean_k (log q(id_k) - log p(id_k))^2 on the teacher's top-k (Caruana 2006)
//   softCe:   -sum_v target(v) log q(v) against a full target distribution (the classifier's KD
//             and annealed targets, whose teacher term is computed outside the graph)
import type { OnnxGraph } from '../graph/onnxGraph.js';

const lastAxis = (g: OnnxGraph) => g.ints([-1]);

/** sum over positions of perPosition [N] or [N,1] times weights [N] */
function weightedSum(g: OnnxGraph, perPosition: string, weights: string): string {
  const flat = g.op('Reshape', [perPosition, g.ints([-1])]);
  return g.op('ReduceSum', [g.op('Mul', [flat, weights])], { keepdims: { i: 0 } });
}

/** -log q(gold), with label smoothing: [N, 1] */
function nll(g: OnnxGraph, logq: string, gold: string, smoothing: number): string {
  const picked = g.op('GatherElements', [logq, g.op('Unsqueeze', [gold, g.ints([1])])], { axis: { i: 1 } });
  const hard = g.op('Neg', [picked]);
  if (smoothing === 0) return hard;
  const uniform = g.op('Neg', [g.op('ReduceMean', [logq], { axes: { ints: [-1] }, keepdims: { i: 1 } })]);
  return g.op('Add', [
    g.op('Mul', [hard, g.floatScalar(1 - smoothing)]),
    g.op('Mul', [uniform, g.floatScalar(smoothing)]),
  ]);
}

/**
 * A loss term over logits [N, V] with its gradient given whole: d term / d logits = dense [N, V]
 * plus `updates` [N, j] added at `ids` [N, j]. Terms over the same logits share one block
 * (withGradient): one scatter and one sum of dense parts, where the op-by-op gradient of a
 * log-softmax loss takes a dozen passes over [N, V] (measured: ~20 ms of a 300 ms reference step)
 * and a block per term a scatter and an [N, V] sum each (Word-KD's demo step 181.8 -> 168.1 ms).
 */
interface LogitTerm {
  value: string;
  gradient: (dy: string) => { dense: string; ids: string; updates: string };
}

function withGradient(g: OnnxGraph, logits: string, terms: LogitTerm[]): string {
  const sum = (xs: string[]) => xs.reduce((a, b) => g.op('Add', [a, b]));
  const concat = (xs: string[]) => (xs.length === 1 ? xs[0] : g.op('Concat', xs, { axis: { i: 1 } }));
  const value = sum(terms.map((t) => t.value));
  g.customGradient([logits], value, (dy) => {
    const parts = terms.map((t) => t.gradient(dy));
    const dense = sum(parts.map((p) => p.dense));
    const ids = concat(parts.map((p) => p.ids));
    const updates = concat(parts.map((p) => p.updates));
    return [g.op('ScatterElements', [dense, ids, updates], { axis: { i: 1 }, reduction: { s: 'add' } })];
  });
  return value;
}

const scaled = (g: OnnxGraph, x: string, coef: number) => (coef === 1 ? x : g.op('Mul', [x, g.floatScalar(coef)]));

/** coef * CE: d/d logits = coef * dy * w * (softmax - (1-e)*onehot(gold) - e/V) */
function ceTerm(g: OnnxGraph, logits: string, gold: string, weights: string, smoothing: number, coef = 1): LogitTerm {
  const logq = g.op('LogSoftmax', [logits], { axis: { i: -1 } });
  return {
    value: scaled(g, weightedSum(g, nll(g, logq, gold, smoothing), weights), coef),
    gradient: (dy) => {
      const V = g.info(logits).shape[1];
      if (typeof V !== 'number') throw new Error('crossEntropy: the logits need a known width');
      const w = g.op('Mul', [g.op('Unsqueeze', [weights, g.ints([1])]), scaled(g, dy, coef)]);
      let dense = g.op('Mul', [g.op('Exp', [logq]), w]);
      if (smoothing > 0) dense = g.op('Sub', [dense, g.op('Mul', [w, g.floatScalar(smoothing / V)])]);
      const updates = g.op('Mul', [w, g.floatScalar(-(1 - smoothing))]);
      return { dense, ids: g.op('Unsqueeze', [gold, g.ints([1])]), updates };
    },
  };
}

export function crossEntropy(g: OnnxGraph, logits: string, gold: string, weights: string, smoothing = 0): string {
  return withGradient(g, logits, [ceTerm(g, logits, gold, weights, smoothing)]);
}

/**
 * coef * sum over positions of weights * KL(p_T || q_T), from the teacher's top-k ids [N,k] and
 * probabilities at T [N,k]: KL = sum_k p log p (given as plogp [N], a constant) - sum_k p log q_T(id_k).
 * d/d logits = coef/T * w * (softmax(logits/T) * sum_k p - p at the ids).
 */
function softKlTerm(
  g: OnnxGraph,
  logits: string,
  soft: SoftInputs,
  weights: string,
  T: number,
  coef: number,
): LogitTerm {
  const logqT = g.op('LogSoftmax', [T === 1 ? logits : g.op('Div', [logits, g.floatScalar(T)])], { axis: { i: -1 } });
  const picked = g.op('GatherElements', [logqT, soft.ids], { axis: { i: 1 } });
  const cross = g.op('ReduceSum', [g.op('Mul', [soft.probs, picked]), lastAxis(g)], { keepdims: { i: 0 } });
  return {
    value: scaled(g, weightedSum(g, g.op('Sub', [soft.plogp, cross]), weights), coef),
    gradient: (dy) => {
      const w = g.op('Mul', [g.op('Unsqueeze', [weights, g.ints([1])]), scaled(g, dy, coef / T)]);
      const mass = g.op('ReduceSum', [soft.probs, lastAxis(g)], { keepdims: { i: 1 } });
      const dense = g.op('Mul', [g.op('Exp', [logqT]), g.op('Mul', [w, mass])]);
      return { dense, ids: soft.ids, updates: g.op('Neg', [g.op('Mul', [soft.probs, w])]) };
    },
  };
}

export interface SoftInputs {
  ids: string;
  probs: string;
  plogp: string;
}

/** ceWeights: where the CE term averages over other positions than the KL term (a transfer set has no gold) */
export function wordKd(
  g: OnnxGraph,
  logits: string,
  gold: string,
  weights: string,
  soft: SoftInputs,
  opts: { alpha: number; temperature: number; smoothing?: number },
  ceWeights = weights,
): string {
  const T = opts.temperature;
  const kl = softKlTerm(g, logits, soft, weights, T, (1 - opts.alpha) * T * T);
  if (opts.alpha === 0) return withGradient(g, logits, [kl]);
  return withGradient(g, logits, [ceTerm(g, logits, gold, ceWeights, opts.smoothing ?? 0, opts.alpha), kl]);
}

export function logitMse(g: OnnxGraph, logits: string, ids: string, teacherLogp: string, weights: string): string {
  const picked = g.op('GatherElements', [g.op('LogSoftmax', [logits], { axis: { i: -1 } }), ids], { axis: { i: 1 } });
  const diff = g.op('Sub', [picked, teacherLogp]);
  return weightedSum(
    g,
    g.op('ReduceMean', [g.op('Mul', [diff, diff])], { axes: { ints: [-1] }, keepdims: { i: 0 } }),
    weights,
  );
}

/** -sum_v target(v) log q(v) per row [N, V] target, weighted */
export function softCrossEntropy(g: OnnxGraph, logits: string, target: string, weights: string): string {
  const logq = g.op('LogSoftmax', [logits], { axis: { i: -1 } });
  return weightedSum(
    g,
    g.op('Neg', [g.op('ReduceSum', [g.op('Mul', [target, logq]), lastAxis(g)], { keepdims: { i: 0 } })]),
    weights,
  );
}
