// Bad input gets a clear error naming the file and line, and nothing half-written is left.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { readParallel } from '../src/data/parallel.js';
import { readAllLines } from '../src/data/textLines.js';
import { loadPipeline } from '../src/pipeline/config.js';
import { AtomicLineWriter } from '../src/util/atomicWrite.js';
import { tempFiles } from './helpers/runKd.js';

async function drain(gen: AsyncGenerator<unknown>) {
  for await (const _ of gen) void _;
}

describe('input validation', () => {
  const dir = tempFiles({
    'a.en': 'one\ntwo\nthree\n',
    'a.de': 'eins\nzwei\n',
    'b.en': 'one\n  \nthree\n',
    'b.de': 'eins\nzwei\ndrei\n',
    'c.en': `short\n${'x'.repeat(50)}\n`,
    'c.de': 'kurz\nlang\n',
    'bad.yaml': 'name: x\ncorpus: { train: a, dev: a, test: a }\nteacher: { model: { dModel: 64, dmodel: 3 } }\n',
    'typed.yaml': 'name: x\ncorpus: { train: a, dev: a, test: a, maxTrain: "lots" }\n',
    'student.yaml': 'name: x\ncorpus: { train: a, dev: a, test: a }\nstudents: [baseline, distil]\n',
    'missing.yaml': 'name: x\n',
    'nul.en': 'one\ntw\u0000o\n',
    'nul.de': 'eins\nzwei\n',
    'short.en': 'one\ntwo\nthree\nfour\n',
    'short.de': 'eins\nzwei\ndrei\n',
    // line 2: overlong source; 3: empty target; 4: ratio 10; 5: a duplicate of line 1
    'dirty.en': `a cat\n${'x'.repeat(60)}\nthe dog\nhi\na cat\nthe end\n`,
    'dirty.de': `eine Katze\nlang\n \n${'y'.repeat(20)}\neine Katze\ndas Ende\n`,
  });
  const f = (n: string) => join(dir, n);

  it('names both files when line counts differ', async () => {
    await expect(drain(readParallel(f('a.de'), f('a.en'), { maxChars: 100 }))).rejects.toThrow(
      `${f('a.de')}: has 2 lines but ${f('a.en')} has more`,
    );
  });

  it('names the file and line of an empty or whitespace-only line', async () => {
    await expect(drain(readParallel(f('b.en'), f('b.de'), { maxChars: 100 }))).rejects.toThrow(
      `${f('b.en')}:2: empty line`,
    );
  });

  it('names the file and line of a line over the length limit', async () => {
    await expect(drain(readParallel(f('c.en'), f('c.de'), { maxChars: 20 }))).rejects.toThrow(
      `${f('c.en')}:2: line has 50 characters, over the limit of 20`,
    );
  });

  it('names the file and line of a NUL byte', async () => {
    await expect(drain(readParallel(f('nul.en'), f('nul.de'), { maxChars: 100 }))).rejects.toThrow(
      `${f('nul.en')}:2: a NUL byte`,
    );
  });

  it('checks line counts on whole files even when only the first N pairs are kept (corpus.maxTrain)', async () => {
    const { run } = await import('../src/stages/prepare.js');
    const corpus = {
      train: f('short'),
      dev: f('short'),
      test: f('short'),
      src: 'en',
      tgt: 'de',
      maxTrain: 2,
      maxDev: 2,
      maxTest: 2,
      maxDistill: 0,
      maxChars: 100,
      filter: { overlong: 'drop' as const, empty: 'drop' as const, maxRatio: 0, duplicates: 'keep' as const },
    };
    await expect(run({ corpus, vocabSize: 40 }, join(dir, 'prep'))).rejects.toThrow(
      `${f('short.de')}: has 3 lines but ${f('short.en')} has more`,
    );
  });

  it('filters training pairs with counts (corpus.filter), or stops at the first with error', async () => {
    const { run } = await import('../src/stages/prepare.js');
    const corpus = (filter: object) => ({
      train: f('dirty'),
      dev: f('short'),
      test: f('short'),
      src: 'en',
      tgt: 'de',
      maxTrain: 0,
      maxDev: 2,
      maxTest: 2,
      maxDistill: 0,
      maxChars: 40,
      filter: {
        overlong: 'drop' as const,
        empty: 'drop' as const,
        maxRatio: 0,
        duplicates: 'keep' as const,
        ...filter,
      },
    });
    // dev and test here are the short pair (3 against 4 lines): whole files are read, so limit them apart
    const ok = { ...corpus({ maxRatio: 3, duplicates: 'drop' }), dev: f('dirty'), test: f('dirty') };
    const clean = join(dir, 'clean');
    const r = await run(
      { corpus: { ...ok, dev: f('a'), test: f('a'), maxDev: 0, maxTest: 0 } as never, vocabSize: 40 },
      clean,
    ).catch((e) => e as Error);
    expect(r).toBeInstanceOf(Error); // dev/test are never filtered: a.de is a line short
    const good = await run({ corpus: { ...ok, dev: f('b'), test: f('b') } as never, vocabSize: 40 }, clean).catch(
      (e) => e as Error,
    );
    expect(String(good)).toContain(`${f('b.en')}:2: empty line`);
    writeFileSync(f('ok.en'), 'one\n');
    writeFileSync(f('ok.de'), 'eins\n');
    const done = await run({ corpus: { ...ok, dev: f('ok'), test: f('ok') }, vocabSize: 40 }, clean);
    expect(done.dropped).toEqual({ overlong: 1, empty: 1, ratio: 1, duplicates: 1 });
    expect(readFileSync(join(clean, 'data', 'train.src'), 'utf8')).toBe('a cat\nthe end\n');
    await expect(
      run(
        { corpus: { ...corpus({ overlong: 'error' }), dev: f('ok'), test: f('ok') }, vocabSize: 40 },
        join(dir, 'strict'),
      ),
    ).rejects.toThrow(`${f('dirty.en')}:2: line has 60 characters, over the limit of 40`);
  });

  it('names a missing file', async () => {
    await expect(readAllLines(f('nope.txt'))).rejects.toThrow(`${f('nope.txt')}: no such file`);
  });

  it('rejects unknown, mistyped and missing config keys, naming the file and key path', () => {
    expect(() => loadPipeline(f('bad.yaml'))).toThrow(`${f('bad.yaml')}: unknown key 'teacher.model.dmodel'`);
    expect(() => loadPipeline(f('typed.yaml'))).toThrow(`'corpus.maxTrain' should be a number, got string`);
    expect(() => loadPipeline(f('student.yaml'))).toThrow(`unknown student 'distil'`);
    expect(() => loadPipeline(f('missing.yaml'))).toThrow(`'corpus.train' is required`);
  });

  it('shows nothing under the target name until commit', async () => {
    const target = f('out/result.txt');
    const w = new AtomicLineWriter(target);
    await w.write('half');
    expect(existsSync(target)).toBe(false);
    await w.commit();
    expect(await readAllLines(target)).toEqual(['half']);
    expect(readdirSync(f('out'))).toEqual(['result.txt']);
  });
});
