// Adam (Kingma & Ba 2015) over a ParamStore's flat buffers, with optional clipping of the gradient's
// global norm first (Pascanu et al. 2013). The loops are the store's SIMD kernel (./adamKernel.ts:
// ~6 ms a step for 7.6M parameters); this class keeps the schedule of bias corrections and the state.
import type { NamedArray } from '../util/checkpoint.js';
import type { ParamStore } from './paramStore.js';

export interface AdamOptions {
  beta1: number;
  beta2: number;
  eps: number;
  clipNorm: number;
}

export const ADAM: AdamOptions = { beta1: 0.9, beta2: 0.98, eps: 1e-9, clipNorm: 0 };

export class Adam {
  readonly m: Float32Array;
  readonly v: Float32Array;
  t = 0;

  constructor(
    private readonly store: ParamStore,
    private readonly opts: AdamOptions = ADAM,
  ) {
    this.m = store.kernel.m;
    this.v = store.kernel.v;
  }

  /**
   * One update from store.grads at learning rate lr. With clipping, returns the gradient's global
   * norm before it (a non-finite norm: no update); without, NaN (the norm pass is skipped).
   */
  step(lr: number): number {
    const { beta1, beta2, eps, clipNorm } = this.opts;
    let norm = NaN;
    let scale = 1;
    if (clipNorm > 0) {
      norm = Math.sqrt(this.store.kernel.gradSumSquares());
      if (!Number.isFinite(norm)) return norm;
      if (norm > clipNorm) scale = clipNorm / norm;
    }
    this.t++;
    this.store.kernel.adam(scale, lr / (1 - beta1 ** this.t), 1 / (1 - beta2 ** this.t), beta1, beta2, eps);
    return norm;
  }

  arrays(): NamedArray[] {
    return [
      { name: 'adam:m', data: this.m, shape: [this.m.length] },
      { name: 'adam:v', data: this.v, shape: [this.v.length] },
      { name: 'adam:t', data: Float32Array.of(this.t), shape: [1] },
    ];
  }

  load(tensors: Map<string, NamedArray>, where: string): void {
    const m = tensors.get('adam:m');
    const v = tensors.get('adam:v');
    const t = tensors.get('adam:t');
    if (!m || !v || !t || m.data.length !== this.m.length)
      throw new Error(`${where}: no Adam state of this model's size`);
    this.m.set(m.data);
    this.v.set(v.data);
    this.t = t.data[0];
  }
}
