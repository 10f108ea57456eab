// Training examples as a stream, and an epoch's batches from it with bounded memory: the stream is
// cut into windows of `window` examples (Marian's maxi-batches); each window is sorted by length,
// batched and its batches shuffled with a seed of its own (epochBatches). A corpus no larger than
// one window gives exactly the batches epochBatches gives for all of it; a larger one is shuffled
// within windows only, and memory holds one window, whatever the corpus size.
import { readParallel } from '../data/parallel.js';
import type { SubwordCodec } from '../tokenize/subwordCodec.js';
import { type Batch, epochBatches, type Example } from './batches.js';

/** A source of examples that can be read again from the start (once per epoch). */
export type ExampleStream = () => AsyncIterable<Example>;

/** The pairs of two aligned files, encoded; index = line number (0-based), which soft targets are looked up by. */
export function fileExamples(srcFile: string, tgtFile: string, tok: SubwordCodec): ExampleStream {
  return async function* () {
    let index = 0;
    for await (const [s, t] of readParallel(srcFile, tgtFile, { maxChars: Infinity })) {
      yield { index: index++, src: tok.encode(s), tgt: tok.encode(t) };
    }
  };
}

export function arrayExamples(examples: Example[]): ExampleStream {
  return async function* () {
    yield* examples;
  };
}

export async function* windowedBatches(
  examples: AsyncIterable<Example>,
  window: number,
  batchTokens: number,
  seed: number,
): AsyncGenerator<Batch> {
  let buffer: Example[] = [];
  let w = 0;
  for await (const e of examples) {
    buffer.push(e);
    if (buffer.length === window) {
      yield* epochBatches(buffer, batchTokens, seed + 7919 * w++);
      buffer = [];
    }
  }
  if (buffer.length) yield* epochBatches(buffer, batchTokens, seed + 7919 * w);
}
