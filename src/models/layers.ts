// Building blocks of the Transformer (Vaswani et al. 2017), functional over a parameter map.
// Two tfjs-wasm facts shape this file (measured, see eval/bench/NOTES.md once written):
// matMul with a transposed operand is ~10x slower than with the transpose materialised, so
// transposes are explicit; and gather has no gradient kernel, so embedding lookups carry a
// custom gradient (a scatter-add of rows, done in JavaScript).
import { tf } from '../engine/tf.js';
import { matMul } from './matMul.js';
import { sinusoids } from './positions.js';

export type Params = Map<string, tf.Variable>;

export function param(p: Params, name: string): tf.Tensor {
  const v = p.get(name);
  if (!v) throw new Error(`model parameter '${name}' is missing`);
  return v;
}

/** x [..., in] @ W [in, out] + b */
export function linear(p: Params, name: string, x: tf.Tensor): tf.Tensor {
  const w = param(p, `${name}.w`);
  const shape = x.shape;
  const flat = tf.reshape(x, [-1, shape[shape.length - 1]]) as tf.Tensor2D;
  const y = tf.add(matMul(flat, w as tf.Tensor2D), param(p, `${name}.b`));
  return tf.reshape(y, [...shape.slice(0, -1), w.shape[1]!]);
}

export function layerNorm(p: Params, name: string, x: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  const normed = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5)));
  return tf.add(tf.mul(normed, param(p, `${name}.g`)), param(p, `${name}.b`));
}

/**
 * Embedding lookup rows of table [V, d] for ids [...]: gather forward; backward, the rows of dy
 * added into a [V, d] gradient on the JavaScript side. tfjs-wasm has no kernel for gather's
 * gradient (UnsortedSegmentSum); the one-hot product that stood in for it built an [N, V] matrix
 * and its transpose every step (measured: 2.3 s of a 2.6 s step for N = 1024, V = 2000 on this
 * machine), where the scatter-add touches N*d numbers.
 */
export function embed(table: tf.Tensor2D, ids: tf.Tensor): tf.Tensor {
  const [V, d] = table.shape;
  const flatIds = tf.reshape(ids, [-1]) as tf.Tensor1D;

  const lookup = tf.customGrad(((t: tf.Tensor, save: (ts: tf.Tensor[]) => void) => {
    save([flatIds]);
    return {
      value: tf.gather(t as tf.Tensor2D, flatIds),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        scatterAddRows(saved[0].dataSync() as Int32Array, dy.dataSync() as Float32Array, V, d),
    };
  }) as any);
  return tf.reshape(lookup(table), [...ids.shape, d]);
}

/** grad[V, d] with grad[ids[i]] += rows[i] (the gradient of a row gather). */
export function scatterAddRows(ids: ArrayLike<number>, rows: Float32Array, V: number, d: number): tf.Tensor2D {
  const grad = new Float32Array(V * d);
  for (let i = 0; i < ids.length; i++) {
    const to = ids[i] * d;
    const from = i * d;
    for (let j = 0; j < d; j++) grad[to + j] += rows[from + j];
  }
  return tf.tensor2d(grad, [V, d]);
}

/** Multi-head attention; mask is additive, broadcast to [B, heads, Lq, Lk]. */
export function attention(
  p: Params,
  name: string,
  q: tf.Tensor3D,
  kv: tf.Tensor3D,
  mask: tf.Tensor,
  heads: number,
): tf.Tensor3D {
  const [B, Lq, d] = q.shape;
  const Lk = kv.shape[1];
  const dh = d / heads;
  const split = (x: tf.Tensor, L: number) => tf.transpose(tf.reshape(x, [B, L, heads, dh]), [0, 2, 1, 3]);
  const Q = split(linear(p, `${name}.q`, q), Lq);
  const Kt = tf.transpose(tf.reshape(linear(p, `${name}.k`, kv), [B, Lk, heads, dh]), [0, 2, 3, 1]);
  const Vv = split(linear(p, `${name}.v`, kv), Lk);
  const scores = tf.add(tf.div(matMul(Q as tf.Tensor4D, Kt as tf.Tensor4D), Math.sqrt(dh)), mask);
  const ctx = matMul(tf.softmax(scores) as tf.Tensor4D, Vv as tf.Tensor4D);
  const merged = tf.reshape(tf.transpose(ctx, [0, 2, 1, 3]), [B, Lq, d]);
  return linear(p, `${name}.o`, merged) as tf.Tensor3D;
}

export function feedForward(p: Params, name: string, x: tf.Tensor): tf.Tensor {
  return linear(p, `${name}.2`, tf.relu(linear(p, `${name}.1`, x)));
}

/** Sinusoidal positions [L, d] (no parameters, any length). */
export function positions(L: number, d: number): tf.Tensor2D {
  return tf.tensor2d(sinusoids(L, d), [L, d]);
}

export function maybeDropout(x: tf.Tensor, rate: number, training: boolean): tf.Tensor {
  return training && rate > 0 ? tf.dropout(x, rate) : x;
}

/** Pre-LayerNorm self-attention encoder layers enc0..enc{n-1} and the final norm 'enc.ln'. */
export function encoderStack(
  p: Params,
  x: tf.Tensor3D,
  mask: tf.Tensor,
  c: { layers: number; heads: number; dropout: number },
  training: boolean,
): tf.Tensor3D {
  for (let l = 0; l < c.layers; l++) {
    const n1 = layerNorm(p, `enc${l}.ln1`, x) as tf.Tensor3D;
    x = tf.add(x, maybeDropout(attention(p, `enc${l}.self`, n1, n1, mask, c.heads), c.dropout, training));
    x = tf.add(x, maybeDropout(feedForward(p, `enc${l}.ff`, layerNorm(p, `enc${l}.ln2`, x)), c.dropout, training));
  }
  return layerNorm(p, 'enc.ln', x) as tf.Tensor3D;
}

/** Shapes of encoderStack's parameters, appended to `out`. */
export function encoderShapes(out: Array<[string, number[]]>, d: number, ffDim: number, layers: number): void {
  const lin = (name: string, i: number, o: number) => out.push([`${name}.w`, [i, o]], [`${name}.b`, [o]]);
  const norm = (name: string) => out.push([`${name}.g`, [d]], [`${name}.b`, [d]]);
  for (let l = 0; l < layers; l++) {
    norm(`enc${l}.ln1`);
    ['q', 'k', 'v', 'o'].forEach((x) => lin(`enc${l}.self.${x}`, d, d));
    norm(`enc${l}.ln2`);
    lin(`enc${l}.ff.1`, d, ffDim);
    lin(`enc${l}.ff.2`, ffDim, d);
  }
  norm('enc.ln');
}

/** Parameters of the given shapes: embeddings N(0, d^-1/2), matrices Glorot-uniform, norms 1, biases 0. */
export function initParams(shapes: Array<[string, number[]]>, dModel: number, seed: number, prefix: string): Params {
  const params: Params = new Map();
  let s = seed;
  for (const [name, shape] of shapes) {
    let t: tf.Tensor;
    if (name === 'embed' || name.endsWith('.embed')) t = tf.randomNormal(shape, 0, dModel ** -0.5, 'float32', s++);
    else if (name.endsWith('.w')) {
      const limit = Math.sqrt(6 / (shape[0] + shape[1]));
      t = tf.randomUniform(shape, -limit, limit, 'float32', s++);
    } else if (name.endsWith('.g')) t = tf.ones(shape);
    else t = tf.zeros(shape);
    params.set(name, tf.variable(t, true, prefix + name));
    t.dispose();
  }
  return params;
}
