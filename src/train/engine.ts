// What the one training loop (./trainLoop.ts) drives: something that takes a batch and a learning
// rate and makes one optimizer step, and saves and restores everything needed to go on exactly.
// The graph engines (onnxruntime: ./graphEngine.ts) train by default; ./tfjsEngine.ts keeps the
// tfjs path for the translation model as a reference.

export const TRAIN_ENGINES = ['onnx', 'tfjs'] as const;

export interface StepContext {
  step: number; // 1-based number of this step
  progress: number; // 0..1 through the run (steps or minutes, whichever is further): teacher annealing uses it
}

export interface TrainingEngine<B> {
  readonly label: string;
  /** One forward/backward pass and optimizer update; returns the batch's loss. */
  step(batch: B, lr: number, ctx: StepContext): Promise<number>;
  /**
   * Called before the first step of each checkpoint interval (and on resume): dropout draws from
   * generators seeded per interval, so a run resumed from a checkpoint drops exactly what an
   * unbroken one does.
   */
  beginInterval(index: number): Promise<void>;
  /**
   * Runs fn with the weight average (train.ema) in the parameters' place, where there is one:
   * dev scores and the best checkpoint are the average's.
   */
  withAveraged<T>(fn: () => Promise<T>): Promise<T>;
  save(dir: string, withOptimizer: boolean, extra: object): Promise<void>;
  /** Restores parameters and optimizer from `dir`; returns the `extra` saved with them. */
  restore(dir: string): Promise<unknown>;
  close(): Promise<void>;
}
