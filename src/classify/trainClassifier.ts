// Training a text classifier (either kind, any of the four losses): its training graph on
// onnxruntime (src/models/classifierTrainingGraph.ts, run by src/train/graphEngine.ts), its
// batches (the examples shuffled anew each epoch, texts of like length batched together), its dev score (accuracy in percent, from
// logits computed on onnxruntime from the current weights), all run by the one training loop
// (src/train/trainLoop.ts). The checkpoints hold the parameters under classifierShapes' names,
// so TextClassifier.load reads best/ as it reads any classifier checkpoint.
import type { ClassifierLoss } from '../models/classifierConfig.js';
import { type ClassifierConfig, classifierShapes } from '../models/classifierConfig.js';
import { classifierTrainingGraph } from '../models/classifierTrainingGraph.js';
import type { TensorTable } from '../models/weights.js';
import { GraphClassifier } from '../runtime/graphClassifier.js';
import type { Tokenizer } from '../tokenize/tokenizer.js';
import { lengthGroupedBatches } from '../train/batches.js';
import { GraphEngine } from '../train/graphEngine.js';
import { type LoopOptions, type LoopResult, trainLoop } from '../train/trainLoop.js';
import { softmaxRows } from '../util/softmax.js';
import { type ClassifierExample, classifierFeeds } from './classifierBatch.js';
import { accuracy, predictions } from './metrics.js';

export type { ClassifierExample };

export interface ClassifierTrainOptions extends Omit<LoopOptions, 'minutes'> {
  minutes?: number; // default 0: no time budget
  batchSize: number;
  seed: number;
  loss: ClassifierLoss;
  ema?: number; // default 0: no weight average (src/train/weightAverage.ts)
}

export interface ClassifierTrainResult extends LoopResult {
  examplesPerSecond: number;
  engine: string;
}

export interface ClassifierData {
  train: ClassifierExample[];
  dev: { texts: string[]; gold: number[] };
}

/** rows of like length together (a text's characters stand for its tokens: no tokenizing twice) */
async function* epochBatches(
  train: ClassifierExample[],
  batchSize: number,
  seed: number,
): AsyncGenerator<ClassifierExample[]> {
  for (const batch of lengthGroupedBatches(train.length, batchSize, seed, (i) => train[i].text.length))
    yield batch.map((i) => train[i]);
}

/** Row-major logits [texts.length, C] of the given weights, on onnxruntime (./graphClassifier.ts). */
export async function graphLogits(
  c: ClassifierConfig,
  tokenizer: Tokenizer | null,
  tensors: TensorTable,
  texts: string[],
  batchSize = 64,
): Promise<Float32Array> {
  const model = await GraphClassifier.create(c, tokenizer, tensors);
  try {
    return await model.logits(texts, batchSize);
  } finally {
    await model.release();
  }
}

/**
 * init: parameters to start from, by name (a pretrained encoder: src/classify/pretrainMlm.ts); the
 * others keep their random initialisation. A resumed run restores its checkpoint over them.
 */
/** Copies init's arrays over the store's of the same name and shape; returns how many. */
function startFrom(arrays: Array<{ name: string; data: Float32Array; shape: number[] }>, init: TensorTable): number {
  let n = 0;
  for (const a of arrays) {
    const t = init.get(a.name);
    if (!t) continue;
    if (t.dims.join('x') !== a.shape.join('x'))
      throw new Error(`pretrained ${a.name}: shape ${t.dims.join('x')}, the model's is ${a.shape.join('x')}`);
    a.data.set(t.data);
    n++;
  }
  return n;
}

export async function trainClassifier(
  config: ClassifierConfig,
  tokenizer: Tokenizer | null,
  data: ClassifierData,
  opts: ClassifierTrainOptions,
  outDir: string,
  log: (m: string) => void,
  init?: TensorTable,
): Promise<ClassifierTrainResult> {
  if (!data.train.length) throw new Error('no training examples');
  if (config.kind === 'transformer' && (!tokenizer || tokenizer.vocabSize !== config.vocabSize)) {
    throw new Error(`a transformer classifier needs its tokenizer (of vocabSize ${config.vocabSize})`);
  }
  const engine = new GraphEngine<ClassifierExample[]>(
    {
      label: config.kind === 'transformer' ? 'Transformer classifier' : 'n-gram classifier',
      shapes: classifierShapes(config),
      dModel: config.dModel,
      dropout: config.dropout,
      graph: (seed) => classifierTrainingGraph(config, opts.loss, seed).bytes,
      feeds: (ort, batch, ctx) => classifierFeeds(ort, batch, config, tokenizer, opts.loss, ctx.progress),
    },
    opts.seed,
    { ema: opts.ema },
  );
  log(`training engine: ${engine.label}`);
  if (init) log(`starting from ${startFrom(engine.store.arrays(), init)} pretrained parameters`);
  const C = config.numClasses;
  const devAccuracy = async () => {
    const tensors: TensorTable = new Map(engine.store.arrays().map((a) => [a.name, { data: a.data, dims: a.shape }]));
    const probs = softmaxRows(await graphLogits(config, tokenizer, tensors, data.dev.texts, 64), C);
    return 100 * accuracy(predictions(probs, C).pred, data.dev.gold);
  };
  const result = await trainLoop(
    engine,
    {
      epoch: (e) => epochBatches(data.train, opts.batchSize, opts.seed + e),
      size: (batch) => batch.length,
      unit: 'ex',
    },
    { ...opts, minutes: opts.minutes ?? 0 },
    { name: 'accuracy', score: devAccuracy },
    outDir,
    log,
  );
  return { ...result, examplesPerSecond: result.perSecond, engine: engine.label };
}
