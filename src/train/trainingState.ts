// Saving and restoring what a training run needs to continue exactly: parameters, Adam's moments
// and its running beta products, and the loop's own state (step, data position, history).
// The tfjs reference engine's (src/train/tfjsEngine.ts).
import { tf } from '../engine/tf.js';
import type { Params } from '../models/layers.js';
import { loadCheckpoint, type NamedArray, saveCheckpoint } from '../util/checkpoint.js';

type AdamInternals = { accBeta1: tf.Variable; accBeta2: tf.Variable };

/** A checkpoint of params (and, when given, the optimizer) with `extra` in its index. */
export async function saveTrainingState(
  dir: string,
  params: Params,
  optimizer: tf.AdamOptimizer | null,
  extra: object,
): Promise<void> {
  const tensors = [...params].map(([name, v]) => ({ name, tensor: v as tf.Tensor }));
  const optWeights = optimizer ? await optimizer.getWeights() : [];
  const acc = optimizer as unknown as AdamInternals | null;
  const adam = acc
    ? [
        { name: 'adam:accBeta1', tensor: acc.accBeta1 as tf.Tensor },
        { name: 'adam:accBeta2', tensor: acc.accBeta2 as tf.Tensor },
      ]
    : [];
  const all = [...tensors, ...optWeights.map((w) => ({ name: `opt:${w.name}`, tensor: w.tensor })), ...adam];
  // everything is stored as float32; int32 tensors (Adam's step counter) are converted, not reinterpreted
  const arrays: NamedArray[] = await Promise.all(
    all.map(async (t) => ({ name: t.name, data: Float32Array.from(await t.tensor.data()), shape: t.tensor.shape })),
  );
  saveCheckpoint(dir, arrays, { ...extra, optimizer: optWeights.map((w) => w.name) });
}

/** Restores params and optimizer from a checkpoint written by saveTrainingState; returns `extra`. */
export async function restoreTrainingState<Extra>(
  dir: string,
  params: Params,
  optimizer: tf.AdamOptimizer,
): Promise<Extra> {
  const ck = loadCheckpoint<Extra & { optimizer: string[] }>(dir);
  const t = (name: string) => {
    const a = ck.tensors.get(name)!;
    return tf.tensor(a.data, a.shape);
  };
  for (const [name, v] of params) v.assign(t(name));
  await optimizer.setWeights(ck.index.extra.optimizer.map((name) => ({ name, tensor: t(`opt:${name}`) })));
  // setWeights recomputes beta^t with pow(), one ulp off the product an unbroken run keeps; Adam
  // amplifies that on near-zero gradients, so the exact running products are restored as saved
  const acc = optimizer as unknown as AdamInternals;
  acc.accBeta1.assign(t('adam:accBeta1').reshape([]));
  acc.accBeta2.assign(t('adam:accBeta2').reshape([]));
  const { optimizer: _names, ...extra } = ck.index.extra;
  return extra as unknown as Extra;
}
