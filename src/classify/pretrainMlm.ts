// Masked-language-model pretraining of a Transformer classifier's encoder on unlabelled texts
// (src/models/mlmGraph.ts), by the one training loop on the graph engine. BERT's recipe (Devlin et
// al. 2019): 15% of a text's tokens are chosen; of those 80% become [MASK], 10% a random token and
// 10% stay, and the model predicts all of them. Classifier inputs never hold BOS (texts are encoded
// without it), so BOS stands for [MASK]. Masks are drawn from the seed and the step, so a resumed
// run hides exactly what an unbroken one does. The dev score is the accuracy at hidden positions of
// the dev texts (masks fixed by the seed). The checkpoints' encoder parameters are the teacher's, by
// name: fine-tuning starts from best/ (src/classify/trainClassifier.ts, option init).
import { modelBytes } from '../graph/onnxGraph.js';
import type { ClassifierConfig } from '../models/classifierConfig.js';
import { mlmGraph, mlmShapes, mlmTrainingGraph } from '../models/mlmGraph.js';
import { type TensorTable, weightsOf } from '../models/weights.js';
import { loadOrt, type Ort, type OrtTensor, sessionOptions } from '../onnx/ort.js';
import { BOS, PAD, type Tokenizer } from '../tokenize/tokenizer.js';
import { lengthGroupedBatches, rng } from '../train/batches.js';
import { GraphEngine } from '../train/graphEngine.js';
import { type LoopOptions, type LoopResult, trainLoop } from '../train/trainLoop.js';

export const MASK = BOS;
const FIRST_WORD_ID = 3; // ids below are PAD, BOS, EOS: never drawn as random replacements

export interface MlmOptions extends LoopOptions {
  batchSize: number;
  seed: number;
  maskRate: number;
  ema?: number; // default 0: no weight average (src/train/weightAverage.ts)
}

interface MaskedBatch {
  inputs: number[][];
  targets: number[][];
  hidden: boolean[][];
}

/** BERT's masking of token rows: which positions are hidden and what the model reads there. */
export function maskTokens(rows: number[][], rate: number, vocabSize: number, random: () => number): MaskedBatch {
  const hidden = rows.map((r) => r.map(() => random() < rate));
  const inputs = rows.map((r, i) =>
    r.map((id, j) => {
      if (!hidden[i][j]) return id;
      const u = random();
      return u < 0.8 ? MASK : u < 0.9 ? FIRST_WORD_ID + Math.floor(random() * (vocabSize - FIRST_WORD_ID)) : id;
    }),
  );
  return { inputs, targets: rows, hidden };
}

/** The training graph's feeds: ids [B, L] padded, targets, weights 1/hidden count at hidden positions. */
function mlmFeeds(ort: Ort, m: MaskedBatch, training: boolean): Record<string, OrtTensor> {
  const B = m.inputs.length;
  const L = Math.max(1, ...m.inputs.map((r) => r.length));
  const count = Math.max(1, m.hidden.flat().filter(Boolean).length);
  const ids = new BigInt64Array(B * L).fill(BigInt(PAD));
  const mask = new BigInt64Array(B * L);
  const targets = new BigInt64Array(B * L).fill(BigInt(PAD));
  const weights = new Float32Array(B * L);
  m.inputs.forEach((r, i) =>
    r.forEach((id, j) => {
      ids[i * L + j] = BigInt(id);
      mask[i * L + j] = 1n;
      targets[i * L + j] = BigInt(m.targets[i][j]);
      if (m.hidden[i][j]) weights[i * L + j] = 1 / count;
    }),
  );
  const t = (data: BigInt64Array | Float32Array) =>
    new ort.Tensor(data instanceof Float32Array ? 'float32' : 'int64', data, [B, L]);
  return {
    training: new ort.Tensor('bool', [training], []),
    input_ids: t(ids),
    attention_mask: t(mask),
    targets: t(targets),
    weights: t(weights),
  };
}

/** Accuracy (percent) at the hidden positions of the dev rows, from the current parameters. */
async function maskedAccuracy(
  c: ClassifierConfig,
  tensors: TensorTable,
  dev: MaskedBatch,
  batchSize: number,
): Promise<number> {
  const ort = await loadOrt();
  const session = await ort.InferenceSession.create(modelBytes(mlmGraph(c, weightsOf(tensors))), sessionOptions());
  let right = 0;
  let total = 0;
  try {
    for (let at = 0; at < dev.inputs.length; at += batchSize) {
      const part = {
        inputs: dev.inputs.slice(at, at + batchSize),
        targets: dev.targets.slice(at, at + batchSize),
        hidden: dev.hidden.slice(at, at + batchSize),
      };
      const { training: _, targets: __, weights: ___, ...feeds } = mlmFeeds(ort, part, false);
      const logits = (await session.run(feeds)).logits.data as Float32Array;
      const L = feeds.input_ids.dims[1];
      part.hidden.forEach((row, i) =>
        row.forEach((h, j) => {
          if (!h) return;
          const base = (i * L + j) * c.vocabSize;
          let best = 0;
          for (let v = 1; v < c.vocabSize; v++) if (logits[base + v] > logits[base + best]) best = v;
          total++;
          if (best === part.targets[i][j]) right++;
        }),
      );
    }
  } finally {
    await session.release();
  }
  return total ? (100 * right) / total : 0;
}

/** Pretrains into outDir (last/, best/, as any training run); the texts are tokenized once, held in memory. */
export async function pretrainMlm(
  c: ClassifierConfig,
  tokenizer: Tokenizer,
  texts: string[],
  devTexts: string[],
  opts: MlmOptions,
  outDir: string,
  log: (m: string) => void,
): Promise<LoopResult> {
  const encode = (t: string) => tokenizer.encode(t, c.maxTokens);
  const rows = texts.map(encode).filter((r) => r.length > 1);
  if (!rows.length) throw new Error('masked-language-model pretraining: no texts of two tokens or more');
  const dev = maskTokens(devTexts.map(encode), opts.maskRate, c.vocabSize, rng(opts.seed ^ 0x5eed));
  const engine = new GraphEngine<number[][]>(
    {
      label: 'Transformer encoder (masked LM)',
      shapes: mlmShapes(c),
      dModel: c.dModel,
      dropout: c.dropout,
      graph: (seed) => mlmTrainingGraph(c, seed).bytes,
      feeds: (ort, batch, ctx) =>
        mlmFeeds(ort, maskTokens(batch, opts.maskRate, c.vocabSize, rng(opts.seed * 1_000_003 + ctx.step)), true),
    },
    opts.seed,
    { ema: opts.ema },
  );
  log(`pretraining: ${engine.label}, ${rows.length} texts`);
  return trainLoop(
    engine,
    {
      epoch: async function* (e: number) {
        for (const batch of lengthGroupedBatches(rows.length, opts.batchSize, opts.seed + e, (i) => rows[i].length))
          yield batch.map((i) => rows[i]);
      },
      size: (batch) => batch.reduce((n, r) => n + r.length, 0),
      unit: 'tok',
    },
    opts,
    {
      name: 'masked-token accuracy',
      score: () =>
        maskedAccuracy(
          c,
          new Map(engine.store.arrays().map((a) => [a.name, { data: a.data, dims: a.shape }])),
          dev,
          64,
        ),
    },
    outDir,
    log,
  );
}
