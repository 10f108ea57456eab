// The pipeline file: typed, defaults stated here beside each key, unknown or mistyped keys are
// errors that name the file and the key's path (an option that is silently ignored is a bug).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import yaml from 'js-yaml';

import { TRAIN_ENGINES } from '../train/engine.js';
import { LR_DECAYS, type LrDecay } from '../train/trainLoop.js';
import { ConfigError, excerpt } from '../util/errors.js';
import { checkRanges, headsDivide, RULES } from './ranges.js';

const MODEL = { dModel: 256, ffDim: 1024, heads: 4, encLayers: 3, decLayers: 3, dropout: 0.1 };
// steps and minutes: training stops at whichever comes first (minutes 0: no time budget)
// engine: onnx (forward, loss and backward as one onnxruntime graph; the default) or tfjs (reference)
// labelSmoothing: CE against (1-e)*gold + e*uniform; clipNorm: clip the gradient's global norm (0 = off)
// replicas: tfjs engine only, data-parallel worker threads (0 = auto)
// ema: decay of an exponential moving average of the weights, which dev scores and the best
// checkpoint use (src/train/weightAverage.ts; 0 = off, e.g. 0.999)
const TRAIN = {
  steps: 1000,
  minutes: 0,
  batchTokens: 2000,
  lr: 1e-3,
  warmup: 200,
  decay: LR_DECAYS[0] as LrDecay, // after warm-up (src/train/trainLoop.ts)
  evalEvery: 250,
  checkpointEvery: 100,
  patience: 4,
  seed: 1,
  engine: 'onnx',
  labelSmoothing: 0,
  clipNorm: 0,
  ema: 0,
  replicas: 0,
  shuffleWindow: 100_000,
};

export const DEFAULTS = {
  name: 'pipeline', // results go to models/NAME/ and eval/NAME/
  corpus: {
    train: '',
    dev: '',
    test: '', // path prefixes: PREFIX.SRC / PREFIX.TGT (.gz accepted)
    src: 'en',
    tgt: 'de',
    maxTrain: 0,
    maxDev: 0,
    maxTest: 0, // first N pairs (0 = all)
    maxDistill: 0, // the teacher trains on all training pairs; it decodes, and the students learn from, the first N (0 = all)
    maxChars: 400, // the longest line kept (filter.overlong) or allowed (dev, test: longer is an error)
    // cleaning of the training pairs, each rule 'drop' (counted in the report) or 'error';
    // maxRatio: longer side over shorter in characters (0 = off); duplicates: exact pairs
    filter: {
      overlong: 'drop' as 'drop' | 'error',
      empty: 'drop' as 'drop' | 'error',
      maxRatio: 0,
      duplicates: 'keep' as 'drop' | 'keep',
    },
  },
  vocabSize: 4000, // shared source/target BPE vocabulary
  devSentences: 200, // dev pairs decoded for early stopping
  // onnx: a pretrained translation model folder (Hugging Face ONNX layout, e.g. OPUS-MT): no teacher
  // is trained, and the students use its vocabulary (vocabSize is then ignored)
  teacher: { onnx: '', model: { ...MODEL }, train: { ...TRAIN } },
  student: { model: { ...MODEL, dModel: 128, ffDim: 512, encLayers: 2, decLayers: 2 }, train: { ...TRAIN } },
  // which students to train: baseline (gold), wordkd, seqkd, seqinter, seqkd+wordkd, logitmse
  students: ['baseline', 'wordkd', 'seqkd', 'seqinter', 'seqkd+wordkd'],
  kd: { alpha: 0.5, temperature: 2, topK: 8 }, // Word-KD: a*CE + (1-a)*T^2*KL on the teacher's top-k
  // maxLength 0: 1.5 x source + 10. lengthPenaltyChoices: when listed, a teacher-lp stage picks the one
  // with the teacher's best dev BLEU at this beam (src/stages/tuneLengthPenalty.ts) in lengthPenalty's place
  generate: {
    beam: 5,
    nbest: 5,
    lengthPenalty: 1.0,
    lengthPenaltyChoices: [] as number[],
    maxLength: 0,
    batchSize: 64,
    chunk: 512,
    engine: 'onnx',
  },
  // engine: onnx | tfjs; maxLength 0: 1.5 x source + 10; int8: each student's int8 export too
  // (kd export --quantize int8), decoded in the same stage: its own report rows (needs engine onnx)
  eval: { beam: 5, lengthPenalty: 1.0, batchSize: 64, maxLength: 0, engine: 'onnx', int8: true },
  backend: '', // '' picks the fastest available; or tensorflow-gpu, tensorflow, wasm, cpu
};

export type PipelineConfig = typeof DEFAULTS;

const { int, num, oneOf, plainName } = RULES;
/** Training keys shared by every model a pipeline trains. */
export const TRAIN_RANGES = {
  steps: int(1),
  minutes: num(0, Infinity),
  lr: num(0, 10, true),
  warmup: int(0),
  decay: oneOf(...LR_DECAYS),
  evalEvery: int(1),
  checkpointEvery: int(1),
  patience: int(1),
  seed: int(0),
  ema: num(0, 1, false, true),
};
const MODEL_RANGES = {
  dModel: int(2),
  ffDim: int(1),
  heads: headsDivide,
  encLayers: int(1),
  decLayers: int(1),
  dropout: num(0, 1, false, true),
};
/** rules keyed under one path: prefixed('teacher.train', { lr }) gives { 'teacher.train.lr': lr } */
export const prefixed = (prefix: string, rules: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(rules).map(([k, v]) => [`${prefix}.${k}`, v]));
export const TRANSLATION_RANGES = {
  name: plainName,
  vocabSize: int(8),
  devSentences: int(1),
  'corpus.filter.overlong': oneOf('drop', 'error'),
  'corpus.filter.empty': oneOf('drop', 'error'),
  'corpus.filter.maxRatio': num(0, Infinity),
  'corpus.filter.duplicates': oneOf('drop', 'keep'),
  'corpus.maxTrain': int(0),
  'corpus.maxDev': int(0),
  'corpus.maxTest': int(0),
  'corpus.maxDistill': int(0),
  'corpus.maxChars': int(1),
  ...prefixed('*.model', MODEL_RANGES),
  ...prefixed('*.train', {
    ...TRAIN_RANGES,
    batchTokens: int(1),
    engine: oneOf(...TRAIN_ENGINES),
    labelSmoothing: num(0, 1, false, true),
    clipNorm: num(0, Infinity),
    replicas: int(0),
    shuffleWindow: int(1),
  }),
  'kd.alpha': num(0, 1),
  'kd.temperature': num(0, 100, true),
  'kd.topK': int(1),
  'generate.beam': int(1),
  'generate.nbest': int(1),
  'generate.lengthPenalty': num(-10, 10),
  'generate.lengthPenaltyChoices.*': num(-10, 10),
  'generate.maxLength': int(0),
  'generate.batchSize': int(1),
  'generate.chunk': int(1),
  'generate.engine': oneOf('onnx', 'tfjs'),
  'eval.beam': int(1),
  'eval.lengthPenalty': num(-10, 10),
  'eval.maxLength': int(0),
  'eval.batchSize': int(1),
  'eval.engine': oneOf('onnx', 'tfjs'),
} as Parameters<typeof checkRanges>[1];
export const STUDENT_KINDS = ['baseline', 'wordkd', 'seqkd', 'seqinter', 'seqkd+wordkd', 'logitmse'];

function kind(v: unknown): string {
  return Array.isArray(v) ? 'list' : v === null ? 'null' : typeof v;
}

/** Merges user values over defaults, checking every key and type. */
export function mergeChecked(defaults: unknown, user: unknown, path: string, file: string): unknown {
  if (user === undefined) return defaults;
  if (kind(user) !== kind(defaults)) {
    throw new ConfigError(`${file}: '${path}' should be a ${kind(defaults)}, got ${kind(user)} (${excerpt(user)})`);
  }
  if (kind(defaults) !== 'object') return user;
  const d = defaults as Record<string, unknown>;
  const out: Record<string, unknown> = { ...d };
  for (const [k, v] of Object.entries(user as Record<string, unknown>)) {
    const p = path ? `${path}.${k}` : k;
    if (!(k in d))
      throw new ConfigError(
        `${file}: unknown key '${p.length > 80 ? `${p.slice(0, 80)}...` : p}' (known here: ${Object.keys(d).join(', ')})`,
      );
    out[k] = mergeChecked(d[k], v, p, file);
  }
  return out;
}

/** The task a pipeline file declares: 'translate' (the default) or 'classify'. */
export function readPipelineFile(file: string): { task: string; raw: unknown } {
  let raw: unknown;
  try {
    raw = yaml.load(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message.split('\n')[0]}`, { cause: e });
  }
  const task = (raw as { task?: unknown } | null)?.task ?? 'translate';
  if (task !== 'translate' && task !== 'classify')
    throw new Error(`${file}: unknown task '${String(task)}' (known: translate, classify)`);
  return { task, raw };
}

export function loadPipeline(file: string, raw = readPipelineFile(file).raw): PipelineConfig {
  if (raw && typeof raw === 'object') delete (raw as { task?: unknown }).task;
  const config = mergeChecked(DEFAULTS, raw ?? {}, '', file) as PipelineConfig;
  for (const s of config.students) {
    if (!STUDENT_KINDS.includes(s))
      throw new ConfigError(`${file}: unknown student '${s}' (known: ${STUDENT_KINDS.join(', ')})`);
  }
  checkRanges(config, TRANSLATION_RANGES, file);
  if (config.eval.int8 && config.eval.engine !== 'onnx') {
    throw new ConfigError(
      `${file}: 'eval.int8' needs 'eval.engine' onnx (int8 models run on onnxruntime), got ${config.eval.engine}; set eval.int8: false`,
    );
  }
  const g = config.generate;
  if (g.nbest > g.beam)
    throw new ConfigError(`${file}: 'generate.nbest' (${g.nbest}) must not exceed 'generate.beam' (${g.beam})`);
  if (g.lengthPenaltyChoices.length > 8)
    throw new ConfigError(
      `${file}: 'generate.lengthPenaltyChoices' lists ${g.lengthPenaltyChoices.length} values: at most 8 (each is a beam search over the dev set)`,
    );
  for (const split of ['train', 'dev', 'test'] as const) {
    if (!config.corpus[split]) throw new ConfigError(`${file}: 'corpus.${split}' is required (a path prefix)`);
  }
  if (config.teacher.onnx && !existsSync(join(config.teacher.onnx, 'config.json'))) {
    throw new Error(
      `${file}: 'teacher.onnx' names ${config.teacher.onnx}, which has no config.json (a Hugging Face ONNX export folder is needed)`,
    );
  }
  return config;
}
