// Training a translation Transformer: its batches (length-bucketed, shuffled within windows), its
// engine (onnxruntime by default, tfjs on request), its dev score (greedy BLEU, decoded on
// onnxruntime from the current weights), all run by the one loop (./trainLoop.ts).
import type { SoftTargetLookup } from '../data/softTargets.js';
import { Bleu } from '../metrics/index.js';
import { type LossSpec, translationTrainingGraph } from '../models/trainingGraph.js';
import type { Transformer } from '../models/transformer.js';
import { parameterShapes, type TransformerConfig } from '../models/transformerConfig.js';
import type { TranslationWeights } from '../models/weights.js';
import type { Ort } from '../onnx/ort.js';
import { trainedTranslationModel, translateTexts } from '../runtime/translationModel.js';
import type { SubwordCodec } from '../tokenize/subwordCodec.js';
import { type Batch, type Example, targetTokens } from './batches.js';
import { TRAIN_ENGINES, type TrainingEngine } from './engine.js';
import { arrayExamples, type ExampleStream, windowedBatches } from './exampleStream.js';
import { batchFeeds } from './graphBatch.js';
import { GraphEngine, type GraphEngineOptions } from './graphEngine.js';
import type { LossConfig } from './lossForBatch.js';
import { type LoopOptions, type LoopResult, trainLoop } from './trainLoop.js';

export interface TrainOptions extends Omit<LoopOptions, 'minutes'> {
  minutes?: number; // default 0: no time budget
  batchTokens: number; // default 2000 (target tokens incl. padding)
  seed: number; // default 1
  loss: LossConfig;
  engine?: string; // default 'onnx'
  labelSmoothing?: number; // default 0
  clipNorm?: number; // default 0: no clipping
  ema?: number; // default 0: no weight average (./weightAverage.ts)
  replicas?: number; // tfjs engine: data-parallel replicas on worker threads (0 = auto, src/train/dataParallel.ts)
  shuffleWindow?: number; // default 100,000 examples: shuffled and batched together (memory bound; src/train/exampleStream.ts)
}

export interface TrainData {
  /** read again every epoch (a file stream: memory holds one shuffle window) */
  train: Example[] | ExampleStream;
  dev: { src: number[][]; refs: string[] };
  tokenizer: SubwordCodec;
  soft?: SoftTargetLookup;
}

export interface TrainResult extends LoopResult {
  tokensPerSecond: number;
  engine: string;
}

async function engineFor(
  config: TransformerConfig,
  opts: TrainOptions,
  soft: SoftTargetLookup | undefined,
): Promise<{ engine: TrainingEngine<Batch>; weights: () => TranslationWeights | Transformer }> {
  const kind = opts.engine ?? 'onnx';
  if (kind === 'tfjs') {
    if (opts.labelSmoothing || opts.clipNorm || opts.ema)
      throw new Error('train.labelSmoothing, train.clipNorm and train.ema need the onnx engine');
    // tfjs loads only when asked for (its engine and data-parallel workers)
    const { Transformer } = await import('../models/transformer.js');
    const { TfjsEngine } = await import('./tfjsEngine.js');
    const model = Transformer.init(config, opts.seed);
    return { engine: new TfjsEngine(model, opts.loss, soft, opts.replicas ?? 0), weights: () => model };
  }
  if (kind !== 'onnx') throw new Error(`unknown training engine '${kind}' (known: ${TRAIN_ENGINES.join(', ')})`);
  const loss: LossSpec = { ...opts.loss, labelSmoothing: opts.labelSmoothing ?? 0 };
  const engine = translationGraphEngine(config, loss, opts.seed, { clipNorm: opts.clipNorm, ema: opts.ema }, soft);
  const weights = (): TranslationWeights => ({
    config,
    tensors: new Map(engine.store.arrays().map((a) => [a.name, { data: a.data, dims: a.shape }])),
  });
  return { engine, weights };
}

/** Greedy corpus BLEU of the current weights on the dev set (sacreBLEU-exact, detokenized), decoded as the eval stage decodes. */
export async function devBleu(
  weights: TranslationWeights | Transformer,
  dev: TrainData['dev'],
  tok: SubwordCodec,
): Promise<number> {
  const model = trainedTranslationModel(weights, 'onnx', () => {});
  try {
    const hyps = await translateTexts(model, (ids) => tok.decode(ids), dev.src, {
      numBeams: 1,
      maxLength: 0,
      batchSize: 64,
    });
    return new Bleu().corpus(hyps, [dev.refs]).score;
  } finally {
    model.dispose();
  }
}

/** The translation model's graph engine: its training graph for a loss, batches as its feeds (also what kd bench times). */
export function translationGraphEngine(
  config: TransformerConfig,
  loss: LossSpec,
  seed: number,
  opts: GraphEngineOptions = {},
  soft?: SoftTargetLookup,
): GraphEngine<Batch> {
  const model = {
    label: 'Transformer',
    shapes: parameterShapes(config),
    dModel: config.dModel,
    dropout: config.dropout,
    graph: (s: number) => translationTrainingGraph(config, loss, s).bytes,
    feeds: (ort: Ort, batch: Batch) => batchFeeds(ort, batch, loss.kind, soft),
  };
  return new GraphEngine<Batch>(model, seed, opts);
}

export async function trainTranslation(
  config: TransformerConfig,
  data: TrainData,
  opts: TrainOptions,
  outDir: string,
  log: (m: string) => void,
): Promise<TrainResult> {
  const { engine, weights } = await engineFor(config, opts, data.soft);
  log(`training engine: ${engine.label}`);
  const examples = Array.isArray(data.train) ? arrayExamples(data.train) : data.train;
  const window = opts.shuffleWindow ?? 100_000;
  const result = await trainLoop(
    engine,
    {
      epoch: (e) => windowedBatches(examples(), window, opts.batchTokens, opts.seed + e)[Symbol.asyncIterator](),
      size: targetTokens,
      unit: 'tok',
    },
    { ...opts, minutes: opts.minutes ?? 0 },
    { name: 'BLEU', score: () => devBleu(weights(), data.dev, data.tokenizer) },
    outDir,
    log,
  );
  return { ...result, tokensPerSecond: result.perSecond, engine: opts.engine ?? 'onnx' };
}
