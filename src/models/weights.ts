// Trained weights as plain named float arrays: what checkpoints hold, what the training engines
// keep, and what the ONNX graph builders take as initializers.
import type { TransformerConfig } from './transformerConfig.js';

export type TensorTable = Map<string, { data: Float32Array; dims: number[] }>;

/** A translation model's weights with its sizes (decoded and exported without tfjs). */
export interface TranslationWeights {
  config: TransformerConfig;
  tensors: TensorTable;
}

export type Weights = (name: string) => { data: Float32Array; dims: number[] };

export function weightsOf(tensors: TensorTable): Weights {
  return (name) => {
    const t = tensors.get(name);
    if (!t) throw new Error(`export: the model has no parameter ${name}`);
    return t;
  };
}
