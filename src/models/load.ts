// Loads a trained Transformer from a train stage's folder (its best parameters) as plain arrays:
// decoding, soft targets and export run on onnxruntime from these; the tfjs reference path turns
// them into a tfjs model only when asked (asTfjs).
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { Tokenizer } from '../tokenize/tokenizer.js';
import { loadCheckpoint } from '../util/checkpoint.js';
import { type ClassifierConfig, classifierShapes } from './classifierConfig.js';
import { readModelConfig } from './modelFolder.js';
import { parameterShapes, type TransformerConfig } from './transformerConfig.js';
import type { TensorTable, TranslationWeights } from './weights.js';

/** A trained classifier as plain arrays: its config, weights and (Transformer) tokenizer. */
export interface TrainedClassifier {
  config: ClassifierConfig;
  tensors: TensorTable;
  tokenizer: Tokenizer | null;
}

/** A classifier's model folder (./modelFolder.ts): config.json, tokenizer.json (Transformer) and a checkpoint. */
export function loadTrainedClassifier(dir: string, checkpoint = 'best'): TrainedClassifier {
  const config = readModelConfig<ClassifierConfig>(dir, 'classify');
  const tokFile = join(dir, 'tokenizer.json');
  const tensors = checkpointTensors(join(dir, checkpoint), classifierShapes(config));
  return { config, tensors, tokenizer: existsSync(tokFile) ? Tokenizer.load(tokFile) : null };
}

export function loadTrained(trainDir: string): TranslationWeights {
  const config = readModelConfig<TransformerConfig>(trainDir, 'translate');
  return { config, tensors: checkpointTensors(join(trainDir, 'best'), parameterShapes(config)) };
}

/** The tfjs Transformer holding these weights (the tfjs engine and its tests). */
export async function asTfjs(weights: TranslationWeights) {
  const { tf } = await import('../engine/tf.js');
  const { Transformer } = await import('./transformer.js');
  const params = new Map<string, InstanceType<typeof tf.Variable>>();
  // unnamed variables: tfjs gives each a unique name, so several loaded models coexist
  for (const [name, t] of weights.tensors) params.set(name, tf.variable(tf.tensor(t.data, t.dims), false));
  return new Transformer(weights.config, params);
}

/** A checkpoint's parameters of the given names and shapes (any missing or misshapen one is an error naming it). */
function checkpointTensors(dir: string, shapes: Array<[string, number[]]>): TensorTable {
  const stored = loadCheckpoint(dir).tensors;
  const tensors: TensorTable = new Map();
  for (const [name, shape] of shapes) {
    const t = stored.get(name);
    if (!t || t.shape.join() !== shape.join())
      throw new Error(`${dir}: parameter ${name} is missing or not of shape [${shape}]`);
    tensors.set(name, { data: t.data, dims: t.shape });
  }
  return tensors;
}
