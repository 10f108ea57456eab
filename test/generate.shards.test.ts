// Static shards of the generate stage through the real command line: kd generate --shard I/N
// decodes only its chunks and leaves the stage unfinished; --merge refuses while a chunk is
// missing and then assembles outputs byte for byte equal to a single process's run.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { generateDir, generateOutputs, tinyWithTeacher } from './helpers/generateStage.js';
import { runKd } from './helpers/runKd.js';

describe('kd generate --shard I/N and --merge', () => {
  it('three shards then the merge equal one process, byte for byte', async () => {
    const { file, workDir } = await tinyWithTeacher('kd-shards-');
    const single = workDir('single');
    const one = await runKd(['generate', file, '--workdir', single]);
    expect(one.code, one.stderr).toBe(0);

    const sharded = workDir('sharded');
    const kd = (...args: string[]) => runKd(['generate', file, '--workdir', sharded, ...args]);
    for (const [flags, message] of [
      [['--shard', '4/3'], "--shard wants I/N with 1 <= I <= N (shard I of N), got '4/3'"],
      [['--shard', '1/3', '--merge'], 'mutually exclusive'],
    ] as const) {
      const bad = await kd(...flags);
      expect(bad.code, bad.stderr).toBe(2);
      expect(bad.stderr).toContain(message);
    }
    // two shards side by side (no pipeline lock between them), the third later
    const shards = await Promise.all([kd('--shard', '1/3'), kd('--shard', '2/3')]);
    for (const [i, s] of shards.entries()) {
      expect(s.code, s.stderr).toBe(0);
      expect(s.stderr).toContain(
        `kd generate --shard ${i + 1}/3: done (3 chunks decoded here, 3 in this shard, 8 in all)`,
      );
    }
    const gen = generateDir(sharded);
    expect(existsSync(join(gen, 'done.json'))).toBe(false);
    expect(readdirSync(join(gen, 'parts')).filter((f) => f.endsWith('.json'))).toHaveLength(6);

    const early = await kd('--merge');
    expect(early.code).toBe(1);
    expect(early.stderr).toContain('2 of 8 chunks are not done (first: chunk 2, lines 17-24: missing)');
    expect(existsSync(join(gen, 'done.json'))).toBe(false);

    const third = await kd('--shard', '3/3');
    expect(third.stderr).toContain('(2 chunks decoded here, 2 in this shard, 8 in all)');
    const merged = await kd('--merge');
    expect(merged.code, merged.stderr).toBe(0);
    expect(existsSync(join(gen, 'done.json'))).toBe(true);
    expect(generateOutputs(sharded)).toEqual(generateOutputs(single));
  });
});
