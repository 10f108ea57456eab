// A model's parameters as the named float arrays the ONNX graph builders take as initializers.
import { positions } from '../models/layers.js';
import type { Params } from '../models/layers.js';
import type { Weights } from './translationGraphs.js';

export type TensorTable = Map<string, { data: Float32Array; dims: number[] }>;

export function tensorsOf(params: Params): TensorTable {
  const out: TensorTable = new Map();
  for (const [name, v] of params) out.set(name, { data: v.dataSync() as Float32Array, dims: v.shape });
  return out;
}

/** The sinusoid table the graphs gather positions from (the tfjs models compute it on the fly). */
export function addPositions(tensors: TensorTable, count: number, dModel: number): void {
  const pos = positions(count, dModel);
  tensors.set('positions', { data: pos.dataSync() as Float32Array, dims: [count, dModel] });
  pos.dispose();
}

export function weightsOf(tensors: TensorTable): Weights {
  return (name) => {
    const t = tensors.get(name);
    if (!t) throw new Error(`export: the model has no parameter ${name}`);
    return t;
  };
}
