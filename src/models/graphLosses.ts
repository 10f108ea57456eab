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

export function crossEntropy(g: OnnxGraph, logits: string, gold: string, weights: string, smoothing = 0): string {
  const logq = g.op('LogSoftmax', [logits], { axis: { i: -1 } });
  const loss = weightedSum(g, nll(g, logq, gold, smoothing), weights);
  // d loss / d logits = dy * w * (softmax - (1-e)*onehot(gold) - e/V): three passes over [N, V]
  // where the op-by-op gradient takes a dozen (measured: ~20 ms of a 300 ms reference step)
  g.customGradient([logits], loss, (dy) => {
    const V = g.info(logits).shape[1];
    if (typeof V !== 'number') throw new Error('crossEntropy: the logits need a known width');
    const w = g.op('Mul', [g.op('Unsqueeze', [weights, g.ints([1])]), dy]);
    let d = g.op('Mul', [g.op('Exp', [logq]), w]);
    if (smoothing > 0) d = g.op('Sub', [d, g.op('Mul', [w, g.floatScalar(smoothing / V)])]);
    const hard = g.op('Mul', [w, g.floatScalar(-(1 - smoothing))]);
    return [
      g.op('ScatterElements', [d, g.op('Unsqueeze', [gold, g.ints([1])]), hard], {
        axis: { i: 1 },
        reduction: { s: 'add' },
      }),
    ];
  });
  return loss;
}

/**
 * (1-a)*T^2 * sum over positions of weights * KL(p_T || q_T), from the teacher's top-k ids [N,k] and
 * probabilities at T [N,k]: KL = sum_k p log p (given as plogp [N], a constant) - sum_k p log q_T(id_k).
 * Its gradient is given whole: d/d logits = coef/T * w * (softmax(logits/T) * sum_k p - p at the ids).
 */
function softKlTerm(g: OnnxGraph, logits: string, soft: SoftInputs, weights: string, T: number, coef: number): string {
  const logqT = g.op('LogSoftmax', [T === 1 ? logits : g.op('Div', [logits, g.floatScalar(T)])], { axis: { i: -1 } });
  const picked = g.op('GatherElements', [logqT, soft.ids], { axis: { i: 1 } });
  const cross = g.op('ReduceSum', [g.op('Mul', [soft.probs, picked]), lastAxis(g)], { keepdims: { i: 0 } });
  const term = g.op('Mul', [weightedSum(g, g.op('Sub', [soft.plogp, cross]), weights), g.floatScalar(coef)]);
  g.customGradient([logits], term, (dy) => {
    const w = g.op('Mul', [g.op('Unsqueeze', [weights, g.ints([1])]), g.op('Mul', [dy, g.floatScalar(coef / T)])]);
    const mass = g.op('ReduceSum', [soft.probs, lastAxis(g)], { keepdims: { i: 1 } });
    const d = g.op('Mul', [g.op('Exp', [logqT]), g.op('Mul', [w, mass])]);
    return [
      g.op('ScatterElements', [d, soft.ids, g.op('Neg', [g.op('Mul', [soft.probs, w])])], {
        axis: { i: 1 },
        reduction: { s: 'add' },
      }),
    ];
  });
  return term;
}

export interface SoftInputs {
  ids: string;
  probs: string;
  plogp: string;
}

/**
 * ceWeights: where the CE term averages over other positions than the KL term (a transfer set has no gold).
 * With both terms, one gradient block for the sum: d/d logits = a*wCE*(softmax(z) - e/V) +
 * c/T*wKL*mass*softmax(z/T), less a*(1-e)*wCE at the gold token and c/T*wKL*p at the teacher's ids
 * (c = (1-a)*T^2), one scatter for both: the two terms' own blocks cost a second scatter over [N, V]
 * and a sum of two [N, V] gradients (measured on the demo student's step: 180 against 161 ms for CE).
 */
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
  const a = opts.alpha;
  const e = opts.smoothing ?? 0;
  const coef = (1 - a) * T * T;
  if (a === 0) return softKlTerm(g, logits, soft, weights, T, coef);
  const logq = g.op('LogSoftmax', [logits], { axis: { i: -1 } });
  const ce = weightedSum(g, nll(g, logq, gold, e), ceWeights);
  const logqT = g.op('LogSoftmax', [T === 1 ? logits : g.op('Div', [logits, g.floatScalar(T)])], { axis: { i: -1 } });
  const picked = g.op('GatherElements', [logqT, soft.ids], { axis: { i: 1 } });
  const cross = g.op('ReduceSum', [g.op('Mul', [soft.probs, picked]), lastAxis(g)], { keepdims: { i: 0 } });
  const kl = g.op('Mul', [weightedSum(g, g.op('Sub', [soft.plogp, cross]), weights), g.floatScalar(coef)]);
  const loss = g.op('Add', [g.op('Mul', [ce, g.floatScalar(a)]), kl]);
  g.customGradient([logits], loss, (dy) => {
    const V = g.info(logits).shape[1];
    if (typeof V !== 'number') throw new Error('wordKd: the logits need a known width');
    const wCe = g.op('Mul', [g.op('Unsqueeze', [ceWeights, g.ints([1])]), g.op('Mul', [dy, g.floatScalar(a)])]);
    const wKl = g.op('Mul', [g.op('Unsqueeze', [weights, g.ints([1])]), g.op('Mul', [dy, g.floatScalar(coef / T)])]);
    const mass = g.op('ReduceSum', [soft.probs, lastAxis(g)], { keepdims: { i: 1 } });
    let d = g.op('Add', [
      g.op('Mul', [g.op('Exp', [logq]), wCe]),
      g.op('Mul', [g.op('Exp', [logqT]), g.op('Mul', [wKl, mass])]),
    ]);
    if (e > 0) d = g.op('Sub', [d, g.op('Mul', [wCe, g.floatScalar(e / V)])]);
    const ids = g.op('Concat', [g.op('Unsqueeze', [gold, g.ints([1])]), soft.ids], { axis: { i: 1 } });
    const updates = g.op(
      'Concat',
      [g.op('Mul', [wCe, g.floatScalar(-(1 - e))]), g.op('Neg', [g.op('Mul', [soft.probs, wKl])])],
      {
        axis: { i: 1 },
      },
    );
    return [g.op('ScatterElements', [d, ids, updates], { axis: { i: 1 }, reduction: { s: 'add' } })];
  });
  return loss;
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
