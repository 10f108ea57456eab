// Artifacts kd reads back are verified: a truncated or bit-flipped soft-target shard, an edited
// pseudo-corpus line and a corrupt checkpoint are errors that name the file and say what to do,
// never training data (table-driven over artifact and damage).
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { SoftTargetReader } from '../src/data/softTargets.js';
import { loadPipeline } from '../src/pipeline/config.js';
import { runPipeline } from '../src/pipeline/runner.js';
import { loadCheckpoint } from '../src/util/checkpoint.js';
import { verifyStageOutput } from '../src/util/fileHash.js';
import { stageDir } from './helpers/stageDir.js';

type Damage = (file: string) => void;
const truncateToQuarter: Damage = (f) => truncateSync(f, Math.floor(readFileSync(f).length / 4));
const flipByte: Damage = (f) => {
  const b = readFileSync(f);
  b[b.length >> 1] ^= 0x40;
  writeFileSync(f, b);
};
const editFirstLine: Damage = (f) => writeFileSync(f, readFileSync(f, 'utf8').replace(/^[^\n]*/, 'an edited line'));

describe('integrity of what kd reads back', () => {
  const work = mkdtempSync(join(tmpdir(), 'kd-integrity-'));
  const dirOf = (stage: string) => stageDir(work, stage);
  beforeAll(async () => {
    const config = loadPipeline(new URL('../pipelines/tiny.yaml', import.meta.url).pathname);
    config.students = ['seqkd+wordkd'];
    await runPipeline({ task: 'translate', config }, { workDir: work, reportDir: join(work, 'report'), log: () => {} });
  });

  const cases: Array<[string, () => string, Damage, (file: string) => unknown, RegExp]> = [
    [
      'soft-target shard, truncated',
      () => join(dirOf('generate'), 'soft-seqkd', 'shard-00000.bin'),
      truncateToQuarter,
      (f) => new SoftTargetReader(join(f, '..')),
      /bytes, its manifest says .* delete .*generate-/,
    ],
    [
      'soft-target shard, a flipped byte',
      () => join(dirOf('generate'), 'soft-gold', 'shard-00000.bin'),
      flipByte,
      (f) => new SoftTargetReader(join(f, '..')),
      /differs from its manifest's checksum/,
    ],
    [
      'soft-target index, truncated',
      () => join(dirOf('generate'), 'soft-gold', 'index.bin'),
      truncateToQuarter,
      (f) => new SoftTargetReader(join(f, '..')),
      /index\.bin: \d+ bytes/,
    ],
    [
      'Seq-KD corpus, one line edited',
      () => join(dirOf('generate'), 'seqkd.tgt'),
      editFirstLine,
      verifyStageOutput,
      /seqkd\.tgt: .*(bytes|checksum)/,
    ],
    [
      'checkpoint weights, a flipped byte',
      () => join(dirOf('teacher'), 'last', 'weights.bin'),
      flipByte,
      (f) => loadCheckpoint(join(f, '..')),
      /weights\.bin: checksum differs/,
    ],
    [
      'checkpoint weights, truncated',
      () => join(dirOf('teacher'), 'best', 'weights.bin'),
      truncateToQuarter,
      (f) => loadCheckpoint(join(f, '..')),
      /weights\.bin: \d+ bytes, its index names/,
    ],
  ];
  for (const [what, fileOf, damage, read, message] of cases) {
    it(`${what}: an error naming the file`, () => {
      const file = fileOf();
      expect(() => read(file)).not.toThrow(); // whole, it reads
      copyFileSync(file, `${file}.bak`);
      damage(file);
      expect(() => read(file)).toThrow(message);
      copyFileSync(`${file}.bak`, file);
    });
  }
});

describe('generate parts', () => {
  it('a damaged part is decoded again on resume, and the outputs come out the same', async () => {
    const work = mkdtempSync(join(tmpdir(), 'kd-parts-'));
    const config = loadPipeline(new URL('../pipelines/tiny.yaml', import.meta.url).pathname);
    config.students = [];
    await runPipeline({ task: 'translate', config }, { workDir: work, reportDir: join(work, 'report'), log: () => {} });
    const gen = stageDir(work, 'generate');
    const before = readFileSync(join(gen, 'seqkd.tgt'), 'utf8');
    const part = join(gen, 'parts', readdirSync(join(gen, 'parts'))[0]);
    truncateToQuarter(part);
    // the stage is redone from its parts: done.json removed as a killed run would leave it
    const { rmSync } = await import('node:fs');
    rmSync(join(gen, 'done.json'));
    await runPipeline({ task: 'translate', config }, { workDir: work, reportDir: join(work, 'report'), log: () => {} });
    expect(readFileSync(join(gen, 'seqkd.tgt'), 'utf8')).toBe(before);
    expect(JSON.parse(readFileSync(part, 'utf8')).nbest.length).toBeGreaterThan(0);
  });
});
