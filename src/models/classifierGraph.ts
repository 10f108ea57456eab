// A Transformer text classifier as one ONNX graph in the I/O of Hugging Face's sequence-classifier
// exports (input_ids, attention_mask -> logits): the translation export's encoder, then the masked
// mean of its states and the linear head, as src/classify/textClassifier.ts computes them.
import type { ClassifierConfig } from '../classify/classifierConfig.js';
import type { TransformerConfig } from './transformerConfig.js';
import { FLOAT, INT64, OnnxGraph } from '../graph/onnxGraph.js';
import { context, encoderStates } from './transformerGraph.js';
import type { Weights } from './weights.js';

/** The classifier's encoder in the translation model's terms (the graph code is shared). */
export function encoderConfigOf(c: ClassifierConfig): TransformerConfig {
  return { vocabSize: c.vocabSize, dModel: c.dModel, ffDim: c.ffDim, heads: c.heads, encLayers: c.layers, decLayers: 0, dropout: 0 };
}

export function classifierGraph(c: ClassifierConfig, weights: Weights): OnnxGraph {
  const g = new OnnxGraph('kd_classifier');
  const x = context(g, encoderConfigOf(c), weights, new Set(), c.maxTokens);
  const ids = g.input('input_ids', INT64, ['batch', 'seq_len']);
  const mask = g.input('attention_mask', INT64, ['batch', 'seq_len']);
  const states = encoderStates(x, ids, mask);
  // mean over the tokens only: sum(states * mask) / max(count, 1)
  const m = g.op('Unsqueeze', [g.op('Cast', [mask], { to: { i: FLOAT } }), g.ints([2])]);
  const sum = g.op('ReduceSum', [g.op('Mul', [states, m]), g.ints([1])], { keepdims: { i: 0 } });
  const count = g.op('Max', [g.op('ReduceSum', [m, g.ints([1])], { keepdims: { i: 0 } }), g.floatScalar(1)]);
  const pooled = g.op('Div', [sum, count]);
  g.op('Add', [g.op('MatMul', [pooled, x.w('head.w')]), x.w('head.b')], {}, 'logits');
  g.output('logits', FLOAT, ['batch', c.numClasses]);
  return g;
}
