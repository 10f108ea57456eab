// The whole beam search inside onnxruntime (com.microsoft BeamSearch over kd's own encoder and
// decoder, onnx/beam_search_model.onnx) gives the n-best of kd's step-by-step search
// (src/decode/beamSearch.ts over the same export's decoder with past): tokens equal, scores within
// 1e-4, for greedy and beam, several length penalties, sentences that end with eos and sentences cut
// at max length; and it declines what it cannot do, leaving those searches to the step-by-step one.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { type BeamOptions, beamSearch } from '../src/decode/beamSearch.js';
import { initBackend } from '../src/engine/tf.js';
import { exportTranslation } from '../src/export/exportTranslation.js';
import { translationWeights } from '../src/export/weights.js';
import { Transformer } from '../src/models/transformer.js';
import { OnnxSeq2Seq } from '../src/onnx/seq2seq.js';
import { EOS, PAD, Tokenizer } from '../src/tokenize/tokenizer.js';

const lines = readFileSync('corpora/tiny/train.en', 'utf8').split('\n').filter(Boolean);
const dir = mkdtempSync(join(tmpdir(), 'kd-native-beam-'));
let native: OnnxSeq2Seq;
let stepwise: OnnxSeq2Seq;
let sources: number[][];

beforeAll(async () => {
  await initBackend('cpu', () => {});
  const tok = Tokenizer.train(lines.slice(0, 300), { vocabSize: 300 });
  const model = Transformer.init(
    { vocabSize: tok.vocabSize, dModel: 32, ffDim: 64, heads: 4, encLayers: 2, decLayers: 2, dropout: 0 },
    5,
  );
  const weights = translationWeights(model);
  // a random model all but never says eos: raised, so that some hypotheses end with it and some are cut
  const bias = weights.tensors.get('out.bias')!;
  bias.data = Float32Array.from(bias.data, (v, i) => (i === EOS ? v + 2.5 : v));
  exportTranslation(weights, tok, join(dir, 'model'), { merged: false, beamSearch: true });
  model.dispose();
  native = await OnnxSeq2Seq.load(join(dir, 'model'));
  stepwise = await OnnxSeq2Seq.load(join(dir, 'model'), { native: false });
  sources = lines.slice(300, 312).map((l) => [...tok.encode(l), EOS]);
});

const endings = { eos: 0, cut: 0 };
const view = (hyps: Array<Array<{ tokens: number[]; score: number }>>) =>
  hyps.map((hs) => hs.map((h) => h.tokens.join(' ')));

describe('beam search as one onnxruntime graph', () => {
  const cases: Array<Partial<BeamOptions>> = [
    { numBeams: 1, maxLength: 30 },
    { numBeams: 1, maxLength: 6 },
    { numBeams: 4, nbest: 4, maxLength: 30, lengthPenalty: 1 },
    { numBeams: 5, nbest: 3, maxLength: 12, lengthPenalty: 0.6 },
    { numBeams: 3, nbest: 3, maxLength: 20, lengthPenalty: 1.3 },
  ];
  for (const c of cases) {
    it(`gives the step-by-step search's n-best: ${JSON.stringify(c)}`, async () => {
      const opts = { badWordsIds: [[PAD]], ...c } as BeamOptions;
      expect(native.nativeSearch(sources, opts)).toBeDefined();
      const want = await beamSearch(stepwise, sources, opts);
      const got = await beamSearch(native, sources, opts);
      expect(view(got)).toEqual(view(want));
      got.forEach((hs, s) =>
        hs.forEach((h, n) => {
          expect(h.score).toBeCloseTo(want[s][n].score, 4);
          expect(h.logProb).toBeCloseTo(want[s][n].logProb, 3);
        }),
      );
      for (const h of got.flat()) endings[h.tokens.at(-1) === EOS ? 'eos' : 'cut']++;
    });
  }

  it('covered hypotheses that ended with eos and hypotheses cut at max length (their lengths count differently)', () => {
    expect(endings.eos).toBeGreaterThan(0);
    expect(endings.cut).toBeGreaterThan(0);
  });

  it('leaves to the step-by-step search what the operator cannot do', () => {
    const base = { numBeams: 2, maxLength: 10 };
    expect(native.nativeSearch(sources, { ...base })).toBeUndefined(); // pad not banned: it fills the output
    expect(native.nativeSearch(sources, { ...base, badWordsIds: [[PAD], [7, 8]] })).toBeUndefined(); // a two-token bad word
    expect(native.nativeSearch(sources, { ...base, badWordsIds: [[PAD]], forcedEosId: EOS })).toBeUndefined();
    expect(native.nativeSearch(sources, { ...base, badWordsIds: [[PAD]], maxLength: 1 })).toBeUndefined();
    expect(stepwise.nativeSearch(sources, { ...base, badWordsIds: [[PAD]] })).toBeUndefined(); // turned off
  });
});
