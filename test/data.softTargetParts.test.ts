// A chunk's soft-target part: its records are the shard's own bytes (shards built from parts equal
// shards built sentence by sentence), and a part that does not match its chunk (a count, a k, a
// truncated or padded file) is named as such rather than read.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { partRecords, softTargetPartBytes, softTargetPartProblem } from '../src/data/softTargetParts.js';
import { type SentenceSoftTargets, SoftTargetReader, SoftTargetWriter } from '../src/data/softTargets.js';

const K = 3;
function sentence(length: number, seed: number): SentenceSoftTargets {
  const n = length * K;
  return {
    length,
    ids: Int32Array.from({ length: n }, (_, i) => (seed * 31 + i * 7) % 500),
    probs: Float32Array.from({ length: n }, (_, i) => 1 / (2 + ((seed + i) % 5))),
    logProbs1: Float32Array.from({ length: n }, (_, i) => -0.1 * (1 + ((seed * i) % 9))),
  };
}
const chunk = [sentence(4, 1), sentence(1, 2), sentence(7, 3)];
const meta = { teacherHash: 't', vocabHash: 'v', topK: K, temperature: 2 };
const files = (dir: string) =>
  Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f)).toString('hex')]));

describe('soft-target parts', () => {
  it('give shards byte for byte equal to sentence-by-sentence writing, and read back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kd-softparts-'));
    const direct = new SoftTargetWriter(join(dir, 'direct'), meta);
    chunk.forEach((t) => direct.add(t));
    await direct.finish();
    const bytes = softTargetPartBytes(chunk, K);
    expect(softTargetPartProblem(bytes, 3, K)).toBeNull();
    const viaPart = new SoftTargetWriter(join(dir, 'part'), meta);
    for (const r of partRecords(bytes, K)) viaPart.addEncoded(r.length, r.record);
    await viaPart.finish();
    expect(files(join(dir, 'part'))).toEqual(files(join(dir, 'direct')));
    const reader = new SoftTargetReader(join(dir, 'part'));
    expect(Array.from(reader.get(2).ids)).toEqual(Array.from(chunk[2].ids));
    expect(Array.from(reader.get(1).probs)).toEqual(Array.from(chunk[1].probs));
    reader.close();
  });

  it.each([
    ['another sentence count', (b: Buffer) => b, 4, K, '3 sentences, its chunk has 4'],
    ['another k', (b: Buffer) => b, 3, 5, 'top-3, the stage keeps top-5'],
    ['truncated', (b: Buffer) => b.subarray(0, b.length - 12), 3, K, 'bytes, its header says'],
    ['a byte too many', (b: Buffer) => Buffer.concat([b, Buffer.alloc(1)]), 3, K, 'bytes, its header says'],
    ['no header', () => Buffer.alloc(3), 3, K, '3 bytes: no header'],
  ])('%s: named', (_what, damage, sentences, k, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'kd-softparts-'));
    const file = join(dir, 'p.bin');
    writeFileSync(file, damage(softTargetPartBytes(chunk, K)));
    expect(softTargetPartProblem(file, sentences, k)).toContain(message);
    expect(softTargetPartProblem(readFileSync(file), sentences, k)).toContain(message);
  });
});
