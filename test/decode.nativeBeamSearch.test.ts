// The whole beam search inside onnxruntime (com.microsoft BeamSearch over kd's own encoder and
// decoder, onnx/beam_search_model.onnx) gives the n-best of kd's step-by-step search
// (src/decode/beamSearch.ts over the same export's decoder with past): tokens equal, scores within
// 1e-4, for greedy and beam, several length penalties, sentences that end with eos and sentences cut
// at max length, with the model's biases and norms moved off their initial values (so a graph
// that mishandled one would show); and it declines what it cannot do, leaving those searches to
// the step-by-step one.
// Shared among worker lanes (src/onnx/sessionLanes.ts), it gives the same bytes as one session.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type BeamOptions, beamSearch } from '../src/decode/beamSearch.js';
import { initBackend } from '../src/engine/tf.js';
import { exportTranslation } from '../src/export/exportTranslation.js';
import { translationWeights } from '../src/export/weights.js';
import { Transformer } from '../src/models/transformer.js';
import { shareRows } from '../src/onnx/nativeBeamSearch.js';
import { loadOrt } from '../src/onnx/ort.js';
import { OnnxSeq2Seq } from '../src/onnx/seq2seq.js';
import { SessionLanes } from '../src/onnx/sessionLanes.js';
import { EOS, PAD, Tokenizer } from '../src/tokenize/tokenizer.js';

const lines = readFileSync('corpora/tiny/train.en', 'utf8').split('\n').filter(Boolean);
const dir = mkdtempSync(join(tmpdir(), 'kd-native-beam-'));
let native: OnnxSeq2Seq;
let stepwise: OnnxSeq2Seq;
let laned: OnnxSeq2Seq;
let sources: number[][];

beforeAll(async () => {
  await initBackend('cpu', () => {});
  const tok = Tokenizer.train(lines.slice(0, 300), { vocabSize: 300 });
  const model = Transformer.init(
    { vocabSize: tok.vocabSize, dModel: 32, ffDim: 64, heads: 4, encLayers: 2, decLayers: 2, dropout: 0 },
    5,
  );
  const weights = translationWeights(model);
  // biases and norm gains start at 0 and 1: moved, so that a graph mishandling any of them would show
  let seed = 7;
  const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.4;
  for (const [name, t] of weights.tensors)
    if (name.endsWith('.b') || name.endsWith('.g')) t.data = Float32Array.from(t.data, (v) => v + noise());
  // a random model all but never says eos: raised, so that some hypotheses end with it and some are cut
  const bias = weights.tensors.get('out.bias')!;
  bias.data = Float32Array.from(bias.data, (v, i) => (i === EOS ? v + 2.5 : v));
  exportTranslation(weights, tok, join(dir, 'model'), { merged: false, beamSearch: true });
  model.dispose();
  native = await OnnxSeq2Seq.load(join(dir, 'model'));
  stepwise = await OnnxSeq2Seq.load(join(dir, 'model'), { native: false });
  process.env.KD_ORT_LANES = '2';
  try {
    laned = await OnnxSeq2Seq.load(join(dir, 'model'), { threads: 0 });
  } finally {
    delete process.env.KD_ORT_LANES;
  }
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

describe('the native search shared among worker lanes', () => {
  it('shares rows out contiguously, sizes differing by at most one, never an empty share', () => {
    expect(shareRows(12, 2)).toEqual([
      [0, 6],
      [6, 12],
    ]);
    expect(shareRows(5, 2)).toEqual([
      [0, 2],
      [2, 5],
    ]);
    expect(shareRows(1, 4)).toEqual([[0, 1]]);
    expect(shareRows(7, 1)).toEqual([[0, 7]]);
  });

  const cases: Array<Partial<BeamOptions>> = [
    { numBeams: 1, maxLength: 30 },
    { numBeams: 5, nbest: 3, maxLength: 12, lengthPenalty: 0.6 },
  ];
  for (const c of cases)
    for (const rows of [12, 5, 1]) {
      it(`gives one session's n-best and scores exactly, ${rows} source(s): ${JSON.stringify(c)}`, async () => {
        expect([native.searchLanes, laned.searchLanes]).toEqual([1, 2]);
        const opts = { badWordsIds: [[PAD]], ...c } as BeamOptions;
        const want = await native.nativeSearch(sources.slice(0, rows), opts)!;
        const got = await laned.nativeSearch(sources.slice(0, rows), opts)!;
        expect(got).toEqual(want);
      });
    }

  it('names the model when a lane cannot load it', async () => {
    const bad = join(dir, 'not-a-model.onnx');
    writeFileSync(bad, 'not onnx');
    await expect(SessionLanes.open(await loadOrt(), bad, 2, bad)).rejects.toThrow(
      /not-a-model\.onnx: onnxruntime cannot load it/,
    );
  });

  afterAll(() => laned.close());
});
