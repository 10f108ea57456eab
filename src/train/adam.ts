// Adam (Kingma & Ba 2015) over a ParamStore's flat buffers, in one JavaScript loop (a few
// nanoseconds a parameter: ~20 ms a step for 7.6M parameters against a step of seconds), with
// optional clipping of the gradient's global norm first (Pascanu et al. 2013).
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
    this.m = new Float32Array(store.size);
    this.v = new Float32Array(store.size);
  }

  /**
   * One update from store.grads at learning rate lr. With clipping, returns the gradient's global
   * norm before it (a non-finite norm: no update); without, NaN (the norm pass is skipped: ~6 ms
   * of a 300 ms step at 7.6M parameters).
   */
  step(lr: number): number {
    const { values: p, grads: g } = this.store;
    const { beta1, beta2, eps, clipNorm } = this.opts;
    let norm = NaN;
    let scale = 1;
    if (clipNorm > 0) {
      let sq = 0;
      for (let i = 0; i < g.length; i++) sq += g[i] * g[i];
      norm = Math.sqrt(sq);
      if (!Number.isFinite(norm)) return norm;
      if (norm > clipNorm) scale = clipNorm / norm;
    }
    this.t++;
    const stepSize = lr / (1 - beta1 ** this.t);
    const invC2 = 1 / (1 - beta2 ** this.t);
    const b1 = beta1,
      nb1 = 1 - beta1,
      b2 = beta2,
      nb2 = 1 - beta2;
    const { m, v } = this;
    // locals and a product by 1/c2 rather than a division: 36 against 48 ms a step at 7.6M (measured)
    for (let i = 0; i < p.length; i++) {
      const gi = g[i] * scale;
      const mi = b1 * m[i] + nb1 * gi;
      m[i] = mi;
      const vi = b2 * v[i] + nb2 * gi * gi;
      v[i] = vi;
      p[i] -= (stepSize * mi) / (Math.sqrt(vi * invC2) + eps);
    }
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
