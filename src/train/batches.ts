// Training batches: pairs of id sequences grouped by length into batches of about `batchTokens`
// target tokens, shuffled with a seeded generator so that a resumed run sees the same order.
import { BOS, EOS } from '../tokenize/tokenizer.js';

export interface Example {
  index: number; // line number in the training files (0-based): soft targets are looked up by it
  src: number[];
  tgt: number[];
}

export interface Batch {
  examples: Example[];
  srcRows: number[][]; // ids + EOS
  tgtIn: number[][]; // BOS + ids
  tgtOut: number[][]; // ids + EOS
}

/** A small deterministic generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 0..n-1 in a seeded random order (Fisher-Yates): the same order for the same seed. */
export function shuffledOrder(n: number, seed: number): number[] {
  const random = rng(seed);
  const order = [...Array(n).keys()];
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/**
 * Batches of `batchSize` indices 0..n-1 for one epoch, rows of like length together: the seeded
 * random order is cut into pools of `poolBatches` batches, each pool sorted by `length` (ties keep
 * the random order) and cut into batches, and all batches shuffled. A batch pads to its longest
 * row, so with lengths spread widely (the classify texts: 46 to 116 tokens between the quartile
 * and the 90th percentile) this saves most of the padding; the pools keep each batch a random
 * sample apart from its length (as fairseq's and transformers' group_by_length do).
 */
export function lengthGroupedBatches(
  n: number,
  batchSize: number,
  seed: number,
  length: (i: number) => number,
  poolBatches = 32,
): number[][] {
  const random = rng(seed);
  const order = shuffledOrder(n, seed);
  const batches: number[][] = [];
  const pool = batchSize * poolBatches;
  for (let at = 0; at < n; at += pool) {
    const sorted = order.slice(at, at + pool).sort((a, b) => length(a) - length(b)); // stable
    for (let b = 0; b < sorted.length; b += batchSize) batches.push(sorted.slice(b, b + batchSize));
  }
  for (let i = batches.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [batches[i], batches[j]] = [batches[j], batches[i]];
  }
  return batches;
}

/** Batches of one epoch: sorted by length into buckets, batches shuffled by seed. */
export function epochBatches(examples: Example[], batchTokens: number, seed: number): Batch[] {
  const random = rng(seed);
  const shuffled = examples.map((e) => ({ e, r: random() }));
  // sort by length (ties broken randomly) so a batch pads little
  shuffled.sort((a, b) => a.e.tgt.length - b.e.tgt.length || a.r - b.r);
  const batches: Batch[] = [];
  let cur: Example[] = [];
  let maxLen = 0;
  for (const { e } of shuffled) {
    const len = Math.max(e.src.length, e.tgt.length) + 1;
    if (cur.length && Math.max(maxLen, len) * (cur.length + 1) > batchTokens) {
      batches.push(makeBatch(cur));
      cur = [];
      maxLen = 0;
    }
    cur.push(e);
    maxLen = Math.max(maxLen, len);
  }
  if (cur.length) batches.push(makeBatch(cur));
  for (let i = batches.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [batches[i], batches[j]] = [batches[j], batches[i]];
  }
  return batches;
}

export function makeBatch(examples: Example[]): Batch {
  return {
    examples,
    srcRows: examples.map((e) => [...e.src, EOS]),
    tgtIn: examples.map((e) => [BOS, ...e.tgt]),
    tgtOut: examples.map((e) => [...e.tgt, EOS]),
  };
}

/** Target tokens the batch's losses average over (every loss is a mean over these positions). */
export function targetTokens(batch: Batch): number {
  return batch.tgtOut.reduce((n, t) => n + t.length, 0);
}
