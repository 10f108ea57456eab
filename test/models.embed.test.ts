// The embedding lookup's hand-written gradient (a scatter-add of rows) against the one-hot
// product it replaced: the same numbers, repeated ids included.
import { beforeAll, describe, expect, it } from 'vitest';

import { initBackend, tf } from '../src/engine/tf.js';
import { embed } from '../src/models/layers.js';

describe('embed gradient', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('equals oneHot(ids)^T . dy, with repeated ids summed', () => {
    const V = 7,
      d = 3;
    const table = tf.randomNormal([V, d], 0, 1, 'float32', 3) as tf.Tensor2D;
    const ids = tf.tensor2d(
      [
        [1, 4, 1],
        [6, 0, 1],
      ],
      [2, 3],
      'int32',
    );
    const weights = tf.randomNormal([2, 3, d], 0, 1, 'float32', 4);
    const loss = (t: tf.Tensor) => tf.sum(tf.mul(embed(t as tf.Tensor2D, ids), weights));
    const got = tf.grad(loss)(table).arraySync() as number[][];
    const oneHot = tf.oneHot(tf.reshape(ids, [-1]) as tf.Tensor1D, V);
    const want = tf.matMul(oneHot, tf.reshape(weights, [-1, d]) as tf.Tensor2D, true, false).arraySync() as number[][];
    got.forEach((row, v) => row.forEach((x, j) => expect(x).toBeCloseTo(want[v][j], 5)));
    expect(got[2]).toEqual([0, 0, 0]); // an id not looked up gets no gradient
    const value = embed(table, ids).arraySync() as number[][][];
    expect(value[1][2]).toEqual((table.arraySync() as number[][])[1]);
  });
});
