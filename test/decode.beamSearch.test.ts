// Beam search on a hand-built model whose best sequences and scores are computable by hand.
import { describe, expect, it } from 'vitest';

import { beamSearch } from '../src/decode/beamSearch.js';
import { EOS, TableModel } from './helpers/tableModel.js';

const X = 3;
const Y = 4;
// source [7]: greedy takes x (0.6) then x (0.4) then eos: p = 0.24 over 3 tokens;
// y eos has p = 0.4 * 0.9 = 0.36 over 2 tokens; x eos 0.18; x y eos 0.18
const TABLE = {
  '7|': { [X]: 0.6, [Y]: 0.4 },
  '7|3': { [EOS]: 0.3, [X]: 0.4, [Y]: 0.3 },
  '7|4': { [EOS]: 0.9, [X]: 0.05, [Y]: 0.05 },
  '7|3 3': { [EOS]: 1 },
  '7|3 4': { [EOS]: 1 },
  '7|4 3': { [EOS]: 1 },
  '7|4 4': { [EOS]: 1 },
  // source [8]: a sentence that never ends, to test max length
  '8|': { [X]: 1 },
  '8|3': { [X]: 1 },
  '8|3 3': { [X]: 1 },
  '8|3 3 3': { [X]: 1 },
};
const model = () => new TableModel(5, TABLE);
const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-6);

describe('beam search', () => {
  it('greedy (beam 1) follows the locally best token', async () => {
    const [[h]] = await beamSearch(model(), [[7]], { numBeams: 1, maxLength: 10, lengthPenalty: 1 });
    expect(h.tokens).toEqual([X, X, EOS]);
    close(h.logProb, Math.log(0.24));
    close(h.score, Math.log(0.24) / 3);
  });

  it('beam 2 without length penalty finds the more probable short sequence', async () => {
    const [[h]] = await beamSearch(model(), [[7]], { numBeams: 2, maxLength: 10, lengthPenalty: 0 });
    expect(h.tokens).toEqual([Y, EOS]);
    close(h.score, Math.log(0.36));
  });

  it('length penalty 1 prefers the longer sequence: log(.24)/3 > log(.36)/2', async () => {
    const [[h]] = await beamSearch(model(), [[7]], { numBeams: 2, maxLength: 10, lengthPenalty: 1 });
    expect(h.tokens).toEqual([X, X, EOS]);
    close(h.score, Math.log(0.24) / 3);
  });

  it('returns an n-best list sorted by score, with hand-computed scores', async () => {
    const [nbest] = await beamSearch(model(), [[7]], { numBeams: 3, nbest: 3, maxLength: 10, lengthPenalty: 0 });
    // step 1: beams x (.6), y (.4); step 2 candidates: y-eos .36, x-x .24, x-eos .18, x-y .18, ...
    // y-eos ends (rank 0); x-x, x-eos(rank 2 < 3: ends), x-y continue; step 3 ends x-x-eos .24, x-y-eos .18
    expect(nbest.map((h) => h.tokens)).toEqual([
      [Y, EOS],
      [X, X, EOS],
      [X, EOS],
    ]);
    close(nbest[0].score, Math.log(0.36));
    close(nbest[1].score, Math.log(0.24));
    close(nbest[2].score, Math.log(0.18));
  });

  it('stops at max length (counting the start token) and keeps the open beam', async () => {
    const [[h]] = await beamSearch(model(), [[8]], { numBeams: 2, maxLength: 4, lengthPenalty: 1 });
    expect(h.tokens).toEqual([X, X, X]);
    close(h.logProb, 0);
  });

  it('decodes a batch of sentences together, each as if alone, in one model call per step', async () => {
    const m = model();
    const both = await beamSearch(m, [[7], [8]], { numBeams: 2, maxLength: 5, lengthPenalty: 1 });
    const alone7 = await beamSearch(model(), [[7]], { numBeams: 2, maxLength: 5, lengthPenalty: 1 });
    const alone8 = await beamSearch(model(), [[8]], { numBeams: 2, maxLength: 5, lengthPenalty: 1 });
    expect(both).toEqual([alone7[0], alone8[0]]);
    expect(m.calls).toBe(4); // max length 5 = start + 4 tokens
  });
});
