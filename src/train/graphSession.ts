// A training graph on onnxruntime: parameters fed from a ParamStore's views (no copy), gradients
// written by onnxruntime straight into the store's gradient views (preallocated outputs).
import { loadOrt, type Ort, type OrtSession, type OrtTensor, sessionOptions } from '../onnx/ort.js';
import type { ParamStore } from './paramStore.js';

export class GraphSession {
  private constructor(
    readonly ort: Ort,
    private readonly session: OrtSession,
    private readonly params: Record<string, OrtTensor>,
    private readonly fetches: Record<string, OrtTensor | null>,
  ) {}

  /** threads: onnxruntime's kernel threads (0 = every core; KD_ORT_THREADS when unset) */
  static async create(bytes: Uint8Array, store: ParamStore, threads?: number): Promise<GraphSession> {
    const ort = await loadOrt();
    const session = await ort.InferenceSession.create(bytes, sessionOptions(threads));
    const params: Record<string, OrtTensor> = {};
    const fetches: Record<string, OrtTensor | null> = { loss: null };
    store.names.forEach((name, i) => {
      params[name] = new ort.Tensor('float32', store.value(i), store.shapes[i]);
      fetches[`grad.${name}`] = new ort.Tensor('float32', store.grad(i), store.shapes[i]);
    });
    return new GraphSession(ort, session, params, fetches);
  }

  /** Runs forward and backward on a batch's feeds; returns the loss (gradients are in the store). */
  async run(batchFeeds: Record<string, OrtTensor>): Promise<number> {
    const out = await this.session.run({ ...this.params, ...batchFeeds }, this.fetches as Record<string, OrtTensor>);
    return Number((out.loss.data as Float32Array)[0]);
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
