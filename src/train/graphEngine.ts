// A training engine on onnxruntime (./engine.ts): one graph runs forward, loss and backward
// (built by the model's graph builder, src/models/), gradients land in a ParamStore, and Adam
// steps the parameters in place. Translation and classification differ only in the graph they
// build and in how a batch becomes the graph's feeds.
import type { Ort, OrtTensor } from '../onnx/ort.js';
import { loadCheckpoint, saveCheckpoint } from '../util/checkpoint.js';
import { ADAM, Adam } from './adam.js';
import type { StepContext, TrainingEngine } from './engine.js';
import { GraphSession } from './graphSession.js';
import { ParamStore } from './paramStore.js';
import { WeightAverage } from './weightAverage.js';

export interface GraphModel<B> {
  label: string;
  shapes: Array<[string, number[]]>;
  dModel: number; // embeddings are initialised N(0, dModel^-1/2)
  dropout: number;
  /** the training graph's bytes, its dropout nodes seeded from `seed` */
  graph(seed: number): Uint8Array;
  feeds(ort: Ort, batch: B, ctx: StepContext): Record<string, OrtTensor>;
}

/**
 * clipNorm: the gradient's global norm clipped to it (0 = off); ema: the weight average's decay
 * (0 = off, ./weightAverage.ts); threads: the training session's kernel threads
 */
export interface GraphEngineOptions {
  clipNorm?: number;
  ema?: number;
  threads?: number;
}

export class GraphEngine<B> implements TrainingEngine<B> {
  readonly store: ParamStore;
  private readonly adam: Adam;
  private readonly average: WeightAverage | undefined;
  private readonly threads: number | undefined;
  private session: GraphSession | undefined;
  private sessionSeed = NaN;

  constructor(
    private readonly model: GraphModel<B>,
    private readonly seed: number,
    opts: GraphEngineOptions = {},
  ) {
    this.store = new ParamStore(model.shapes);
    this.store.init(model.dModel, seed);
    this.adam = new Adam(this.store, { ...ADAM, clipNorm: opts.clipNorm ?? 0 });
    this.average = opts.ema ? new WeightAverage(this.store, opts.ema) : undefined;
    this.threads = opts.threads;
  }

  get label(): string {
    return `${this.model.label} on onnxruntime`;
  }

  async beginInterval(index: number): Promise<void> {
    // without dropout the graph draws nothing: one session serves the whole run
    const seed = this.model.dropout > 0 ? (this.seed * 7919 + index) % 2_000_000 : this.seed;
    if (this.session && seed === this.sessionSeed) return;
    await this.session?.release();
    this.session = await GraphSession.create(this.model.graph(seed), this.store, this.threads);
    this.sessionSeed = seed;
  }

  async step(batch: B, lr: number, ctx: StepContext): Promise<number> {
    if (!this.session) await this.beginInterval(0);
    const loss = await this.session!.run(this.model.feeds(this.session!.ort, batch, ctx));
    if (!Number.isFinite(loss)) return loss;
    const updates = this.adam.t;
    this.adam.step(lr);
    // a clipped step whose gradient norm is not finite updates nothing, the average included
    if (this.adam.t > updates) this.average?.update();
    return loss;
  }

  async withAveraged<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.average) return fn();
    this.average.exchange();
    try {
      return await fn();
    } finally {
      this.average.exchange();
    }
  }

  async save(dir: string, withOptimizer: boolean, extra: object): Promise<void> {
    const state = withOptimizer ? [...this.adam.arrays(), ...(this.average?.arrays() ?? [])] : [];
    saveCheckpoint(dir, [...this.store.arrays(), ...state], extra);
  }

  async restore(dir: string): Promise<unknown> {
    const ck = loadCheckpoint(dir);
    this.store.load(ck.tensors, dir);
    this.adam.load(ck.tensors, dir);
    this.average?.load(ck.tensors, dir);
    return ck.index.extra;
  }

  async close(): Promise<void> {
    await this.session?.release();
    this.session = undefined;
  }
}
