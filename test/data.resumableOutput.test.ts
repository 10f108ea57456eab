// Chunked outputs resume where a killed run stopped, and never mix runs of different settings.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { mapFileInChunks, ResumableOutput } from '../src/data/resumableOutput.js';
import { Progress } from '../src/util/progress.js';
import { tempFiles } from './helpers/runKd.js';

describe('ResumableOutput', () => {
  it('skips finished chunks on resume and writes the target only when complete', async () => {
    const dir = tempFiles({ 'in.txt': 'a\nb\nc\nd\ne\n' });
    const target = join(dir, 'out.txt');
    const seen: string[][] = [];
    const upper = async (lines: string[]) => (seen.push(lines), lines.map((l) => l.toUpperCase()));
    // a "killed" run: chunk 0 finished, no target yet
    new ResumableOutput(target, { s: 1 }).writeChunk(0, ['A', 'B']);
    expect(existsSync(target)).toBe(false);
    const n = await mapFileInChunks(
      join(dir, 'in.txt'),
      2,
      new ResumableOutput(target, { s: 1 }),
      new Progress('t', 5),
      upper,
    );
    expect(n).toBe(5);
    expect(seen).toEqual([['c', 'd'], ['e']]);
    expect(readFileSync(target, 'utf8')).toBe('A\nB\nC\nD\nE\n');
    expect(existsSync(`${target}.parts`)).toBe(false);
  });

  it('starts afresh when the settings differ', () => {
    const target = join(tempFiles({}), 'out.txt');
    new ResumableOutput(target, { beams: 5 }).writeChunk(0, ['x']);
    expect(new ResumableOutput(target, { beams: 5 }).has(0)).toBe(true);
    expect(new ResumableOutput(target, { beams: 4 }).has(0)).toBe(false);
  });
});
