// The generate stage's teacher-forced runs batch pairs of similar sizes together (less padding)
// and give each sentence's soft targets back in corpus order.
import { describe, expect, it } from 'vitest';

import type { SentenceSoftTargets } from '../src/data/softTargets.js';
import type { TranslationModel } from '../src/runtime/translationModel.js';
import { type ChunkSettings, teacherForced } from '../src/stages/generateChunks.js';
import type { SubwordCodec } from '../src/tokenize/subwordCodec.js';

describe('teacherForced', () => {
  it('batches by size and returns soft targets in corpus order', async () => {
    // a target of n tokens is written as n words; a source's first id names its sentence
    const tok = {
      vocabSize: 10,
      hash: 'test',
      encode: (text: string) => (text ? text.split(' ').map(Number) : []),
      decode: (ids: number[]) => ids.join(' '),
    } as SubwordCodec;
    const lengths = [7, 1, 5, 3, 9, 2, 6, 4, 8, 1, 3];
    const sources = lengths.map((n, i) => [100 + i, ...Array(n).fill(1)]);
    const targets = lengths.map((n) => Array(n).fill('2').join(' '));
    const batches: number[][] = [];
    const teacher = {
      softTargets: async (pairs: Array<{ src: number[]; tgt: number[] }>): Promise<SentenceSoftTargets[]> => {
        batches.push(pairs.map((p) => p.src.length + p.tgt.length));
        return pairs.map((p) => ({
          ids: Int32Array.from([p.src[0]]),
          probs: new Float32Array(1),
          logProbs1: new Float32Array(1),
          length: p.tgt.length + 1,
        }));
      },
    } as unknown as TranslationModel;
    const settings = { batchSize: 4, softTargets: { topK: 1, temperature: 2 } } as ChunkSettings;
    const out = await teacherForced(teacher, tok, settings, sources, targets);
    expect(out.map((t) => t.ids[0])).toEqual(lengths.map((_, i) => 100 + i));
    expect(out.map((t) => t.length)).toEqual(lengths.map((n) => n + 1));
    expect(batches.map((b) => b.length)).toEqual([4, 4, 3]);
    const flat = batches.flat();
    expect(flat).toEqual([...flat].sort((a, b) => a - b));
  });
});
