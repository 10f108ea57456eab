// A cached stage hands back the result its run returned (the recorded stage time beside it, not in it).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { runCached } from '../src/pipeline/stageCache.js';

describe('runCached', () => {
  it('returns the same result when cached as when it ran, with the stage time apart', async () => {
    const work = mkdtempSync(join(tmpdir(), 'kd-cache-'));
    let runs = 0;
    const body = async () => {
      runs++;
      return { bleu: 12.5, rows: [1, 2] };
    };
    const first = await runCached(work, 'eval-x', 'abc', () => {}, body);
    const again = await runCached(work, 'eval-x', 'abc', () => {}, body);
    expect(runs).toBe(1);
    expect(again.cached).toBe(true);
    expect(again.result).toEqual(first.result);
    expect(again.seconds).toBe(first.seconds);
    expect(typeof first.seconds).toBe('number');
  });
});
