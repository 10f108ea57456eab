// A text classifier's size and kind: the BERT-style teacher, its Transformer student and the
// fast bag-of-n-grams baseline are configs of two model kinds, not different pipelines.
import { encoderShapes } from './layers.js';

export interface ClassifierConfig {
  kind: 'transformer' | 'ngrams';
  numClasses: number;
  dModel: number; // transformer: width; ngrams: embedding width (default 64)
  ffDim: number; // transformer only
  heads: number; // transformer only
  layers: number; // transformer only
  dropout: number;
  maxTokens: number; // transformer: longer texts are truncated to this many subword tokens
  vocabSize: number; // transformer: the subword vocabulary's size (set from the tokenizer)
  buckets: number; // ngrams: hashed word unigram and bigram buckets (fastText's trick)
}

/** Parameter names and shapes, in a fixed order (checkpoints and counts rely on it). */
export function classifierShapes(c: ClassifierConfig): Array<[string, number[]]> {
  const out: Array<[string, number[]]> = [];
  if (c.kind === 'transformer') {
    out.push(['embed', [c.vocabSize, c.dModel]]);
    encoderShapes(out, c.dModel, c.ffDim, c.layers);
  } else {
    out.push(['ngram.embed', [c.buckets, c.dModel]]);
  }
  out.push(['head.w', [c.dModel, c.numClasses]], ['head.b', [c.numClasses]]);
  return out;
}

export function classifierParameterCount(c: ClassifierConfig): number {
  return classifierShapes(c).reduce((n, [, s]) => n + s.reduce((a, b) => a * b, 1), 0);
}

/** A classifier's training loss (src/models/classifierTrainingGraph.ts builds it; src/classify/losses.ts is the tfjs reference). */
export type ClassifierLossKind = 'ce' | 'kd' | 'logitmse' | 'annealed';
export interface ClassifierLoss {
  kind: ClassifierLossKind;
  alpha: number;
  temperature: number;
}

/** The gold label's weight in the annealed target after `step` of `totalSteps`: 0 -> 1, linear. */
export function annealWeight(step: number, totalSteps: number): number {
  return totalSteps <= 0 ? 1 : Math.min(1, Math.max(0, step / totalSteps));
}
