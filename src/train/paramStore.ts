// A model's parameters, their gradients and Adam's moments as flat float32 buffers (in the Adam
// kernel's memory: ./adamKernel.ts), with one view per parameter (fed to onnxruntime as inputs and
// written by it as preallocated outputs): no model-sized allocation per step.
import type { NamedArray } from '../util/checkpoint.js';
import { AdamKernel } from './adamKernel.js';
import { rng } from './batches.js';

export class ParamStore {
  readonly names: string[];
  readonly shapes: number[][];
  readonly values: Float32Array;
  readonly grads: Float32Array;
  readonly kernel: AdamKernel;
  private readonly offsets: number[] = [];

  constructor(shapes: Array<[string, number[]]>) {
    this.names = shapes.map(([n]) => n);
    this.shapes = shapes.map(([, s]) => s);
    let total = 0;
    for (const s of this.shapes) {
      this.offsets.push(total);
      total += s.reduce((a, b) => a * b, 1);
    }
    this.kernel = new AdamKernel(total);
    this.values = this.kernel.values;
    this.grads = this.kernel.grads;
  }

  get size(): number {
    return this.values.length;
  }

  private span(i: number): [number, number] {
    return [this.offsets[i], this.offsets[i] + this.shapes[i].reduce((a, b) => a * b, 1)];
  }

  value(i: number): Float32Array {
    return this.values.subarray(...this.span(i));
  }

  grad(i: number): Float32Array {
    return this.grads.subarray(...this.span(i));
  }

  get(name: string): Float32Array {
    const i = this.names.indexOf(name);
    if (i < 0) throw new Error(`no parameter ${name}`);
    return this.value(i);
  }

  arrays(): NamedArray[] {
    return this.names.map((name, i) => ({ name, data: this.value(i), shape: this.shapes[i] }));
  }

  /** Copies named arrays in (a checkpoint); every parameter must be there with its shape. */
  load(tensors: Map<string, NamedArray>, where: string): void {
    this.names.forEach((name, i) => {
      const t = tensors.get(name);
      if (!t || t.data.length !== this.value(i).length)
        throw new Error(`${where}: parameter ${name} is missing or of another shape`);
      this.value(i).set(t.data);
    });
  }

  /**
   * Fresh values: embeddings N(0, d^-1/2), matrices Glorot-uniform, norm gains 1, biases 0
   * (a seeded generator: the same seed gives the same bytes).
   */
  init(dModel: number, seed: number): void {
    const random = rng(seed);
    const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    this.names.forEach((name, i) => {
      const v = this.value(i);
      const s = this.shapes[i];
      if (name === 'embed' || name.endsWith('.embed'))
        for (let j = 0; j < v.length; j++) v[j] = normal() * dModel ** -0.5;
      else if (name.endsWith('.w')) {
        const limit = Math.sqrt(6 / (s[0] + s[1]));
        for (let j = 0; j < v.length; j++) v[j] = (2 * random() - 1) * limit;
      } else v.fill(name.endsWith('.g') ? 1 : 0);
    });
  }
}
