// matMul whose gradient materialises its transposes. tfjs's own gradient multiplies with
// transposed operands (dA = dY·Bᵀ, dB = Aᵀ·dY), which tfjs-wasm runs ~10x slower than the same
// product with the transpose copied out first (measured: 1,164 ms against 130 ms for a
// 768x8000 by (256x8000)ᵀ product). Every backward pass goes through here.
import { tf } from '../engine/tf.js';

function swapLast(x: tf.Tensor): tf.Tensor {
  const r = x.rank;
  const perm = [...Array(r).keys()];
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return tf.transpose(x, perm);
}

type MatMul = <T extends tf.Tensor>(a: T, b: T) => T;

export const matMul: MatMul = tf.customGrad(((a: tf.Tensor, b: tf.Tensor, save: (ts: tf.Tensor[]) => void) => {
  save([a, b]);
  return {
    value: tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved;
      return [
        tf.matMul(dy as tf.Tensor3D, swapLast(sb) as tf.Tensor3D),
        tf.matMul(swapLast(sa) as tf.Tensor3D, dy as tf.Tensor3D),
      ];
    },
  };
}) as never) as unknown as MatMul;
