// Text classifiers as ONNX graphs, written once for training (./classifierTrainingGraph.ts:
// parameters as inputs, dropout on) and inference (parameters as initializers), as
// src/classify/textClassifier.ts computes them:
//   transformer: the translation model's encoder (./transformerGraph.ts), the masked mean of its
//     states, dropout, the linear head; exported in the I/O of Hugging Face's sequence-classifier
//     exports (input_ids, attention_mask -> logits).
//   ngrams (fastText-style): rows of 'ngram.embed' gathered by hashed n-gram ids [B, G] and summed
//     with weights [B, G] (1/count, 0 for padding: the mean of the text's n-gram embeddings),
//     dropout, the linear head. Its inference graph serves dev accuracy only (no tokenizer.json
//     can express the hashing, so it is never exported).
import { FLOAT, INT64, OnnxGraph } from '../graph/onnxGraph.js';
import type { ClassifierConfig } from './classifierConfig.js';
import type { TransformerConfig } from './transformerConfig.js';
import { context, type Ctx, encoderStates } from './transformerGraph.js';
import type { Weights } from './weights.js';

/** The classifier's encoder in the translation model's terms (the graph code is shared). */
export function encoderConfigOf(c: ClassifierConfig): TransformerConfig {
  return {
    vocabSize: c.vocabSize,
    dModel: c.dModel,
    ffDim: c.ffDim,
    heads: c.heads,
    encLayers: c.layers,
    decLayers: 0,
    dropout: 0,
  };
}

/** The graph inputs of a classifier's features, by kind: [ids, mask] or [n-gram ids, n-gram weights]. */
export interface ClassifierInputs {
  ids: string;
  second: string;
}

/** Declares the kind's feature inputs (the names textFeatures in src/classify/classifierBatch.ts feeds). */
export function classifierInputs(g: OnnxGraph, c: ClassifierConfig): ClassifierInputs {
  if (c.kind === 'transformer')
    return {
      ids: g.input('input_ids', INT64, ['batch', 'seq_len']),
      second: g.input('attention_mask', INT64, ['batch', 'seq_len']),
    };
  return {
    ids: g.input('ngram_ids', INT64, ['batch', 'ngrams']),
    second: g.input('ngram_weights', g.dtype, ['batch', 'ngrams']),
  };
}

/** states [B, L, d] averaged over the tokens only: sum(states * mask) / max(count, 1) */
function meanPool(g: OnnxGraph, states: string, mask: string): string {
  const m = g.op('Unsqueeze', [g.op('Cast', [mask], { to: { i: g.dtype } }), g.ints([2])]);
  const sum = g.op('ReduceSum', [g.op('Mul', [states, m]), g.ints([1])], { keepdims: { i: 0 } });
  const count = g.op('Max', [g.op('ReduceSum', [m, g.ints([1])], { keepdims: { i: 0 } }), g.floatScalar(1)]);
  return g.op('Div', [sum, count]);
}

/** sum_j weights[b, j] * embed[ids[b, j]]: [B, d] (a lookup, not a dense [B, buckets] bag) */
function ngramPool(x: Ctx, ids: string, weights: string): string {
  const { g } = x;
  const rows = g.op('Gather', [x.w('ngram.embed'), ids], { axis: { i: 0 } });
  return g.op('ReduceSum', [g.op('Mul', [rows, g.op('Unsqueeze', [weights, g.ints([2])])]), g.ints([1])], {
    keepdims: { i: 0 },
  });
}

/** Class logits [B, C] of either kind: pooled features, dropout, the linear head. */
export function classifierLogits(x: Ctx, c: ClassifierConfig, inputs: ClassifierInputs, output?: string): string {
  const pooled =
    c.kind === 'transformer'
      ? meanPool(x.g, encoderStates(x, inputs.ids, inputs.second), inputs.second)
      : ngramPool(x, inputs.ids, inputs.second);
  return x.g.op('Add', [x.g.op('MatMul', [x.drop(pooled), x.w('head.w')]), x.w('head.b')], {}, output);
}

/** The inference graph: features -> logits [batch, C], parameters as initializers. */
export function classifierGraph(c: ClassifierConfig, weights: Weights): OnnxGraph {
  const g = new OnnxGraph('kd_classifier');
  const x = context(g, encoderConfigOf(c), weights, new Set(), Math.max(c.maxTokens, 1));
  classifierLogits(x, c, classifierInputs(g, c), 'logits');
  g.output('logits', FLOAT, ['batch', c.numClasses]);
  return g;
}
