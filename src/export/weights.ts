// A tfjs model's parameters as the named float arrays the ONNX graph builders take as initializers.
import type { Params } from '../models/layers.js';
import type { Transformer } from '../models/transformer.js';
import type { TensorTable, TranslationWeights } from '../models/weights.js';

export function tensorsOf(params: Params): TensorTable {
  const out: TensorTable = new Map();
  for (const [name, v] of params) out.set(name, { data: v.dataSync() as Float32Array, dims: v.shape });
  return out;
}

/** Weights of either kind of trained translation model: the tfjs Transformer, or plain arrays. */
export function translationWeights(model: Transformer | TranslationWeights): TranslationWeights {
  return 'tensors' in model ? model : { config: model.config, tensors: tensorsOf(model.params) };
}
