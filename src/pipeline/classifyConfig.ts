// The classification pipeline file (task: classify): typed, defaults beside each key, unknown or
// mistyped keys are errors naming the file and key (mergeChecked, as for translation pipelines).
import { mergeChecked } from './config.js';

const TRANSFORMER = { kind: 'transformer', dModel: 128, ffDim: 512, heads: 4, layers: 4, dropout: 0.1, maxTokens: 64, buckets: 0 };
// steps and minutes: training stops at whichever comes first (minutes 0: no time budget)
const TRAIN = { steps: 2000, minutes: 0, batchSize: 32, lr: 1e-3, warmup: 100, evalEvery: 250, checkpointEvery: 100, patience: 4, seed: 1 };

export const CLASSIFY_DEFAULTS = {
  task: 'classify',
  name: 'classify',            // results go to models/NAME/ and eval/NAME/
  data: {
    dir: '',                   // {train,dev,test}.tsv, transfer.txt, labels.json (.gz accepted)
    maxTrain: 0, maxTransfer: 0, maxDev: 0, maxTest: 0, // first N lines (0 = all)
    maxChars: 1000,            // a longer line is an input error
  },
  vocabSize: 4000,             // subword vocabulary of the Transformer models
  // onnx: a pretrained classifier in Hugging Face's ONNX layout used as the teacher instead of
  // training one (its id2label must equal the dataset's labels); model and train are then unused
  teacher: { onnx: '', model: { ...TRANSFORMER }, train: { ...TRAIN } },
  student: { model: { ...TRANSFORMER, dModel: 64, ffDim: 256, layers: 2 }, train: { ...TRAIN } },
  baseline: { model: { ...TRANSFORMER, kind: 'ngrams', dModel: 64, dropout: 0, buckets: 32768 }, train: { ...TRAIN, lr: 1e-2 } },
  // students: scratch (gold), kd (one per temperature), annealed (BAM!), logitmse, baseline (gold), baseline-kd
  students: ['scratch', 'kd', 'annealed', 'baseline', 'baseline-kd'],
  kd: { alpha: 0.5, temperatures: [1, 2, 4, 8], baselineTemperature: 2 },
  label: { temperature: 2, batchSize: 64, chunk: 2000 }, // the teacher's soft labels as written
  eval: { batchSize: 64 },
  backend: '',
};

export type ClassifyPipelineConfig = typeof CLASSIFY_DEFAULTS;
export const CLASSIFY_STUDENTS = ['scratch', 'kd', 'annealed', 'logitmse', 'baseline', 'baseline-kd'];

export function loadClassifyPipeline(file: string, raw: unknown): ClassifyPipelineConfig {
  const config = mergeChecked(CLASSIFY_DEFAULTS, raw ?? {}, '', file) as ClassifyPipelineConfig;
  for (const s of config.students) {
    if (!CLASSIFY_STUDENTS.includes(s)) throw new Error(`${file}: unknown student '${s}' (known: ${CLASSIFY_STUDENTS.join(', ')})`);
  }
  for (const m of [config.teacher.model, config.student.model, config.baseline.model]) {
    if (m.kind !== 'transformer' && m.kind !== 'ngrams') throw new Error(`${file}: model kind '${m.kind}' (known: transformer, ngrams)`);
  }
  if (!config.data.dir) throw new Error(`${file}: 'data.dir' is required (a folder with train.tsv, dev.tsv, test.tsv, labels.json)`);
  return config;
}
