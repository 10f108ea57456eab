// Every gradient rule of src/graph/rules/ against central finite differences: a tiny graph per op,
// loss = ReduceSum(y * R) with a fixed random R (so every output element counts), the gradients
// appended by gradients(), and the same onnxruntime session re-run at x ± eps. Graphs are built in
// float64 (eps 1e-6, relative tolerance 1e-6). LayerNormalization is also checked in float32, the
// type kd trains in, against finite differences of a float64 JavaScript forward.
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';

import { gradients } from '../src/graph/autodiff.js';
import { BOOL, DOUBLE, FLOAT, INT64, modelBytes, OnnxGraph } from '../src/graph/onnxGraph.js';
import { crossEntropy, wordKd } from '../src/models/graphLosses.js';

type Vals = Record<string, Float64Array>;
type Params = Record<string, string>;

/** mulberry32: uniform numbers in [-1, 1), the same on every run */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * 2 - 1;
  };
}
const size = (dims: number[]) => dims.reduce((p, q) => p * q, 1);
const positive = (u: number) => 1.2 + u; // Log, Sqrt, divisors: in [0.2, 2.2)
const awayFromZero = (u: number) => u + 0.1 * Math.sign(u); // Relu: no kink within eps

interface Case {
  params: Record<string, number[]>; // the differentiable graph inputs and their dims
  forward: (g: OnnxGraph, p: Params) => string; // builds y (may declare other inputs, fed by `feeds`)
  feeds?: Record<string, ort.Tensor>;
  init?: Record<string, (u: number) => number>; // maps a uniform [-1, 1) draw into the op's domain
  dtype?: number;
  eps?: number;
  tol?: number;
  /** a float64 reference forward of the loss: the finite differences use it instead of the session */
  jsLoss?: (v: Vals, r: Float64Array) => number;
  seed?: number;
}

function build(c: Case) {
  const dtype = c.dtype ?? DOUBLE;
  const g = new OnnxGraph('grad');
  g.dtype = dtype;
  const p: Params = Object.fromEntries(Object.keys(c.params).map((n) => [n, g.input(n, dtype, c.params[n])]));
  const y = c.forward(g, p);
  const dims = g.info(y).shape;
  if (!dims.every((d) => typeof d === 'number')) throw new Error(`test: y has a symbolic shape ${dims}`);
  const draw = rng(c.seed ?? 1);
  const r = Float32Array.from({ length: size(dims as number[]) }, draw); // float32-exact, so the JS forward sees R as the graph does
  const loss = g.op('ReduceSum', [g.op('Mul', [y, g.floatTensor('R', r, dims as number[])])], { keepdims: { i: 0 } });
  const grads = gradients(g, loss, Object.values(p));
  g.output(loss, dtype, []);
  // a rule may hand the same value to two inputs (Add without broadcast): each output once
  [...new Set(grads)].forEach((name) => g.output(name, dtype, c.params[Object.keys(p)[grads.indexOf(name)]]));
  const values: Vals = {};
  for (const [n, d] of Object.entries(c.params)) {
    const f = c.init?.[n] ?? ((u: number) => u);
    const v = Float64Array.from({ length: size(d) }, () => f(draw()));
    values[n] = dtype === FLOAT ? Float64Array.from(Float32Array.from(v)) : v;
  }
  const feeds = (v: Vals) => {
    const out: Record<string, ort.Tensor> = { ...c.feeds };
    for (const [n, d] of Object.entries(c.params)) {
      out[n] = new ort.Tensor(
        dtype === DOUBLE ? 'float64' : 'float32',
        dtype === DOUBLE ? v[n] : Float32Array.from(v[n]),
        d,
      );
    }
    return out;
  };
  return { g, loss, grads, values, r: Float64Array.from(r), feeds };
}

const open = (g: OnnxGraph) =>
  ort.InferenceSession.create(modelBytes(g), { intraOpNumThreads: 1, interOpNumThreads: 1, logSeverityLevel: 3 });

/** Builds, runs, and compares each parameter's analytic gradient with central differences. */
async function gradCheck(c: Case): Promise<Vals> {
  const { g, loss, grads, values, r, feeds } = build(c);
  const session = await open(g);
  const run = (v: Vals, fetch: string[]) => session.run(feeds(v), fetch);
  const out = await run(values, [loss, ...new Set(grads)]);
  if (c.jsLoss) expect(Number(out[loss].data[0])).toBeCloseTo(c.jsLoss(values, r), 4);
  const eps = c.eps ?? 1e-6;
  const lossAt = async (v: Vals) => (c.jsLoss ? c.jsLoss(v, r) : Number((await run(v, [loss]))[loss].data[0]));
  const analytic: Vals = {};
  for (const [k, name] of Object.keys(c.params).entries()) {
    const a = Float64Array.from(out[grads[k]].data as Float64Array | Float32Array);
    const v = values[name];
    const fd = new Float64Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      v[i] = x + eps;
      const up = await lossAt(values);
      v[i] = x - eps;
      const down = await lossAt(values);
      v[i] = x;
      fd[i] = (up - down) / (2 * eps);
    }
    const err = Math.max(...a.map((ai, i) => Math.abs(ai - fd[i])));
    const scale = Math.max(1, ...fd.map(Math.abs));
    expect(a.length, `gradient of ${name}: size`).toBe(v.length);
    expect(err, `gradient of ${name}: max |analytic - fd| (scale ${scale})`).toBeLessThanOrEqual(
      (c.tol ?? 1e-6) * scale,
    );
    analytic[name] = a;
  }
  return analytic;
}

/** a binary op on parameters a, b of the given dims */
const binary = (op: string, a: number[], b: number[], init?: Case['init']): Case => ({
  params: { a, b },
  init,
  forward: (g, p) => g.op(op, [p.a, p.b]),
});
const unary = (op: string, dims: number[], attrs = {}, init?: (u: number) => number): Case => ({
  params: { x: dims },
  init: init && { x: init },
  forward: (g, p) => g.op(op, [p.x], attrs),
});
const boolTensor = (bits: number[], dims: number[]) => new ort.Tensor('bool', Uint8Array.from(bits), dims);
const int64 = (g: OnnxGraph, name: string, ids: number[], dims: number[]) =>
  g.initializer(name, BigInt64Array.from(ids.map(BigInt)), dims);

describe('autodiff rules against finite differences (float64)', () => {
  for (const op of ['Add', 'Sub', 'Mul', 'Div']) {
    it(op, async () => {
      const init = op === 'Div' ? { b: positive } : undefined;
      await gradCheck(binary(op, [2, 3, 4], [4], init)); // a bias
      await gradCheck(binary(op, [2, 2, 3, 4], [2, 1, 1, 4], init)); // a mask [B, 1, 1, L] against scores
      await gradCheck(binary(op, [3, 1], [2, 1, 4], init)); // both sides broadcast
      await gradCheck(binary(op, [2, 3], [2, 3], init)); // no broadcast
    });
  }
  it('Neg', () => gradCheck(unary('Neg', [3, 4])));
  it('Identity', () => gradCheck(unary('Identity', [3, 4])));
  it('Cast', async () => {
    await gradCheck(unary('Cast', [3, 4], { to: { i: DOUBLE } }));
    // float64 -> float32 -> float64: y rounds x to float32, so a wide eps (the loss is linear in y)
    await gradCheck({
      params: { x: [3, 4] },
      eps: 1e-2,
      tol: 1e-4,
      forward: (g, p) => g.op('Cast', [g.op('Cast', [p.x], { to: { i: FLOAT } })], { to: { i: DOUBLE } }),
    });
  });
  it('Relu', () => gradCheck(unary('Relu', [3, 5], {}, awayFromZero)));
  it('Exp', () => gradCheck(unary('Exp', [3, 4])));
  it('Log', () => gradCheck(unary('Log', [3, 4], {}, positive)));
  it('Sqrt', () => gradCheck(unary('Sqrt', [3, 4], {}, positive)));
  it('Where', () =>
    gradCheck({
      params: { a: [2, 2, 3, 4], b: [4] },
      feeds: { c: boolTensor([1, 1, 0, 1, 0, 1, 1, 1], [2, 1, 1, 4]) },
      forward: (g, p) => g.op('Where', [g.input('c', BOOL, [2, 1, 1, 4]), p.a, p.b]),
    }));
  it('Expand', async () => {
    await gradCheck({ params: { x: [3, 1] }, forward: (g, p) => g.op('Expand', [p.x, g.ints([2, 3, 4])]) });
    await gradCheck({ params: { x: [4] }, forward: (g, p) => g.op('Expand', [p.x, g.ints([3, 1])]) });
  });
  it('Dropout', async () => {
    // onnxruntime's kernel draws a new mask on every run (its seeded generator advances; only a
    // fresh session replays the sequence), so re-running the session at x ± eps would compare
    // different masks. Instead one run fetches the
    // mask the rule asked the node for: y = x * mask / (1 - ratio) is checked from that same run
    // (the mask is the one the forward used), and given the mask the loss is linear in x, so its
    // exact derivative — what finite differences within the run would give — is R * mask / (1 - ratio).
    let node: OnnxGraph['nodes'][number] | undefined;
    const { g, values, r, grads, feeds } = build({
      params: { x: [6, 8] },
      feeds: { training: boolTensor([1], []) },
      forward: (g, p) => {
        const [y] = g.node('Dropout', [p.x, g.floatScalar(0.3), g.input('training', BOOL, [])], { seed: { i: 7 } }, 1);
        node = g.nodes.at(-1);
        return y;
      },
    });
    expect(node!.outputs).toHaveLength(2); // the rule added the mask output
    g.output(node!.outputs[0], DOUBLE, [6, 8]);
    g.output(node!.outputs[1], BOOL, [6, 8]);
    const out = await (await open(g)).run(feeds(values));
    const mask = Array.from(out[node!.outputs[1]].data as Uint8Array, Number);
    expect(mask.filter((m) => m === 0).length).toBeGreaterThan(0);
    expect(mask.filter((m) => m === 1).length).toBeGreaterThan(0);
    const y = out[node!.outputs[0]].data as Float64Array;
    const dx = out[grads[0]].data as Float64Array;
    mask.forEach((m, i) => {
      // onnxruntime scales by 1 / (1 - ratio) in float32 (ratio is read as a float): 1e-7 relative
      expect(Math.abs(y[i] - (values.x[i] * m) / 0.7)).toBeLessThanOrEqual(1e-6 * Math.abs(values.x[i] / 0.7));
      expect(dx[i]).toBeCloseTo((r[i] * m) / 0.7, 12);
    });
  });
  it('MatMul', async () => {
    await gradCheck(binary('MatMul', [3, 4], [4, 5]));
    await gradCheck(binary('MatMul', [2, 3, 4], [4, 5])); // activations x weight
    await gradCheck(binary('MatMul', [2, 2, 3, 4], [2, 2, 4, 3])); // attention scores [B, H, L, dh] x [B, H, dh, L]
  });
  it('Transpose', async () => {
    await gradCheck(unary('Transpose', [2, 3, 4], { perm: { ints: [2, 0, 1] } }));
    await gradCheck(unary('Transpose', [2, 3, 4])); // default: reversed axes
  });
  it('Reshape', () =>
    gradCheck({ params: { x: [2, 3, 4] }, forward: (g, p) => g.op('Reshape', [p.x, g.ints([6, 2, 2])]) }));
  it('Unsqueeze', () =>
    gradCheck({ params: { x: [3, 4] }, forward: (g, p) => g.op('Unsqueeze', [p.x, g.ints([0, -1])]) }));
  it('Squeeze', () =>
    gradCheck({ params: { x: [3, 1, 4, 1] }, forward: (g, p) => g.op('Squeeze', [p.x, g.ints([1, -1])]) }));
  it('Concat', async () => {
    await gradCheck({
      params: { a: [2, 3], b: [2, 2] },
      forward: (g, p) => g.op('Concat', [p.a, p.b], { axis: { i: 1 } }),
    });
    // axis -1, with a constant between the parameters and one parameter used twice
    await gradCheck({
      params: { a: [2, 3, 2], b: [2, 3, 1] },
      forward: (g, p) => g.op('Concat', [p.a, g.op('Exp', [p.b]), p.b, p.a], { axis: { i: -1 } }),
    });
  });
  it('ReduceSum', async () => {
    await gradCheck({
      params: { x: [2, 3, 4] },
      forward: (g, p) => g.op('ReduceSum', [p.x, g.ints([1])], { keepdims: { i: 0 } }),
    });
    await gradCheck({
      params: { x: [2, 3, 4] },
      forward: (g, p) => g.op('ReduceSum', [p.x, g.ints([0, -1])], { keepdims: { i: 1 } }),
    });
    await gradCheck({ params: { x: [2, 3, 4] }, forward: (g, p) => g.op('ReduceSum', [p.x]) }); // every axis, keepdims default 1
  });
  it('ReduceMean', async () => {
    await gradCheck({
      params: { x: [2, 3, 4] },
      forward: (g, p) => g.op('ReduceMean', [p.x], { axes: { ints: [-1] }, keepdims: { i: 1 } }),
    });
    await gradCheck({
      params: { x: [2, 3, 4] },
      forward: (g, p) => g.op('ReduceMean', [p.x], { axes: { ints: [0, 2] }, keepdims: { i: 0 } }),
    });
  });
  it('Softmax', async () => {
    await gradCheck(unary('Softmax', [2, 3, 4], { axis: { i: -1 } }));
    await gradCheck(unary('Softmax', [2, 3, 4], { axis: { i: 1 } }));
  });
  it('LogSoftmax', async () => {
    await gradCheck(unary('LogSoftmax', [2, 3, 4], { axis: { i: -1 } }));
    await gradCheck(unary('LogSoftmax', [2, 3, 4], { axis: { i: 1 } }));
  });
  it('Gather', () =>
    gradCheck({
      params: { table: [5, 3] },
      forward: (g, p) =>
        g.op('Gather', [p.table, int64(g, 'ids', [1, 3, 1, 0, 3, 3, 4, 1], [2, 4])], { axis: { i: 0 } }),
    }));
  it('GatherElements', () =>
    gradCheck({
      params: { x: [3, 4] },
      forward: (g, p) =>
        g.op('GatherElements', [p.x, int64(g, 'ids', [0, 2, 2, 3, 2, 1, 1, 1, 0, 0, 3, 0, 3, 3, 1], [3, 5])], {
          axis: { i: 1 },
        }),
    }));
});

/** LayerNormalization over the last axis in float64: (x - mean) / sqrt(var + 1e-5) * scale + bias */
function layerNorm(x: Float64Array, scale: Float64Array, bias: Float64Array): Float64Array {
  const d = scale.length;
  const y = new Float64Array(x.length);
  for (let row = 0; row < x.length; row += d) {
    const xs = x.subarray(row, row + d);
    const mean = xs.reduce((p, q) => p + q, 0) / d;
    const inv = 1 / Math.sqrt(xs.reduce((p, q) => p + (q - mean) ** 2, 0) / d + 1e-5);
    xs.forEach((v, i) => (y[row + i] = (v - mean) * inv * scale[i] + bias[i]));
  }
  return y;
}

describe('autodiff, LayerNormalization and whole graphs', () => {
  it('LayerNormalization', async () => {
    const norm = (g: OnnxGraph, p: Params) =>
      g.op('LayerNormalization', [p.x, p.scale, p.bias], { axis: { i: -1 }, epsilon: { f: 1e-5 } });
    const params = { x: [2, 3, 5], scale: [5], bias: [5] };
    const jsLoss = (v: Vals, r: Float64Array) => layerNorm(v.x, v.scale, v.bias).reduce((s, y, i) => s + y * r[i], 0);
    await gradCheck({ dtype: FLOAT, tol: 1e-4, params, init: { scale: positive }, forward: norm, jsLoss });
    // float64 x also runs (its Mean and InvStdDev still come in float32, the default stash_type)
    await gradCheck({ params, init: { scale: positive }, forward: norm });
    await gradCheck({
      params: { x: [3, 4], scale: [4] },
      forward: (g, p) => g.op('LayerNormalization', [p.x, p.scale], { epsilon: { f: 1e-5 } }),
    }); // no bias
  });

  it('a 2-layer attention + layernorm + relu MLP', async () => {
    const [B, L, D, H, F] = [2, 3, 4, 2, 6];
    const dh = D / H;
    const names = ['wq', 'wk', 'wv', 'wo', 's1', 'b1', 'w1', 'c1', 'w2', 'c2', 's2', 'b2'];
    const dims: Record<string, number[]> = {
      wq: [D, D],
      wk: [D, D],
      wv: [D, D],
      wo: [D, D],
      w1: [D, F],
      w2: [F, D],
      c1: [F],
      s1: [D],
      b1: [D],
      c2: [D],
      s2: [D],
      b2: [D],
    };
    const params: Record<string, number[]> = { emb: [5, D] };
    for (const layer of [0, 1]) for (const n of names) params[`${n}${layer}`] = dims[n];
    await gradCheck({
      params,
      init: { s10: positive, s20: positive, s11: positive, s21: positive },
      feeds: { keep: boolTensor([1, 1, 1, 1, 1, 0], [B, 1, 1, L]) }, // the second sentence is padded
      forward: (g, p) => {
        const keep = g.input('keep', BOOL, [B, 1, 1, L]);
        const ln = (x: string, s: string, b: string) =>
          g.op('LayerNormalization', [x, s, b], { axis: { i: -1 }, epsilon: { f: 1e-5 } });
        const heads = (x: string) =>
          g.op('Transpose', [g.op('Reshape', [x, g.ints([B, L, H, dh])])], { perm: { ints: [0, 2, 1, 3] } });
        let x = g.op('Gather', [p.emb, int64(g, 'ids', [1, 3, 1, 4, 0, 0], [B, L])], { axis: { i: 0 } });
        for (const k of [0, 1]) {
          const w = (n: string) => p[`${n}${k}`];
          const [q, kk, v] = [w('wq'), w('wk'), w('wv')].map((m) => heads(g.op('MatMul', [x, m])));
          const scores = g.op('Div', [
            g.op('MatMul', [q, g.op('Transpose', [kk], { perm: { ints: [0, 1, 3, 2] } })]),
            g.floatScalar(Math.sqrt(dh)),
          ]);
          const probs = g.op('Softmax', [g.op('Where', [keep, scores, g.floatScalar(-1e4)])], { axis: { i: -1 } });
          const ctx = g.op('Reshape', [
            g.op('Transpose', [g.op('MatMul', [probs, v])], { perm: { ints: [0, 2, 1, 3] } }),
            g.ints([B, L, D]),
          ]);
          x = ln(g.op('Add', [x, g.op('MatMul', [ctx, w('wo')])]), w('s1'), w('b1'));
          const hidden = g.op('Relu', [g.op('Add', [g.op('MatMul', [x, w('w1')]), w('c1')])]);
          x = ln(g.op('Add', [x, g.op('Add', [g.op('MatMul', [hidden, w('w2')]), w('c2')])]), w('s2'), w('b2'));
        }
        return x;
      },
    });
  });

  it('an op without a rule on the path is an error naming it', () => {
    const g = new OnnxGraph('grad');
    g.dtype = DOUBLE;
    const x = g.input('x', DOUBLE, [3]);
    const loss = g.op('ReduceSum', [g.op('Tanh', [g.op('Exp', [x])])], { keepdims: { i: 0 } });
    expect(() => gradients(g, loss, [x])).toThrow(/Tanh/);
  });

  it('a parameter the loss does not use gets a zero gradient', async () => {
    const grads = await gradCheck({
      params: { used: [2, 3], unused: [4, 2] },
      forward: (g, p) => g.op('Exp', [p.used]),
    });
    expect(Array.from(grads.unused)).toEqual(new Array(8).fill(0));
  });

  it('a custom-gradient block takes its gradient whole (checked by finite differences: the rule is the true gradient)', async () => {
    // y = exp(x) * 3 as a block whose rule is dy * 3 * exp(x): the op-by-op walk is skipped
    await gradCheck({
      params: { x: [2, 3] },
      forward: (g, p) => {
        const e = g.op('Exp', [p.x]);
        const y = g.op('Mul', [e, g.floatScalar(3)]);
        g.customGradient([p.x], y, (dy) => [g.op('Mul', [dy, g.op('Mul', [e, g.floatScalar(3)])])]);
        return y;
      },
    });
  });

  it('a custom-gradient block whose inner value is used outside it is an error', () => {
    const g = new OnnxGraph('bad');
    g.dtype = DOUBLE;
    const x = g.input('x', DOUBLE, [3]);
    const e = g.op('Exp', [x]);
    const y = g.op('Mul', [e, g.floatScalar(3)]);
    g.customGradient([x], y, (dy) => [dy]);
    const loss = g.op('ReduceSum', [g.op('Add', [y, e])], { keepdims: { i: 0 } });
    expect(() => gradients(g, loss, [x])).toThrow(/inside the custom-gradient block/);
  });
});

describe("the losses' whole-gradient blocks against finite differences (float64)", () => {
  // 4 positions, 6 classes, the teacher's top 3; one position padded (weight 0), gold repeated
  // among the teacher's ids (both scatters land on one entry), CE weights apart from KL weights
  const [N, V, K] = [4, 6, 3];
  const gold = [2, 0, 5, 1];
  const ids = [2, 4, 1, 0, 3, 5, 5, 2, 0, 1, 2, 3];
  const probs = [0.5, 0.3, 0.1, 0.6, 0.2, 0.1, 0.4, 0.4, 0.1, 0.3, 0.3, 0.3];
  const plogp = [0, 1, 2, 3].map((n) => probs.slice(n * K, n * K + K).reduce((s, p) => s + p * Math.log(p), 0));
  const constants = (g: OnnxGraph) => ({
    gold: int64(g, 'gold', gold, [N]),
    weights: g.initializer('w', Float64Array.of(0.25, 0.25, 0.5, 0), [N]),
    ceWeights: g.initializer('wce', Float64Array.of(0.5, 0, 0.5, 0), [N]),
    soft: {
      ids: int64(g, 'ids', ids, [N, K]),
      probs: g.initializer('p', Float64Array.from(probs), [N, K]),
      plogp: g.initializer('plogp', Float64Array.from(plogp), [N]),
    },
  });
  const cases: Array<[string, (g: OnnxGraph, logits: string) => string]> = [
    [
      'Word-KD, a 0.5, T 2, label smoothing 0.1, CE weights of their own',
      (g, z) => {
        const c = constants(g);
        return wordKd(g, z, c.gold, c.weights, c.soft, { alpha: 0.5, temperature: 2, smoothing: 0.1 }, c.ceWeights);
      },
    ],
    [
      'Word-KD, a 0.3, T 1, no smoothing',
      (g, z) => {
        const c = constants(g);
        return wordKd(g, z, c.gold, c.weights, c.soft, { alpha: 0.3, temperature: 1 });
      },
    ],
    [
      'Word-KD, a 0 (the KL term alone), T 4',
      (g, z) => {
        const c = constants(g);
        return wordKd(g, z, c.gold, c.weights, c.soft, { alpha: 0, temperature: 4 });
      },
    ],
    [
      'cross-entropy, label smoothing 0.2',
      (g, z) => {
        const c = constants(g);
        return crossEntropy(g, z, c.gold, c.weights, 0.2);
      },
    ],
  ];
  for (const [name, loss] of cases)
    it(name, async () => {
      await gradCheck({ params: { z: [N, V] }, init: { z: (u) => 3 * u }, forward: (g, p) => loss(g, p.z) });
    });
});

describe('the embedding gradient on two kernel threads', () => {
  it('sums repeated ids exactly and the same every run (ScatterND add raced on repeats)', async () => {
    // a batch's worth of ids, a few of them very frequent (as BOS, punctuation and pad are)
    const [V, D, N] = [64, 256, 3000];
    const draw = rng(5);
    const ids = BigInt64Array.from({ length: N }, () => BigInt(Math.floor(((draw() + 1) / 2) ** 3 * V)));
    const r = Float32Array.from({ length: N * D }, draw);
    const g = new OnnxGraph('embedding');
    const table = g.input('table', FLOAT, [V, D]);
    // ids and R fed at run time: as initializers onnxruntime folds the whole gradient at load
    const y = g.op('Gather', [table, g.input('ids', INT64, [N])], { axis: { i: 0 } });
    const loss = g.op('ReduceSum', [g.op('Mul', [y, g.input('R', FLOAT, [N, D])])], { keepdims: { i: 0 } });
    const [grad] = gradients(g, loss, [table]);
    g.output(grad, FLOAT, [V, D]);
    const exact = new Float64Array(V * D);
    ids.forEach((id, i) => {
      for (let j = 0; j < D; j++) exact[Number(id) * D + j] += r[i * D + j];
    });
    const session = await ort.InferenceSession.create(modelBytes(g), { intraOpNumThreads: 2, logSeverityLevel: 3 });
    const feeds = {
      table: new ort.Tensor('float32', new Float32Array(V * D), [V, D]),
      ids: new ort.Tensor('int64', ids, [N]),
      R: new ort.Tensor('float32', r, [N, D]),
    };
    const first = (await session.run(feeds))[grad].data as Float32Array;
    expect(Math.max(...first.map((v, i) => Math.abs(v - exact[i])))).toBeLessThan(1e-3);
    for (let run = 0; run < 20; run++) {
      const again = (await session.run(feeds))[grad].data as Float32Array;
      expect(Buffer.from(again.buffer).equals(Buffer.from(first.buffer)), `run ${run + 2}`).toBe(true);
    }
  });
});
