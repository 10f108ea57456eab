// A training run killed after its checkpoint resumes to exactly the parameters of an unbroken run,
// on both engines; on onnxruntime with dropout on, too (dropout is seeded per checkpoint interval),
// and with a weight average (train.ema), whose state the checkpoint carries.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { initBackend } from '../src/engine/tf.js';
import { parameterShapes } from '../src/models/transformerConfig.js';
import { Tokenizer } from '../src/tokenize/tokenizer.js';
import { ParamStore } from '../src/train/paramStore.js';
import { type TrainOptions, trainTranslation } from '../src/train/trainer.js';
import { loadCheckpoint } from '../src/util/checkpoint.js';

const PAIRS = [
  ['the dog sees a cat .', 'le chien voit un chat .'],
  ['a bird eats .', 'un oiseau mange .'],
  ['the old fox .', 'le renard vieux .'],
  ['a cat likes the dog .', 'un chat aime le chien .'],
];
const quiet = () => {};

describe('trainer checkpoints', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });
  const tok = Tokenizer.train(PAIRS.flat(), { vocabSize: 300 });
  const data = {
    train: PAIRS.map(([s, t], index) => ({ index, src: tok.encode(s), tgt: tok.encode(t) })),
    dev: { src: [tok.encode(PAIRS[0][0])], refs: [PAIRS[0][1]] },
    tokenizer: tok,
  };
  const opts = (engine: string, steps: number): TrainOptions => ({
    engine,
    steps,
    batchTokens: 40,
    lr: 0.01,
    warmup: 2,
    evalEvery: 100,
    checkpointEvery: 2,
    patience: 9,
    seed: 3,
    loss: { kind: 'ce', alpha: 1, temperature: 1 },
  });
  const weights = (dir: string) => readFileSync(join(dir, 'last', 'weights.bin'));

  for (const [engine, dropout] of [
    ['onnx', 0.1],
    ['onnx', 0],
    ['tfjs', 0],
  ] as const) {
    it(`resumes from its last checkpoint to the bytes of an unbroken run (${engine}, dropout ${dropout})`, async () => {
      const cfg = { vocabSize: tok.vocabSize, dModel: 16, ffDim: 16, heads: 2, encLayers: 1, decLayers: 1, dropout };
      const a = mkdtempSync(join(tmpdir(), 'kd-a-'));
      const unbroken = await trainTranslation(cfg, data, opts(engine, 6), a, quiet);
      const b = mkdtempSync(join(tmpdir(), 'kd-b-'));
      await trainTranslation(cfg, data, opts(engine, 4), b, quiet); // "killed" after step 4's checkpoint
      const resumed = await trainTranslation(cfg, data, opts(engine, 6), b, quiet);
      expect(resumed.step).toBe(6);
      expect(resumed.history.at(-1)!.loss).toBe(unbroken.history.at(-1)!.loss);
      // parameters and optimizer state, byte for byte
      expect(weights(b)).toEqual(weights(a));
      if (engine === 'onnx' && dropout > 0) {
        // a corrupt last checkpoint falls back to the one kept before it, and still ends on the same bytes
        const d = mkdtempSync(join(tmpdir(), 'kd-d-'));
        await trainTranslation(cfg, data, opts(engine, 4), d, quiet);
        const w = join(d, 'last', 'weights.bin');
        const bytes = readFileSync(w);
        bytes[100] ^= 0xff;
        writeFileSync(w, bytes);
        const logs: string[] = [];
        await trainTranslation(cfg, data, opts(engine, 6), d, (m) => logs.push(m));
        expect(logs.join('\n')).toMatch(/checksum differs.*: resuming from the checkpoint before it/);
        expect(weights(d)).toEqual(weights(a));
      }
      if (engine === 'onnx') {
        // the same seed, the same bytes: a second clean run
        const c = mkdtempSync(join(tmpdir(), 'kd-c-'));
        await trainTranslation(cfg, data, opts(engine, 6), c, quiet);
        expect(weights(c)).toEqual(weights(a));
      }
    });
  }

  it('keeps a weight average (train.ema): resumed to the bytes of an unbroken run; the best checkpoint is the average', async () => {
    const cfg = { vocabSize: tok.vocabSize, dModel: 16, ffDim: 16, heads: 2, encLayers: 1, decLayers: 1, dropout: 0.1 };
    const withEma = (steps: number) => ({ ...opts('onnx', steps), ema: 0.9 });
    const a = mkdtempSync(join(tmpdir(), 'kd-ema-a-'));
    await trainTranslation(cfg, data, withEma(6), a, quiet);
    const b = mkdtempSync(join(tmpdir(), 'kd-ema-b-'));
    await trainTranslation(cfg, data, withEma(4), b, quiet);
    await trainTranslation(cfg, data, withEma(6), b, quiet);
    expect(weights(b)).toEqual(weights(a));
    // one dev evaluation, at the last step: best/ holds the average as it was then, which is not the raw weights
    const last = loadCheckpoint(join(a, 'last'));
    const best = new ParamStore(parameterShapes(cfg));
    best.load(loadCheckpoint(join(a, 'best')).tensors, 'best');
    const raw = new ParamStore(parameterShapes(cfg));
    raw.load(last.tensors, 'last');
    expect(best.values).toEqual(last.tensors.get('average:values')!.data);
    expect(last.tensors.get('average:updates')!.data[0]).toBe(6);
    expect(best.values).not.toEqual(raw.values);
    // and without the average, best/ is the raw weights of that step
    const c = mkdtempSync(join(tmpdir(), 'kd-ema-c-'));
    await trainTranslation(cfg, data, opts('onnx', 6), c, quiet);
    expect(loadCheckpoint(join(c, 'last')).tensors.has('average:values')).toBe(false);
    expect(readFileSync(join(c, 'best', 'weights.bin'))).not.toEqual(readFileSync(join(a, 'best', 'weights.bin')));
  });

  it('refuses train.ema on the tfjs engine', async () => {
    const cfg = { vocabSize: tok.vocabSize, dModel: 16, ffDim: 16, heads: 2, encLayers: 1, decLayers: 1, dropout: 0 };
    await expect(
      trainTranslation(cfg, data, { ...opts('tfjs', 2), ema: 0.9 }, mkdtempSync(join(tmpdir(), 'kd-ema-t-')), quiet),
    ).rejects.toThrow(/train.ema need the onnx engine/);
  });
});
