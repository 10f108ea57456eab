// kd bench: training and decoding throughput of the reference Transformer (the throughput issue's
// model: vocab 8000, d 256, ff 1024, 4 heads, 3+3 layers, batch 32 x 24 + 24 tokens), on the
// backend the toolkit picks for training and on onnxruntime (an export of the same weights, KV
// cache) for decoding, the path kd translate takes. A benchmark, never a test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beamSearch } from '../decode/beamSearch.js';
import { initBackend, tf } from '../engine/tf.js';
import { exportTranslation } from '../export/exportTranslation.js';
import { TfStepModel } from '../models/tfStepModel.js';
import { Transformer } from '../models/transformer.js';
import { parameterCount, type TransformerConfig } from '../models/transformerConfig.js';
import { OnnxSeq2Seq } from '../onnx/seq2seq.js';
import { EOS, BOS } from '../tokenize/tokenizer.js';
import { gradientSource } from '../train/dataParallel.js';
import { applyGradients } from '../train/gradients.js';
import { rng, type Batch } from '../train/batches.js';

export interface BenchShape {
  model: Omit<TransformerConfig, 'dropout'>;
  batch: number; srcLen: number; tgtLen: number; steps: number; warmup: number; decodeSentences: number; beams: number;
}

export const REFERENCE: BenchShape = {
  model: { vocabSize: 8000, dModel: 256, ffDim: 1024, heads: 4, encLayers: 3, decLayers: 3 },
  batch: 32, srcLen: 24, tgtLen: 24, steps: 5, warmup: 2, decodeSentences: 64, beams: 5,
};

/** Seconds long: for CI, to show the command works (its numbers mean nothing). */
export const SMOKE: BenchShape = {
  model: { vocabSize: 300, dModel: 32, ffDim: 64, heads: 4, encLayers: 1, decLayers: 1 },
  batch: 4, srcLen: 6, tgtLen: 6, steps: 2, warmup: 1, decodeSentences: 4, beams: 2,
};

export interface OursResult {
  backend: string; params: number; trainReplicas: number;
  trainTgtTokensPerS: number; trainStepS: number; trainStepsS: number[];
  greedySentencesPerS: { tfjs: number; onnx: number }; beamSentencesPerS: { onnx: number };
  peakRssMb: number;
}

let peakRss = 0;
const sampleRss = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss / 2 ** 20));

function randomRows(rand: () => number, n: number, len: number, vocab: number): number[][] {
  return Array.from({ length: n }, () => Array.from({ length: len }, () => 4 + Math.floor(rand() * (vocab - 4))));
}

export async function benchOurs(shape: BenchShape, backend: string | undefined, log: (m: string) => void, replicas = 0): Promise<OursResult> {
  const used = await initBackend(backend, log);
  const config: TransformerConfig = { ...shape.model, dropout: 0 };
  const model = Transformer.init(config, 1);
  const rand = rng(7);
  // training: Adam on one fixed batch, as the peer does (data loading is not what is measured)
  const src = randomRows(rand, shape.batch, shape.srcLen - 1, config.vocabSize);
  const tgt = randomRows(rand, shape.batch, shape.tgtLen - 1, config.vocabSize);
  const batch: Batch = {
    examples: src.map((s, index) => ({ index, src: s, tgt: tgt[index] })),
    srcRows: src.map((s) => [...s, EOS]), tgtIn: tgt.map((t) => [BOS, ...t]), tgtOut: tgt.map((t) => [...t, EOS]),
  };
  const optimizer = tf.train.adam(1e-4, 0.9, 0.98, 1e-9);
  // the trainer's engine: one thread, or data-parallel replicas on worker threads (auto: one per core)
  const gradients = await gradientSource(model, replicas);
  log(`bench: training on ${gradients.replicas} replica(s)`);
  const times: number[] = [];
  for (let step = 0; step < shape.warmup + shape.steps; step++) {
    const t0 = performance.now();
    const { grads } = await gradients.compute(batch, { kind: 'ce', alpha: 1, temperature: 1 });
    applyGradients(optimizer, grads);
    const dt = (performance.now() - t0) / 1000;
    sampleRss();
    log(`bench: train step ${step + 1}/${shape.warmup + shape.steps} ${dt.toFixed(2)} s${step < shape.warmup ? ' (warm-up)' : ''}`);
    if (step >= shape.warmup) times.push(dt);
  }
  await gradients.close();
  const stepS = median(times);
  // decoding: full length (eos banned), as the peer decodes exactly tgtLen tokens
  const sources = randomRows(rand, shape.decodeSentences, shape.srcLen - 1, config.vocabSize).map((s) => [...s, EOS]);
  const decodeOpts = { maxLength: shape.tgtLen + 1, badWordsIds: [[EOS]] };
  const timeIt = async (fn: () => Promise<unknown>) => {
    const t0 = performance.now();
    await fn();
    sampleRss();
    return shape.decodeSentences / ((performance.now() - t0) / 1000);
  };
  const tfGreedy = await timeIt(() => beamSearch(new TfStepModel(model), sources.map((s) => s.slice(0, -1)), { ...decodeOpts, numBeams: 1 }));
  log(`bench: tfjs greedy ${tfGreedy.toFixed(1)} sent/s`);
  const dir = mkdtempSync(join(tmpdir(), 'kd-bench-'));
  try {
    exportTranslation(model, null, join(dir, 'model'));
    const onnx = await OnnxSeq2Seq.load(join(dir, 'model'));
    await beamSearch(onnx, sources.slice(0, 2), { ...decodeOpts, numBeams: 1 }); // session warm-up
    const onnxGreedy = await timeIt(() => beamSearch(onnx, sources, { ...decodeOpts, numBeams: 1 }));
    log(`bench: onnxruntime greedy ${onnxGreedy.toFixed(1)} sent/s`);
    const onnxBeam = await timeIt(() => beamSearch(onnx, sources, { ...decodeOpts, numBeams: shape.beams }));
    log(`bench: onnxruntime beam-${shape.beams} ${onnxBeam.toFixed(1)} sent/s`);
    return {
      backend: used, params: parameterCount(config), trainReplicas: gradients.replicas,
      trainTgtTokensPerS: (shape.batch * shape.tgtLen) / stepS, trainStepS: stepS, trainStepsS: times,
      greedySentencesPerS: { tfjs: tfGreedy, onnx: onnxGreedy }, beamSentencesPerS: { onnx: onnxBeam }, peakRssMb: peakRss,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    model.dispose();
  }
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
