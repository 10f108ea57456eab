// A training run killed after its checkpoint resumes to exactly the parameters of an unbroken run.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/engine/tf.js';
import { Transformer } from '../src/models/transformer.js';
import { Tokenizer } from '../src/tokenize/tokenizer.js';
import { trainModel, type TrainOptions } from '../src/train/trainer.js';

const PAIRS = [['the dog sees a cat .', 'le chien voit un chat .'], ['a bird eats .', 'un oiseau mange .'], ['the old fox .', 'le renard vieux .'], ['a cat likes the dog .', 'un chat aime le chien .']];

describe('trainer checkpoints', () => {
  beforeAll(async () => { await initBackend('cpu'); });

  it('resumes from its last checkpoint to the same parameters as an unbroken run', async () => {
    const tok = Tokenizer.train(PAIRS.flat(), { vocabSize: 300 });
    const data = {
      train: PAIRS.map(([s, t], index) => ({ index, src: tok.encode(s), tgt: tok.encode(t) })),
      dev: { src: [tok.encode(PAIRS[0][0])], refs: [PAIRS[0][1]] }, tokenizer: tok,
    };
    const cfg = { vocabSize: tok.vocabSize, dModel: 16, ffDim: 16, heads: 2, encLayers: 1, decLayers: 1, dropout: 0 };
    const opts = (steps: number): TrainOptions => ({ steps, batchTokens: 40, lr: 0.01, warmup: 2, evalEvery: 100, checkpointEvery: 2, patience: 9, seed: 3, loss: { kind: 'ce', alpha: 1, temperature: 1 } });
    const quiet = () => {};
    const unbroken = Transformer.init(cfg, 3);
    const a = await trainModel(unbroken, data, opts(6), mkdtempSync(join(tmpdir(), 'kd-a-')), quiet);
    const dir = mkdtempSync(join(tmpdir(), 'kd-b-'));
    const first = Transformer.init(cfg, 3);
    await trainModel(first, data, opts(3), dir, quiet); // "killed" after step 3's checkpoint
    const resumed = Transformer.init(cfg, 99); // different init: everything must come from the checkpoint
    const b = await trainModel(resumed, data, opts(6), dir, quiet);
    expect(b.step).toBe(6);
    // the same final loss (the 3-step run also logged an evaluation at its own end: compare the last)
    expect(b.history.at(-1)!.loss).toBeCloseTo(a.history.at(-1)!.loss, 5);
    for (const [name, v] of unbroken.params) {
      const x = v.dataSync();
      const y = resumed.params.get(name)!.dataSync();
      for (let i = 0; i < x.length; i++) expect(Math.abs(x[i] - y[i])).toBeLessThan(1e-6);
    }
  });
});
