// kd bench: training and decoding throughput of three Transformer shapes (the throughput issue's
// reference model, the pipeline's default student, the demo's student), measured the way kd
// trains (the graph engine on onnxruntime by default, tfjs on request) and decodes (an export of
// the same weights on onnxruntime, KV cache). One shape per process (src/bench/benchReport.ts
// starts `kd bench --measure-ours SHAPE`), so each figure, memory included, is that shape's alone.
// A benchmark, never a test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beamSearch } from '../decode/beamSearch.js';
import { exportTranslation } from '../export/exportTranslation.js';
import type { LossSpec } from '../models/trainingGraph.js';
import type { Transformer } from '../models/transformer.js';
import { parameterCount, type TransformerConfig } from '../models/transformerConfig.js';
import type { TranslationWeights } from '../models/weights.js';
import { defaultThreads, inferenceLanes } from '../onnx/ort.js';
import { OnnxSeq2Seq } from '../onnx/seq2seq.js';
import { BOS, EOS, PAD } from '../tokenize/tokenizer.js';
import { type Batch, rng } from '../train/batches.js';
import { translationGraphEngine } from '../train/trainer.js';

export interface BenchShape {
  model: Omit<TransformerConfig, 'dropout'>;
  /** steps timed after `warmup` untimed ones (2: the peer's fixed warm-up) */
  batch: number;
  srcLen: number;
  tgtLen: number;
  steps: number;
  warmup: number;
  decodeSentences: number;
  beams: number;
}

export const SHAPE_NAMES = ['reference', 'student', 'demo'] as const;
export type ShapeName = (typeof SHAPE_NAMES)[number];

// every shape trains on 32 sentences of 24 source + 24 target tokens and decodes 64 sentences
const RUN = { batch: 32, srcLen: 24, tgtLen: 24, warmup: 2, decodeSentences: 64, beams: 5 };

export const SHAPES: Record<ShapeName, BenchShape> = {
  // the throughput issue's model
  reference: {
    model: { vocabSize: 8000, dModel: 256, ffDim: 1024, heads: 4, encLayers: 3, decLayers: 3 },
    ...RUN,
    steps: 5,
  },
  // the pipeline's default student (src/pipeline/config.ts)
  student: {
    model: { vocabSize: 8000, dModel: 128, ffDim: 512, heads: 4, encLayers: 2, decLayers: 2 },
    ...RUN,
    steps: 10,
  },
  // the demo's student (pipelines/demo.yaml)
  demo: { model: { vocabSize: 2000, dModel: 64, ffDim: 256, heads: 4, encLayers: 2, decLayers: 2 }, ...RUN, steps: 20 },
};
export const REFERENCE = SHAPES.reference;

/** Seconds long: for CI, to show the command works (its numbers mean nothing). Same names, tiny models. */
const TINY = { batch: 4, srcLen: 6, tgtLen: 6, steps: 2, warmup: 1, decodeSentences: 4, beams: 5 };
export const SMOKE_SHAPES: Record<ShapeName, BenchShape> = {
  reference: { model: { vocabSize: 300, dModel: 32, ffDim: 64, heads: 4, encLayers: 1, decLayers: 1 }, ...TINY },
  student: { model: { vocabSize: 300, dModel: 16, ffDim: 32, heads: 4, encLayers: 1, decLayers: 1 }, ...TINY },
  demo: { model: { vocabSize: 200, dModel: 16, ffDim: 32, heads: 2, encLayers: 1, decLayers: 1 }, ...TINY },
};
export const SMOKE = SMOKE_SHAPES.reference;

export const BENCH_ENGINES = ['onnx', 'tfjs'] as const;

/**
 * Matrix-multiply FLOPs of one training step (what GFLOP/s is counted from; embedding gathers,
 * softmaxes, layer norms, the loss and Adam are left out). B sentences, S source positions (the
 * tokens and eos), T target positions (bos and the tokens), d = dModel, f = ffDim, V = vocabulary;
 * multiply-accumulates (MACs) of the forward pass:
 *   encoder layer:  B*S*(4d^2 [q, k, v, o] + 2df [feed-forward] + 2Sd [scores QK^T and their sum over V])
 *   decoder layer:  B*T*(4d^2 + 2Td [self-attention, all T positions as computed, masked])
 *                 + B*T*(2d^2 [cross q, o] + 2Sd [cross scores and sum]) + B*S*2d^2 [cross k, v of the source]
 *                 + B*T*2df [feed-forward]
 *   output:         B*T*d*V [tied projection to the vocabulary]
 * forward FLOPs = 2 x MACs (a multiply and an add); a training step = 3 x forward (backward
 * computes the gradients for the inputs and for the weights, each one forward's worth).
 */
export function trainingFlops(s: BenchShape): number {
  const { dModel: d, ffDim: f, vocabSize: V, encLayers, decLayers } = s.model;
  const B = s.batch;
  const S = s.srcLen;
  const T = s.tgtLen;
  const enc = B * S * (4 * d * d + 2 * d * f + 2 * S * d);
  const dec = B * T * (4 * d * d + 2 * T * d) + B * T * (2 * d * d + 2 * S * d) + B * S * 2 * d * d + B * T * 2 * d * f;
  const macs = encLayers * enc + decLayers * dec + B * T * d * V;
  return 3 * 2 * macs;
}

export interface OursResult {
  engine: string; // what trained: 'Transformer on onnxruntime', or '... on tfjs (wasm)'
  ortThreads: number; // onnxruntime's kernel threads (training graph and decoding; 0 = every core: KD_ORT_THREADS)
  ortLanes: number; // worker lanes the beam search shares each batch among (src/onnx/sessionLanes.ts)
  ortProviders: string; // onnxruntime's execution providers (KD_ORT_PROVIDERS)
  params: number;
  trainReplicas: number;
  setupS: number; // building the training graph and its session (or the tfjs model and its replicas)
  trainTgtTokensPerS: number;
  trainStepS: number;
  trainStepsS: number[];
  trainGflopPerS: number;
  greedySentencesPerS: number;
  beamSentencesPerS: number;
  /** the same decoding on the int8 export (kd export --quantize int8: what a deployed student runs) */
  int8GreedySentencesPerS: number;
  int8BeamSentencesPerS: number;
  peakRssMb: number; // this process's ru_maxrss (process.resourceUsage().maxRSS) at the end
}

export interface OursOptions {
  engine: string;
  backend?: string;
  replicas: number;
}

function randomRows(rand: () => number, n: number, len: number, vocab: number): number[][] {
  return Array.from({ length: n }, () => Array.from({ length: len }, () => 4 + Math.floor(rand() * (vocab - 4))));
}

interface BenchTrainer {
  label: string;
  replicas: number;
  step(step: number, total: number): Promise<void>;
  weights(): Transformer | TranslationWeights;
  close(): Promise<void>;
}

const LR = 1e-4; // the peer's
const CE: LossSpec = { kind: 'ce', alpha: 1, temperature: 1, labelSmoothing: 0 };

/** The trainer's graph engine (src/train/trainer.ts engineFor), CE without dropout as the peer trains. */
async function graphTrainer(config: TransformerConfig, batch: Batch): Promise<BenchTrainer> {
  const engine = translationGraphEngine(config, CE, 1);
  await engine.beginInterval(0);
  return {
    label: engine.label,
    replicas: 1,
    step: async (step, total) => {
      const loss = await engine.step(batch, LR, { step, progress: step / total });
      if (!Number.isFinite(loss)) throw new Error(`bench: training loss ${loss} at step ${step}`);
    },
    weights: () => ({
      config,
      tensors: new Map(engine.store.arrays().map((a) => [a.name, { data: a.data, dims: a.shape }])),
    }),
    close: () => engine.close(),
  };
}

/** tfjs: gradients on one thread or data-parallel replicas on worker threads, Adam by tfjs (the old path). */
async function tfjsTrainer(
  config: TransformerConfig,
  batch: Batch,
  opts: OursOptions,
  log: (m: string) => void,
): Promise<BenchTrainer> {
  const { initBackend, tf } = await import('../engine/tf.js');
  const { Transformer } = await import('../models/transformer.js');
  const { gradientSource } = await import('../train/dataParallel.js');
  const { applyGradients } = await import('../train/gradients.js');
  const backend = await initBackend(opts.backend, log);
  const model = Transformer.init(config, 1);
  const optimizer = tf.train.adam(LR, 0.9, 0.98, 1e-9);
  const gradients = await gradientSource(model, opts.replicas);
  return {
    label: `Transformer on tfjs (${backend})`,
    replicas: gradients.replicas,
    step: async () => {
      const { grads } = await gradients.compute(batch, { kind: 'ce', alpha: 1, temperature: 1 });
      applyGradients(optimizer, grads);
    },
    weights: () => model,
    close: async () => {
      await gradients.close();
      optimizer.dispose();
      model.dispose();
    },
  };
}

/** One shape, once: training steps on one fixed batch, then greedy and beam decoding of the trained weights. */
export async function benchOurs(shape: BenchShape, opts: OursOptions, log: (m: string) => void): Promise<OursResult> {
  if (!(BENCH_ENGINES as readonly string[]).includes(opts.engine))
    throw new Error(`unknown training engine '${opts.engine}' (known: ${BENCH_ENGINES.join(', ')})`);
  const config: TransformerConfig = { ...shape.model, dropout: 0 };
  const rand = rng(7);
  // training: Adam on one fixed batch, as the peer does (data loading is not what is measured)
  const src = randomRows(rand, shape.batch, shape.srcLen - 1, config.vocabSize);
  const tgt = randomRows(rand, shape.batch, shape.tgtLen - 1, config.vocabSize);
  const batch: Batch = {
    examples: src.map((s, index) => ({ index, src: s, tgt: tgt[index] })),
    srcRows: src.map((s) => [...s, EOS]),
    tgtIn: tgt.map((t) => [BOS, ...t]),
    tgtOut: tgt.map((t) => [...t, EOS]),
  };
  const t0 = performance.now();
  const trainer =
    opts.engine === 'tfjs' ? await tfjsTrainer(config, batch, opts, log) : await graphTrainer(config, batch);
  const setupS = (performance.now() - t0) / 1000;
  log(
    `bench: training ${trainer.label}${trainer.replicas > 1 ? `, ${trainer.replicas} replicas` : ''} (set up in ${setupS.toFixed(2)} s)`,
  );
  let closed = false;
  const close = async () => {
    if (!closed) await trainer.close();
    closed = true;
  };
  const dir = mkdtempSync(join(tmpdir(), 'kd-bench-'));
  try {
    const total = shape.warmup + shape.steps;
    const times: number[] = [];
    for (let step = 1; step <= total; step++) {
      const s0 = performance.now();
      await trainer.step(step, total);
      const dt = (performance.now() - s0) / 1000;
      log(`bench: train step ${step}/${total} ${dt.toFixed(3)} s${step <= shape.warmup ? ' (warm-up)' : ''}`);
      if (step > shape.warmup) times.push(dt);
    }
    const stepS = median(times);
    exportTranslation(trainer.weights(), null, join(dir, 'model'), {
      merged: false,
      beamSearch: true,
      quantize: 'int8',
    });
    await close(); // after the export, which reads the tfjs model's tensors
    // decoding: full length (eos banned), as the peer decodes exactly tgtLen tokens; the export takes eos
    // in the ids; pad banned as kd's generation_config bans it (the whole search then runs in onnxruntime)
    const sources = randomRows(rand, shape.decodeSentences, shape.srcLen - 1, config.vocabSize).map((s) => [...s, EOS]);
    const decodeOpts = { maxLength: shape.tgtLen + 1, badWordsIds: [[EOS], [PAD]] };
    const timeIt = async (fn: () => Promise<unknown>) => {
      const d0 = performance.now();
      await fn();
      return shape.decodeSentences / ((performance.now() - d0) / 1000);
    };
    const decodeSpeeds = async (dtype: 'fp32' | 'q8') => {
      const onnx = await OnnxSeq2Seq.load(join(dir, 'model'), { dtype });
      // warm-up (sessions, arenas) on two sentences at each width
      await beamSearch(onnx, sources.slice(0, 2), { ...decodeOpts, numBeams: 1 });
      await beamSearch(onnx, sources.slice(0, 2), { ...decodeOpts, numBeams: shape.beams });
      const greedy = await timeIt(() => beamSearch(onnx, sources, { ...decodeOpts, numBeams: 1 }));
      const beam = await timeIt(() => beamSearch(onnx, sources, { ...decodeOpts, numBeams: shape.beams }));
      log(`bench: onnxruntime ${dtype} greedy ${greedy.toFixed(1)}, beam-${shape.beams} ${beam.toFixed(1)} sent/s`);
      await onnx.close();
      return { greedy, beam };
    };
    const { greedy, beam } = await decodeSpeeds('fp32');
    const int8 = await decodeSpeeds('q8');
    return {
      engine: trainer.label,
      ortThreads: defaultThreads(),
      ortLanes: inferenceLanes(),
      ortProviders: process.env.KD_ORT_PROVIDERS || 'cpu',
      params: parameterCount(config),
      trainReplicas: trainer.replicas,
      setupS,
      trainTgtTokensPerS: (shape.batch * shape.tgtLen) / stepS,
      trainStepS: stepS,
      trainStepsS: times,
      trainGflopPerS: trainingFlops(shape) / stepS / 1e9,
      greedySentencesPerS: greedy,
      beamSentencesPerS: beam,
      int8GreedySentencesPerS: int8.greedy,
      int8BeamSentencesPerS: int8.beam,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    await close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
