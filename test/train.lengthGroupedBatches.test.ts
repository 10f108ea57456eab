// Classifier and masked-LM batches group rows of like length (a batch pads to its longest row) but
// stay a fresh random sample each epoch: every row once, the same batches for the same seed.
import { describe, expect, it } from 'vitest';

import { lengthGroupedBatches, rng, shuffledOrder } from '../src/train/batches.js';

const rand = rng(3);
const LENGTHS = Array.from({ length: 1000 }, () => 1 + Math.floor(rand() * 120));
const length = (i: number) => LENGTHS[i];

/** the padded cells of a batching: sum over batches of (longest row * rows) - the rows' lengths */
const padding = (batches: number[][]) =>
  batches.reduce((n, b) => n + Math.max(...b.map(length)) * b.length - b.reduce((s, i) => s + length(i), 0), 0);

describe('lengthGroupedBatches', () => {
  it('gives every row once per epoch, in batches of the size asked (the last of each pool may be short)', () => {
    const batches = lengthGroupedBatches(LENGTHS.length, 64, 7, length, 4);
    expect(
      batches
        .flat()
        .sort((a, b) => a - b)
        .join(),
    ).toBe([...LENGTHS.keys()].join());
    expect(batches.filter((b) => b.length !== 64).length).toBeLessThanOrEqual(Math.ceil(1000 / (64 * 4)));
  });

  it('is the same for the same seed and different for another', () => {
    expect(lengthGroupedBatches(1000, 64, 7, length)).toEqual(lengthGroupedBatches(1000, 64, 7, length));
    expect(lengthGroupedBatches(1000, 64, 8, length)).not.toEqual(lengthGroupedBatches(1000, 64, 7, length));
  });

  it('pads far less than batches of the plain shuffled order', () => {
    const grouped = padding(lengthGroupedBatches(1000, 64, 7, length)); // one pool of 1,000: batches of a sixteenth of the lengths
    const order = shuffledOrder(1000, 7);
    const plain = padding(Array.from({ length: Math.ceil(1000 / 64) }, (_, b) => order.slice(b * 64, (b + 1) * 64)));
    expect(grouped).toBeLessThan(plain / 8);
  });

  it('sorts only within a pool, so short and long rows still come in every part of the epoch', () => {
    const batches = lengthGroupedBatches(1000, 8, 7, length, 2);
    for (const b of batches) expect(b.map(length)).toEqual(b.map(length).sort((x, y) => x - y));
    // pools of 16 random rows: a batch is the shorter or the longer half of one, so its shortest
    // row ranges widely across batches (one sort of the whole epoch would not mix them at all)
    const shortest = batches.slice(0, 20).map((b) => Math.min(...b.map(length)));
    expect(Math.min(...shortest)).toBeLessThan(20);
    expect(Math.max(...shortest)).toBeGreaterThan(50);
  });
});
