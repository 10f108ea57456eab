// The classifier trainer (src/classify/trainClassifier.ts, on onnxruntime through the one training
// loop) killed after a checkpoint resumes to exactly the bytes of an unbroken run, with dropout on
// (seeded per checkpoint interval), for both kinds and with transfer examples (gold -1) in the KD
// batches; and its best/ checkpoint loads in the tfjs TextClassifier, whose logits equal the
// onnxruntime inference graph's.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { TextClassifier } from '../src/classify/textClassifier.js';
import { type ClassifierTrainOptions, graphLogits, trainClassifier } from '../src/classify/trainClassifier.js';
import { initBackend } from '../src/engine/tf.js';
import type { ClassifierConfig } from '../src/models/classifierConfig.js';
import { Tokenizer } from '../src/tokenize/tokenizer.js';
import { loadCheckpoint } from '../src/util/checkpoint.js';

const TEXTS = [
  'red apple pie',
  'green apple',
  'blue sky above',
  'red wine',
  'blue sea water',
  'green grass field',
  'red rose',
  'blue jeans',
  'a red car',
  'green tea',
  'the blue whale',
];
const quiet = () => {};

describe('classifier trainer checkpoints', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });
  const tok = Tokenizer.train(TEXTS, { vocabSize: 280 });
  const CONFIGS: Record<string, ClassifierConfig> = {
    ngrams: {
      kind: 'ngrams',
      numClasses: 3,
      dModel: 8,
      ffDim: 0,
      heads: 1,
      layers: 0,
      dropout: 0.1,
      maxTokens: 0,
      vocabSize: 0,
      buckets: 256,
    },
    transformer: {
      kind: 'transformer',
      numClasses: 3,
      dModel: 8,
      ffDim: 16,
      heads: 2,
      layers: 1,
      dropout: 0.1,
      maxTokens: 6,
      vocabSize: tok.vocabSize,
      buckets: 0,
    },
  };
  const colour = (t: string) => (t.includes('red') ? 0 : t.includes('green') ? 1 : 2);
  // the last three are transfer examples: no gold, the teacher's logits only
  const train = TEXTS.map((text, i) => ({
    text,
    gold: i < 8 ? colour(text) : -1,
    teacherLogits: Float32Array.from([i % 3, 1, -0.5]),
  }));
  const data = { train, dev: { texts: TEXTS.slice(0, 4), gold: TEXTS.slice(0, 4).map(colour) } };
  const opts = (steps: number): ClassifierTrainOptions => ({
    steps,
    batchSize: 3,
    lr: 0.05,
    warmup: 2,
    evalEvery: 3,
    checkpointEvery: 2,
    patience: 9,
    seed: 5,
    loss: { kind: 'kd', alpha: 0.5, temperature: 2 },
  });
  const weights = (dir: string) => readFileSync(join(dir, 'last', 'weights.bin'));

  for (const kind of ['ngrams', 'transformer']) {
    it(`resumes from its last checkpoint to the bytes of an unbroken run (${kind}, dropout 0.1)`, async () => {
      const config = CONFIGS[kind];
      const t = kind === 'transformer' ? tok : null;
      const a = mkdtempSync(join(tmpdir(), 'kd-cla-'));
      // 7 steps over 11 examples in batches of 3: the run crosses an epoch (reshuffled) and resumes mid-epoch
      const unbroken = await trainClassifier(config, t, data, opts(7), a, quiet);
      const b = mkdtempSync(join(tmpdir(), 'kd-clb-'));
      // a run of 4 steps stands for one killed after step 4's checkpoint (kd's loss does not depend on the total)
      await trainClassifier(config, t, data, opts(4), b, quiet);
      const logs: string[] = [];
      const resumed = await trainClassifier(config, t, data, opts(7), b, (m) => logs.push(m));
      expect(logs.some((l) => l.includes('resumed from') && l.includes('at step 4'))).toBe(true);
      expect(resumed.step).toBe(7);
      expect(resumed.epoch).toBe(1);
      expect(unbroken.history.filter((h) => h.dev !== undefined).map((h) => h.step)).toEqual([3, 6, 7]);
      expect(resumed.history.at(-1)!.dev).toBe(unbroken.history.at(-1)!.dev);
      // parameters and optimizer state, byte for byte
      expect(weights(b)).toEqual(weights(a));
      // the same seed, the same bytes: a second clean run; without dropout, other bytes (dropout acts)
      const c = mkdtempSync(join(tmpdir(), 'kd-clc-'));
      await trainClassifier(config, t, data, opts(7), c, quiet);
      expect(weights(c)).toEqual(weights(a));
      const d = mkdtempSync(join(tmpdir(), 'kd-cld-'));
      await trainClassifier({ ...config, dropout: 0 }, t, data, opts(7), d, quiet);
      expect(weights(d)).not.toEqual(weights(a));

      // best/ loads in the tfjs classifier (what label, eval and export use); its logits are the inference graph's
      writeFileSync(join(a, 'config.json'), JSON.stringify({ task: 'classify', ...config })); // the model folder's layout (src/models/modelFolder.ts)
      if (t) await t.save(join(a, 'tokenizer.json'));
      const model = TextClassifier.load(a);
      const want = model.logits(TEXTS, false).dataSync();
      const best = loadCheckpoint(join(a, 'best'));
      const tensors = new Map([...best.tensors].map(([name, x]) => [name, { data: x.data, dims: x.shape }]));
      expect([...tensors.keys()]).toEqual([...model.params.keys()]);
      const got = await graphLogits(config, t, tensors, TEXTS);
      got.forEach((v, i) => expect(Math.abs(v - want[i]), `logit ${i}`).toBeLessThan(1e-5));
      model.dispose();
    });
  }
});
