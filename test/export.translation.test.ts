// kd's own translation model exported to ONNX: the export decodes exactly as the tfjs model
// (n-best tokens equal, scores within 1e-4), with and without the KV cache, through the separate
// with-past decoder and the merged one; its tokenizer.json gives our ids through transformers.js;
// transformers.js loads the export and its greedy generate() agrees.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { type BeamOptions, beamSearch } from '../src/decode/beamSearch.js';
import type { StepModel } from '../src/decode/stepModel.js';
import { initBackend } from '../src/engine/tf.js';
import { exportTranslation } from '../src/export/exportTranslation.js';
import { TfStepModel } from '../src/models/tfStepModel.js';
import { Transformer } from '../src/models/transformer.js';
import { loadHfTokenizer } from '../src/onnx/hfTokenizer.js';
import { OnnxSeq2Seq } from '../src/onnx/seq2seq.js';
import { EOS, Tokenizer } from '../src/tokenize/tokenizer.js';
import { transformersJsGreedy } from './helpers/transformersJsGreedy.js';

const lines = readFileSync('corpora/tiny/train.en', 'utf8').split('\n').filter(Boolean);
const dir = mkdtempSync(join(tmpdir(), 'kd-export-'));
const exported = join(dir, 'model');
let tok: Tokenizer;
let model: Transformer;

beforeAll(async () => {
  await initBackend('cpu', () => {});
  tok = Tokenizer.train(lines.slice(0, 300), { vocabSize: 400 });
  model = Transformer.init(
    { vocabSize: tok.vocabSize, dModel: 32, ffDim: 64, heads: 4, encLayers: 2, decLayers: 2, dropout: 0 },
    11,
  );
  exportTranslation(model, tok, exported);
  // the whole export loads decoder_model.onnx + decoder_with_past_model.onnx; without the
  // with-past file the loader takes the merged decoder (the only one transformers.js loads)
  cpSync(exported, join(dir, 'merged'), { recursive: true });
  rmSync(join(dir, 'merged', 'onnx', 'decoder_with_past_model.onnx'));
});

async function nbest<S>(m: StepModel<S>, sources: number[][], opts: BeamOptions) {
  return (await beamSearch(m, sources, opts)).map((hs) =>
    hs.map((h) => ({ tokens: h.tokens.join(' '), score: h.score })),
  );
}

describe('kd export (translation)', () => {
  for (const opts of [
    { numBeams: 1, maxLength: 14 },
    { numBeams: 4, nbest: 4, maxLength: 14, lengthPenalty: 0.6 },
  ]) {
    it(`decodes as the tfjs model: beams ${opts.numBeams}, with and without the KV cache`, async () => {
      const sources = lines.slice(300, 308).map((l) => tok.encode(l));
      const want = await nbest(new TfStepModel(model), sources, opts);
      const withEos = sources.map((s) => [...s, EOS]); // the tfjs model appends eos itself; the export's tokenizer does
      const variants = [
        await OnnxSeq2Seq.load(exported, { useCache: false }),
        await OnnxSeq2Seq.load(exported), // decoder with past (no encoder presents)
        await OnnxSeq2Seq.load(join(dir, 'merged')),
      ];
      expect(variants.map((v) => v.hasCache)).toEqual([false, true, true]);
      expect(variants.map((v) => v.usesMergedDecoder)).toEqual([false, false, true]);
      for (const v of variants) {
        const got = await nbest(v, withEos, opts);
        expect(got.map((hs) => hs.map((h) => h.tokens))).toEqual(want.map((hs) => hs.map((h) => h.tokens)));
        got.forEach((hs, i) => hs.forEach((h, j) => expect(Math.abs(h.score - want[i][j].score)).toBeLessThan(1e-4)));
      }
    });
  }

  it('writes a tokenizer.json that transformers.js reads into our ids (plus </s>) and back', async () => {
    const hf = await loadHfTokenizer(exported);
    const texts = [...lines.slice(0, 50), '  leading and  double spaces ', 'Ünïcödé ✓ 中文 text', 'tab\there', ''];
    for (const t of texts) {
      expect(hf.encode(t), JSON.stringify(t)).toEqual([...tok.encode(t), EOS]);
      expect(hf.decode(hf.encode(t))).toBe(t);
    }
  });

  it('loads in transformers.js, whose greedy generate() agrees with ours', async () => {
    const { AutoModelForSeq2SeqLM, env } = await import('@huggingface/transformers');
    env.allowRemoteModels = false;
    env.localModelPath = `${dir}/`;
    const tjs = await AutoModelForSeq2SeqLM.from_pretrained('model', { dtype: 'fp32' });
    const onnx = await OnnxSeq2Seq.load(exported);
    for (const line of lines.slice(310, 313)) {
      const ids = [...tok.encode(line), EOS];
      const ours = await beamSearch(onnx, [ids], { numBeams: 1, maxLength: 14, badWordsIds: [[0]] });
      expect(await transformersJsGreedy(tjs, ids, 14)).toEqual([onnx.decoderStartId, ...ours[0][0].tokens]);
    }
  });
});
