// The loss and gradients of one training batch, computed on this thread (LocalGradients) or split
// by sentences over worker threads (DataParallelGradients, ./dataParallel.ts). The trainer and
// `kd bench` only see this interface, so both measure and train the same way.
import type { SoftTargetLookup } from '../data/softTargets.js';
import { tf } from '../engine/tf.js';
import type { Transformer } from '../models/transformer.js';
import { type Batch, targetTokens } from './batches.js';

export { targetTokens };
import { batchLoss, type LossConfig } from './lossForBatch.js';

export interface BatchGradients {
  loss: number;
  /** keyed by tfjs variable name, as Optimizer.applyGradients wants; the caller disposes them */
  grads: tf.NamedTensorMap;
}

export interface GradientSource {
  readonly replicas: number;
  compute(batch: Batch, loss: LossConfig, soft?: SoftTargetLookup): Promise<BatchGradients>;
  close(): Promise<void>;
}

/** One optimizer step from a batch's gradients, which it then disposes. */
export function applyGradients(optimizer: tf.Optimizer, grads: tf.NamedTensorMap): void {
  optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
  tf.dispose(grads);
}

/** Loss and gradients of one batch through tf.variableGrads, on this thread's backend. */
export function gradientsHere(
  model: Transformer,
  batch: Batch,
  loss: LossConfig,
  soft?: SoftTargetLookup,
): { loss: tf.Scalar; grads: tf.NamedTensorMap } {
  const vars = [...model.params.values()];
  const { value, grads } = tf.variableGrads(() => batchLoss(model, batch, loss, soft), vars);
  return { loss: value, grads };
}

export class LocalGradients implements GradientSource {
  readonly replicas = 1;
  constructor(private readonly model: Transformer) {}

  async compute(batch: Batch, loss: LossConfig, soft?: SoftTargetLookup): Promise<BatchGradients> {
    const r = gradientsHere(this.model, batch, loss, soft);
    const value = (await r.loss.data())[0];
    r.loss.dispose();
    return { loss: value, grads: r.grads };
  }

  async close(): Promise<void> {}
}
