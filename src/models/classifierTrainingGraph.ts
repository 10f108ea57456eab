// A text classifier's training step as one ONNX graph, as ./trainingGraph.ts builds the
// translation model's: the model of ./classifierGraph.ts (either kind) with its parameters as graph
// inputs (named and shaped as classifierShapes: checkpoints keep their layout) and dropout on, a
// loss of src/classify/losses.ts written with ./graphLosses.ts, and every parameter's gradient.
// What the losses need from the teacher (its probabilities, log-probabilities, the annealed
// target) is computed in JavaScript (src/classify/classifierBatch.ts) and fed; the rows' weights
// make each loss the mean src/classify/losses.ts takes:
//   ce:        CE, weights = gold mask / labelled count (transfer examples have gold -1)
//   kd:        wordKd over all classes: KL weights 1/B, CE weights (ce_weights) as for ce
//   logitmse:  logitMse over all classes, weights 1/B
//   annealed:  softCrossEntropy against the fed target, weights 1/B
import { BOOL, FLOAT, INT64, modelBytes, OnnxGraph } from '../graph/onnxGraph.js';
import { type ClassifierConfig, type ClassifierLoss, classifierShapes } from './classifierConfig.js';
import { classifierInputs, classifierLogits, encoderConfigOf } from './classifierGraph.js';
import { crossEntropy, logitMse, softCrossEntropy, wordKd } from './graphLosses.js';
import { dropoutContext, finishTraining, parameterInputs, type TrainingGraph } from './trainingGraph.js';
import type { Ctx } from './transformerGraph.js';

/** The batch inputs a loss reads besides the features and 'training' (what classifierFeeds gives). */
export function classifierLossInputs(kind: ClassifierLoss['kind']): string[] {
  return {
    ce: ['gold', 'weights'],
    kd: ['gold', 'ce_weights', 'weights', 'soft_ids', 'soft_probs', 'soft_plogp'],
    logitmse: ['weights', 'soft_ids', 'soft_logp'],
    annealed: ['weights', 'target'],
  }[kind];
}

/** A training graph's start for the classifier's encoder: its parameters as inputs, 'training', dropout seeded. */
export function classifierTrainingContext(
  name: string,
  c: ClassifierConfig,
  shapes: Array<[string, number[]]>,
  seed: number,
  dtype: number,
): { g: OnnxGraph; x: Ctx } {
  const g = new OnnxGraph(name);
  g.dtype = dtype;
  const w = parameterInputs(g, shapes);
  g.input('training', BOOL, []);
  return {
    g,
    x: {
      g,
      c: encoderConfigOf(c),
      w,
      drop: dropoutContext(g, c.dropout, seed),
      maxPositions: Math.max(c.maxTokens, 1),
    },
  };
}

export function classifierTrainingGraph(
  c: ClassifierConfig,
  loss: ClassifierLoss,
  seed: number,
  dtype = FLOAT,
): TrainingGraph {
  const shapes = classifierShapes(c);
  const { g, x } = classifierTrainingContext('kd_classifier_train', c, shapes, seed, dtype);
  const inputs = classifierInputs(g, c);
  const logits = classifierLogits(x, c, inputs);
  const C = c.numClasses;
  const weights = g.input('weights', dtype, ['batch']);
  let value: string;
  if (loss.kind === 'ce') value = crossEntropy(g, logits, g.input('gold', INT64, ['batch']), weights);
  else if (loss.kind === 'kd') {
    const gold = g.input('gold', INT64, ['batch']);
    const ceWeights = g.input('ce_weights', dtype, ['batch']);
    const soft = {
      ids: g.input('soft_ids', INT64, ['batch', C]),
      probs: g.input('soft_probs', dtype, ['batch', C]),
      plogp: g.input('soft_plogp', dtype, ['batch']),
    };
    value = wordKd(g, logits, gold, weights, soft, { alpha: loss.alpha, temperature: loss.temperature }, ceWeights);
  } else if (loss.kind === 'logitmse') {
    value = logitMse(
      g,
      logits,
      g.input('soft_ids', INT64, ['batch', C]),
      g.input('soft_logp', dtype, ['batch', C]),
      weights,
    );
  } else if (loss.kind === 'annealed') {
    value = softCrossEntropy(g, logits, g.input('target', dtype, ['batch', C]), weights);
  } else throw new Error(`unknown classifier loss '${(loss as { kind: string }).kind}'`);
  finishTraining(g, value, shapes);
  const features = c.kind === 'transformer' ? ['input_ids', 'attention_mask'] : ['ngram_ids', 'ngram_weights'];
  return {
    bytes: modelBytes(g),
    params: shapes,
    batchInputs: ['training', ...features, ...classifierLossInputs(loss.kind)],
  };
}
