// A model's parameters as the named float arrays the ONNX graph builders take as initializers.
import type { Params } from '../models/layers.js';
import type { Weights } from '../models/transformerGraph.js';

export type TensorTable = Map<string, { data: Float32Array; dims: number[] }>;

export function tensorsOf(params: Params): TensorTable {
  const out: TensorTable = new Map();
  for (const [name, v] of params) out.set(name, { data: v.dataSync() as Float32Array, dims: v.shape });
  return out;
}

export function weightsOf(tensors: TensorTable): Weights {
  return (name) => {
    const t = tensors.get(name);
    if (!t) throw new Error(`export: the model has no parameter ${name}`);
    return t;
  };
}
