// Masked-language-model pretraining of the Transformer classifier's encoder, as BERT pretrains
// before it fine-tunes (Devlin et al. 2019): some tokens of a text are hidden and the encoder
// learns to predict them from both sides. Written with the classifier's own graph code
// (./classifierGraph.ts's encoder), so the pretrained parameters are the teacher's, by name.
// The prediction head is the tied input embedding (the translation model ties its output the
// same way) plus a bias, 'mlm.bias'; BERT's extra dense + LayerNorm transform is left out: the
// encoder already ends in a LayerNorm. The loss is the cross-entropy at the hidden positions
// (weights: 1 / hidden count at each, 0 elsewhere).
import { FLOAT, INT64, modelBytes, OnnxGraph } from '../graph/onnxGraph.js';
import { type ClassifierConfig, classifierShapes } from './classifierConfig.js';
import { encoderConfigOf } from './classifierGraph.js';
import { classifierTrainingContext } from './classifierTrainingGraph.js';
import { crossEntropy } from './graphLosses.js';
import { finishTraining, type TrainingGraph } from './trainingGraph.js';
import { context, type Ctx, encoderStates, idsAndMask } from './transformerGraph.js';
import type { Weights } from './weights.js';

/** The encoder's parameters (the classifier's, without its head) and the prediction bias. */
export function mlmShapes(c: ClassifierConfig): Array<[string, number[]]> {
  if (c.kind !== 'transformer') throw new Error('masked-language-model pretraining is for the Transformer classifier');
  return [...classifierShapes(c).filter(([name]) => !name.startsWith('head.')), ['mlm.bias', [c.vocabSize]]];
}

/** Logits [B, L, V] of every position: the encoder's states against the tied embedding. */
function mlmLogits(x: Ctx, ids: string, mask: string, output?: string): string {
  const states = encoderStates(x, ids, mask);
  const embT = x.g.op('Transpose', [x.w('embed')], { perm: { ints: [1, 0] } });
  return x.g.op('Add', [x.g.op('MatMul', [states, embT]), x.w('mlm.bias')], {}, output);
}

/** Inputs: input_ids (hidden tokens replaced), attention_mask, targets (the original ids) and weights, all [B, L]. */
export function mlmTrainingGraph(c: ClassifierConfig, seed: number, dtype = FLOAT): TrainingGraph {
  const shapes = mlmShapes(c);
  const { g, x } = classifierTrainingContext('kd_mlm_train', c, shapes, seed, dtype);
  const logits = mlmLogits(
    x,
    g.input('input_ids', INT64, ['batch', 'seq_len']),
    g.input('attention_mask', INT64, ['batch', 'seq_len']),
  );
  const flat = (v: string) => g.op('Reshape', [v, g.ints([-1])]);
  const loss = crossEntropy(
    g,
    g.op('Reshape', [logits, g.ints([-1, c.vocabSize])]),
    flat(g.input('targets', INT64, ['batch', 'seq_len'])),
    flat(g.input('weights', dtype, ['batch', 'seq_len'])),
  );
  finishTraining(g, loss, shapes);
  return {
    bytes: modelBytes(g),
    params: shapes,
    batchInputs: ['training', 'input_ids', 'attention_mask', 'targets', 'weights'],
  };
}

/** Inference: input_ids, attention_mask -> logits [B, L, V] (the pretraining's dev score reads them). */
export function mlmGraph(c: ClassifierConfig, weights: Weights): OnnxGraph {
  const g = new OnnxGraph('kd_mlm');
  const x = context(g, encoderConfigOf(c), weights, new Set(), Math.max(c.maxTokens, 1));
  mlmLogits(x, ...idsAndMask(g, 'seq_len'), 'logits');
  g.output('logits', FLOAT, ['batch', 'seq_len', c.vocabSize]);
  return g;
}
