// Distillation losses: values against direct float64 formulas, gradients against finite
// differences, and the T^2 scaling that makes high-temperature Word-KD become logit matching.
import { beforeAll, describe, expect, it } from 'vitest';

import { crossEntropy, logitMse, softKl, wordKd } from '../src/distill/losses.js';
import { initBackend, tf } from '../src/engine/tf.js';

const logSoftmax = (z: number[]) => {
  const m = Math.max(...z);
  const s = Math.log(z.reduce((a, x) => a + Math.exp(x - m), 0)) + m;
  return z.map((x) => x - s);
};
const softmax = (z: number[], t = 1) => logSoftmax(z.map((x) => x / t)).map(Math.exp);

const Z = [
  [1.0, -0.5, 0.3, 2.0, -1.2],
  [0.1, 0.2, -0.3, 0.0, 0.5],
  [3.0, 1.0, 0.0, -1.0, -2.0],
];
const GOLD = [3, 4, 0];
const MASK = [1, 1, 0]; // the third position is padding
const TEACHER = [
  [0.5, 1.5, -0.2, 1.0, 0.0],
  [1.0, -1.0, 0.5, 0.2, 0.3],
  [0.0, 0.0, 0.0, 0.0, 0.0],
];

function softTargets(T: number, k: number) {
  const ids: number[][] = [];
  const probs: number[][] = [];
  for (const row of TEACHER) {
    const p = softmax(row, T);
    const top = p
      .map((x, i) => [x, i])
      .sort((a, b) => b[0] - a[0])
      .slice(0, k);
    const sum = top.reduce((a, [x]) => a + x, 0);
    ids.push(top.map(([, i]) => i));
    probs.push(top.map(([x]) => x / sum));
  }
  return { ids: tf.tensor2d(ids, undefined, 'int32'), probs: tf.tensor2d(probs), raw: { ids, probs } };
}

describe('distillation losses', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });
  const gold = () => tf.tensor1d(GOLD, 'int32');
  const mask = () => tf.tensor1d(MASK);

  it('cross-entropy is the mean -log q(gold) over unmasked positions', () => {
    const expected = (-logSoftmax(Z[0])[3] - logSoftmax(Z[1])[4]) / 2;
    expect(crossEntropy(tf.tensor2d(Z), gold(), mask()).dataSync()[0]).toBeCloseTo(expected, 5);
  });

  it('Word-KD = a*CE + (1-a)*T^2*KL on the top-k, by hand', () => {
    const T = 2;
    const st = softTargets(T, 3);
    let kl = 0;
    for (const r of [0, 1]) {
      const logq = logSoftmax(Z[r].map((x) => x / T));
      st.raw.ids[r].forEach((id, j) => {
        const p = st.raw.probs[r][j];
        kl += p * (Math.log(p) - logq[id]);
      });
    }
    kl /= 2;
    const ce = (-logSoftmax(Z[0])[3] - logSoftmax(Z[1])[4]) / 2;
    const got = wordKd(tf.tensor2d(Z), gold(), mask(), st, { alpha: 0.3, temperature: T }).dataSync()[0];
    expect(got).toBeCloseTo(0.3 * ce + 0.7 * T * T * kl, 4);
  });

  it('gradients match central finite differences', () => {
    const st = softTargets(2, 3);
    const f = (z: tf.Tensor2D) => wordKd(z, gold(), mask(), st, { alpha: 0.5, temperature: 2 });
    const z0 = tf.tensor2d(Z);
    const analytic = tf
      .grad((z: tf.Tensor) => f(z as tf.Tensor2D))(z0)
      .arraySync() as number[][];
    const eps = 1e-2;
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 5; c++) {
        const shift = (d: number) => {
          const zz = Z.map((row) => [...row]);
          zz[r][c] += d;
          return f(tf.tensor2d(zz)).dataSync()[0];
        };
        const numeric = (shift(eps) - shift(-eps)) / (2 * eps);
        expect(Math.abs(analytic[r][c] - numeric)).toBeLessThan(2e-3);
      }
    }
    // padding gets no gradient
    expect(analytic[2].every((g) => g === 0)).toBe(true);
  });

  it('T^2 scaling: at high T the soft gradient tends to (z - v)/V, logit matching', () => {
    const T = 100;
    const V = 5;
    const center = (row: number[]) => {
      const m = row.reduce((a, b) => a + b) / V;
      return row.map((x) => x - m);
    };
    const z = center(Z[0]);
    const v = center(TEACHER[0]);
    const soft = { ids: tf.tensor2d([[0, 1, 2, 3, 4]], undefined, 'int32'), probs: tf.tensor2d([softmax(v, T)]) };
    const g = tf.grad((x: tf.Tensor) =>
      wordKd(x as tf.Tensor2D, tf.tensor1d([0], 'int32'), tf.tensor1d([1]), soft, { alpha: 0, temperature: T }),
    )(tf.tensor2d([z]));
    const got = (g.arraySync() as number[][])[0];
    z.forEach((zi, i) => expect(Math.abs(got[i] - (zi - v[i]) / V)).toBeLessThan(5e-3));
    // without the T^2 factor the same gradient would be T^2 = 10^4 times smaller
    expect(Math.max(...got.map(Math.abs))).toBeGreaterThan(0.05);
  });

  it('KL is zero when the student equals the teacher, and logit MSE is zero likewise', () => {
    const T = 1;
    const ids = tf.tensor2d([[0, 1, 2, 3, 4]], undefined, 'int32');
    const z = tf.tensor2d([TEACHER[0]]);
    expect(softKl(z, { ids, probs: tf.tensor2d([softmax(TEACHER[0], T)]) }, T).dataSync()[0]).toBeCloseTo(0, 5);
    expect(logitMse(z, ids, tf.tensor2d([logSoftmax(TEACHER[0])]), tf.tensor1d([1])).dataSync()[0]).toBeCloseTo(0, 6);
  });
});
