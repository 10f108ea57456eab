// Beam search over an ONNX Marian export against Hugging Face transformers' generate():
// every sequence token for token, every score within 1e-4 (fixture: test/fixtures/README.md).
import { readFileSync } from 'node:fs';

import { beforeAll, describe, expect, it } from 'vitest';

import { beamSearch } from '../src/decode/beamSearch.js';
import { OnnxSeq2Seq } from '../src/onnx/seq2seq.js';

interface Golden {
  generation: { bad_words_ids: number[][] };
  cases: Array<{ input_ids: number[] } & Record<string, { sequences: number[][]; scores: number[] | null }>>;
}
const golden = JSON.parse(readFileSync('test/fixtures/tiny-marian-golden.json', 'utf8')) as Golden;
const KEYS = Object.keys(golden.cases[0]).filter((k) => k.startsWith('beam'));

/** generate() right-pads its sequences with pad; the first token is the decoder start (also pad here). */
function unpad(seq: number[], pad: number): number[] {
  let end = seq.length;
  while (end > 1 && seq[end - 1] === pad) end--;
  return seq.slice(0, end);
}

describe('ONNX Marian beam search equals transformers generate()', () => {
  let model: OnnxSeq2Seq;
  beforeAll(async () => {
    model = await OnnxSeq2Seq.load('test/fixtures/tiny-marian');
  });

  it('reads generation_config.json', () => {
    expect(model.generation).toMatchObject({ decoderStartId: 2, eosId: 0, padId: 2, forcedEosId: 0 });
    expect(KEYS.length).toBe(7);
  });

  for (const key of KEYS) {
    it(key, async () => {
      const [, beams, lp] = /^beam(\d+)(?:_lp([\d.]+))?$/.exec(key)!;
      const numBeams = Number(beams);
      const sources = golden.cases.map((c) => c.input_ids);
      const hyps = await beamSearch(model, sources, {
        numBeams,
        nbest: numBeams,
        maxLength: 40,
        lengthPenalty: lp ? Number(lp) : 1.0,
        forcedEosId: model.generation.forcedEosId,
        badWordsIds: golden.generation.bad_words_ids,
      });
      golden.cases.forEach((c, i) => {
        const want = c[key];
        const got = hyps[i].map((h) => [model.decoderStartId, ...h.tokens]);
        expect(got, `case ${i}`).toEqual(want.sequences.map((s) => unpad(s, model.padId)));
        if (want.scores)
          hyps[i].forEach((h, j) =>
            expect(Math.abs(h.score - want.scores![j]), `case ${i} beam ${j}`).toBeLessThan(1e-4),
          );
      });
    });
  }
});
