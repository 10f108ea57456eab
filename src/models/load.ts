// Loads a trained Transformer from a train stage's folder (its best parameters).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from '../engine/tf.js';
import { loadCheckpoint } from '../util/checkpoint.js';
import { Transformer } from './transformer.js';
import type { TransformerConfig } from './transformerConfig.js';

export function loadTrained(trainDir: string): Transformer {
  const { modelConfig } = JSON.parse(readFileSync(join(trainDir, 'result.json'), 'utf8')) as { modelConfig: TransformerConfig };
  const { tensors } = loadCheckpoint(join(trainDir, 'best'));
  const params = new Map<string, tf.Variable>();
  // unnamed variables: tfjs gives each a unique name, so several loaded models coexist
  for (const [name, t] of tensors) {
    params.set(name, tf.variable(tf.tensor(t.data, t.shape), false));
  }
  return new Transformer(modelConfig, params);
}
