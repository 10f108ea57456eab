// The translation Transformer trained on tfjs (./engine.ts): the reference the graph engine is
// tested against, and the path for a user with tfjs-node-gpu. Gradients by tf.variableGrads,
// split over worker threads on the JavaScript backends (./dataParallel.ts), Adam by tfjs.
import type { SoftTargetLookup } from '../data/softTargets.js';
import { tf } from '../engine/tf.js';
import type { Transformer } from '../models/transformer.js';
import type { Batch } from './batches.js';
import { gradientSource } from './dataParallel.js';
import type { TrainingEngine } from './engine.js';
import { applyGradients, type GradientSource } from './gradients.js';
import type { LossConfig } from './lossForBatch.js';
import { restoreTrainingState, saveTrainingState } from './trainingState.js';

export class TfjsEngine implements TrainingEngine<Batch> {
  private readonly optimizer: tf.AdamOptimizer;
  private gradients: GradientSource | undefined;

  constructor(
    readonly model: Transformer,
    private readonly loss: LossConfig,
    private readonly soft: SoftTargetLookup | undefined,
    private readonly replicas: number,
  ) {
    this.optimizer = tf.train.adam(1e-3, 0.9, 0.98, 1e-9);
  }

  get label(): string {
    return `Transformer on tfjs (${tf.getBackend()})`;
  }

  async beginInterval(): Promise<void> {
    this.gradients ??= await gradientSource(this.model, this.replicas);
  }

  async step(batch: Batch, lr: number): Promise<number> {
    await this.beginInterval();
    (this.optimizer as unknown as { learningRate: number }).learningRate = lr;
    const { loss, grads } = await this.gradients!.compute(batch, this.loss, this.soft);
    applyGradients(this.optimizer, grads);
    return loss;
  }

  save(dir: string, withOptimizer: boolean, extra: object): Promise<void> {
    return saveTrainingState(dir, this.model.params, withOptimizer ? this.optimizer : null, extra);
  }

  restore(dir: string): Promise<unknown> {
    return restoreTrainingState(dir, this.model.params, this.optimizer);
  }

  /** no weight average on this engine (train.ema needs the onnx engine) */
  async withAveraged<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  async close(): Promise<void> {
    await this.gradients?.close();
    this.gradients = undefined;
  }
}
