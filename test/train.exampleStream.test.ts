// Training reads its examples as a stream: an epoch's batches come from windows of the stream, so
// memory holds one window; a corpus within one window is batched exactly as a whole array is.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { Tokenizer } from '../src/tokenize/tokenizer.js';
import { epochBatches, type Example, rng } from '../src/train/batches.js';
import { arrayExamples, fileExamples, windowedBatches } from '../src/train/exampleStream.js';

const rand = rng(5);
const EXAMPLES: Example[] = Array.from({ length: 500 }, (_, index) => ({
  index,
  src: Array.from({ length: 2 + Math.floor(rand() * 20) }, () => 5),
  tgt: Array.from({ length: 2 + Math.floor(rand() * 20) }, () => 6),
}));

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of items) out.push(x);
  return out;
}

describe('streamed training examples', () => {
  it('batch a corpus within one window exactly as the whole array', async () => {
    const streamed = await collect(windowedBatches(arrayExamples(EXAMPLES)(), 1000, 300, 9));
    expect(streamed).toEqual(epochBatches(EXAMPLES, 300, 9));
  });

  it('give every example once per epoch from windows, pulling no more than a window ahead', async () => {
    let pulled = 0;
    async function* counting() {
      for (const e of EXAMPLES) {
        pulled++;
        yield e;
      }
    }
    const seen: number[] = [];
    for await (const batch of windowedBatches(counting(), 100, 300, 9)) {
      // a batch of window w is yielded before window w + 1 is read
      const w = Math.floor(batch.examples[0].index / 100);
      expect(batch.examples.every((e) => Math.floor(e.index / 100) === w)).toBe(true);
      expect(pulled).toBeLessThanOrEqual((w + 1) * 100);
      seen.push(...batch.examples.map((e) => e.index));
    }
    expect(seen.sort((a, b) => a - b)).toEqual(EXAMPLES.map((e) => e.index));
  });

  it('read pairs from files, encoded, indexed by line number, and again from the start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kd-stream-'));
    writeFileSync(join(dir, 'a.src'), 'the dog\na cat sat\n');
    writeFileSync(join(dir, 'a.tgt'), 'le chien\nun chat\n');
    const tok = Tokenizer.train(['the dog', 'a cat sat', 'le chien', 'un chat'], { vocabSize: 300 });
    const stream = fileExamples(join(dir, 'a.src'), join(dir, 'a.tgt'), tok);
    const first = await collect(stream());
    expect(first).toEqual([
      { index: 0, src: tok.encode('the dog'), tgt: tok.encode('le chien') },
      { index: 1, src: tok.encode('a cat sat'), tgt: tok.encode('un chat') },
    ]);
    expect(await collect(stream())).toEqual(first);
  });
});
