// The tiny Transformer classifier the export tests train for a few steps: three labels, two layers.
import type { ClassifierConfig } from '../../src/models/classifierConfig.js';

export const TINY_LABELS = ['admin', 'libs', 'x11'];
export const TINY_CLASSIFIER: ClassifierConfig = {
  kind: 'transformer',
  numClasses: 3,
  dModel: 16,
  ffDim: 32,
  heads: 2,
  layers: 2,
  dropout: 0,
  maxTokens: 12,
  vocabSize: 0,
  buckets: 0,
};
