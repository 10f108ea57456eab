// The classification pipeline file (task: classify): typed, defaults beside each key, unknown or
// mistyped keys are errors naming the file and key (mergeChecked, as for translation pipelines).
import { LR_DECAYS, type LrDecay } from '../train/trainLoop.js';
import { ConfigError } from '../util/errors.js';
import { mergeChecked, prefixed, TRAIN_RANGES } from './config.js';
import { checkRanges, headsDivide, RULES } from './ranges.js';

const TRANSFORMER = {
  kind: 'transformer',
  dModel: 128,
  ffDim: 512,
  heads: 4,
  layers: 4,
  dropout: 0.1,
  maxTokens: 64,
  buckets: 0,
};
// steps and minutes: training stops at whichever comes first (minutes 0: no time budget)
// ema: the weight average's decay, as for translation (./config.ts; 0 = off)
const TRAIN = {
  steps: 2000,
  minutes: 0,
  batchSize: 32,
  lr: 1e-3,
  warmup: 100,
  decay: LR_DECAYS[0] as LrDecay, // after warm-up (src/train/trainLoop.ts)
  evalEvery: 250,
  checkpointEvery: 100,
  patience: 4,
  seed: 1,
  ema: 0,
};

// the bag-of-n-grams classifier: the baseline students' and the teacher's n-gram member's
const NGRAMS = {
  model: { ...TRANSFORMER, kind: 'ngrams', dModel: 64, dropout: 0, buckets: 32768 },
  train: { ...TRAIN, lr: 1e-2 },
};

export const CLASSIFY_DEFAULTS = {
  task: 'classify',
  name: 'classify', // results go to models/NAME/ and eval/NAME/
  data: {
    dir: '', // {train,dev,test}.tsv, transfer.txt, labels.json (.gz accepted)
    maxTrain: 0,
    maxTransfer: 0,
    maxDev: 0,
    maxTest: 0, // first N lines (0 = all)
    maxChars: 1000, // a longer line is an input error
  },
  vocabSize: 4000, // subword vocabulary of the Transformer models
  // onnx: a pretrained classifier in Hugging Face's ONNX layout used as the teacher instead of
  // training one (its id2label must equal the dataset's labels); model and train are then unused
  // pretrain: the teacher's encoder first learns as a masked language model (BERT) on the training
  // and transfer texts, then fine-tunes from it; steps 0 = no pretraining (minutes caps it as for train)
  // ngrams: a bag-of-n-grams classifier trained on the labelled texts beside the teacher; the teacher
  // that labels the transfer set and is scored is then their ensemble (mean log-probabilities:
  // src/runtime/classifierEnsemble.ts); train.steps 0 = no such member
  teacher: {
    onnx: '',
    model: { ...TRANSFORMER },
    train: { ...TRAIN },
    ngrams: { model: { ...NGRAMS.model }, train: { ...NGRAMS.train, steps: 0 } },
    pretrain: {
      ...TRAIN,
      steps: 0,
      batchSize: 64,
      warmup: 200,
      evalEvery: 500,
      checkpointEvery: 500,
      patience: 100,
      maskRate: 0.15,
    },
  },
  student: { model: { ...TRANSFORMER, dModel: 64, ffDim: 256, layers: 2 }, train: { ...TRAIN } },
  baseline: { model: { ...NGRAMS.model }, train: { ...NGRAMS.train } },
  // students: scratch (gold), kd (one per temperature), annealed (BAM!), logitmse, baseline (gold), baseline-kd
  students: ['scratch', 'kd', 'annealed', 'baseline', 'baseline-kd'],
  kd: { alpha: 0.5, temperatures: [1, 2, 4, 8], baselineTemperature: 2 },
  label: { batchSize: 64, chunk: 2000 }, // the teacher's logits over the training and transfer texts (each KD student applies its own T)
  // int8: each Transformer and n-gram student also quantized to int8 (MatMul weights and embedding
  // tables), scored and timed in the same stage: its own report rows
  eval: { batchSize: 64, int8: true },
  backend: '',
};

export type ClassifyPipelineConfig = typeof CLASSIFY_DEFAULTS;
export const CLASSIFY_STUDENTS = ['scratch', 'kd', 'annealed', 'logitmse', 'baseline', 'baseline-kd'];

const { int, num, oneOf, plainName } = RULES;
const MODEL_RULES = {
  kind: oneOf('transformer', 'ngrams'),
  dModel: int(2),
  ffDim: int(0),
  heads: headsDivide,
  layers: int(0),
  dropout: num(0, 1, false, true),
  maxTokens: int(1),
  buckets: int(0),
};
const TRAIN_RULES = { ...TRAIN_RANGES, batchSize: int(1) };
export const CLASSIFY_RANGES = {
  name: plainName,
  vocabSize: int(8),
  'data.maxTrain': int(0),
  'data.maxTransfer': int(0),
  'data.maxDev': int(0),
  'data.maxTest': int(0),
  'data.maxChars': int(1),
  ...prefixed('*.model', MODEL_RULES),
  ...prefixed('*.train', TRAIN_RULES),
  // steps 0: the stage is off
  ...prefixed('teacher.pretrain', { ...TRAIN_RULES, steps: int(0), maskRate: num(0, 1, true, true) }),
  ...prefixed('teacher.ngrams.model', { ...MODEL_RULES, buckets: int(1) }),
  ...prefixed('teacher.ngrams.train', { ...TRAIN_RULES, steps: int(0) }),
  'kd.alpha': num(0, 1),
  'kd.temperatures.*': num(0, 100, true),
  'kd.baselineTemperature': num(0, 100, true),
  'label.batchSize': int(1),
  'label.chunk': int(1),
  'eval.batchSize': int(1),
} as Parameters<typeof checkRanges>[1];

export function loadClassifyPipeline(file: string, raw: unknown): ClassifyPipelineConfig {
  const config = mergeChecked(CLASSIFY_DEFAULTS, raw ?? {}, '', file) as ClassifyPipelineConfig;
  checkRanges(config, CLASSIFY_RANGES, file);
  for (const s of config.students) {
    if (!CLASSIFY_STUDENTS.includes(s))
      throw new ConfigError(`${file}: unknown student '${s}' (known: ${CLASSIFY_STUDENTS.join(', ')})`);
  }
  for (const m of [config.teacher.model, config.student.model, config.baseline.model]) {
    if (m.kind !== 'transformer' && m.kind !== 'ngrams')
      throw new ConfigError(`${file}: model kind '${m.kind}' (known: transformer, ngrams)`);
  }
  if (config.teacher.ngrams.model.kind !== 'ngrams')
    throw new ConfigError(`${file}: teacher.ngrams.model.kind must be 'ngrams' (the teacher's bag-of-n-grams member)`);
  if (!config.data.dir)
    throw new ConfigError(`${file}: 'data.dir' is required (a folder with train.tsv, dev.tsv, test.tsv, labels.json)`);
  return config;
}
