// An exponential moving average of the parameters (Polyak averaging; Marian's
// --exponential-smoothing): after every optimizer step avg = d*avg + (1-d)*params, with
// d = min(decay, (1+n)/(10+n)) at the n-th update so that early on the average follows the fast
// moving weights rather than the random initialisation (TensorFlow's ExponentialMovingAverage with
// num_updates). Dev scores and the best checkpoint use the average; training goes on from the raw
// parameters. Short, clock-bound runs at high learning rates gain most: the average smooths the
// noise of the last steps that the best-of-evaluations checkpoint otherwise keeps.
import type { NamedArray } from '../util/checkpoint.js';
import type { ParamStore } from './paramStore.js';

export class WeightAverage {
  readonly values: Float32Array;
  private updates = 0;

  constructor(
    private readonly store: ParamStore,
    readonly decay: number,
  ) {
    if (!(decay > 0 && decay < 1)) throw new Error(`weight average decay ${decay}: want a number in (0, 1)`);
    this.values = Float32Array.from(store.values);
  }

  /** the decay of the next update */
  nextDecay(): number {
    return Math.min(this.decay, (1 + this.updates) / (10 + this.updates));
  }

  update(): void {
    const d = this.nextDecay();
    const nd = 1 - d;
    const p = this.store.values;
    const a = this.values;
    for (let i = 0; i < a.length; i++) a[i] = d * a[i] + nd * p[i];
    this.updates++;
  }

  /** Swaps the average and the parameters in place (twice: as before), so nothing model-sized is allocated. */
  exchange(): void {
    const p = this.store.values;
    const a = this.values;
    for (let i = 0; i < a.length; i++) {
      const t = p[i];
      p[i] = a[i];
      a[i] = t;
    }
  }

  arrays(): NamedArray[] {
    return [
      { name: 'average:values', data: this.values, shape: [this.values.length] },
      { name: 'average:updates', data: Float32Array.of(this.updates), shape: [1] },
    ];
  }

  load(tensors: Map<string, NamedArray>, where: string): void {
    const values = tensors.get('average:values');
    const updates = tensors.get('average:updates');
    if (!values || !updates || values.data.length !== this.values.length)
      throw new Error(`${where}: no weight average of this model's size (was it trained with train.ema 0?)`);
    this.values.set(values.data);
    this.updates = updates.data[0];
  }
}
