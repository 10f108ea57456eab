// kd translate and kd label through the real command line, against the transformers goldens
// (test/fixtures/README.md), and their errors on bad model folders and inputs.
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { runKd, tempFiles } from './helpers/runKd.js';

const marian = JSON.parse(readFileSync('test/fixtures/tiny-marian-golden.json', 'utf8'));
const bert = JSON.parse(readFileSync('test/fixtures/tiny-bert-golden.json', 'utf8'));

describe('kd translate', () => {
  it('--input-format ids gives generate() sequences and scores as n-best JSON lines', async () => {
    const cases = marian.cases.slice(0, 6);
    const dir = tempFiles({
      'in.txt': cases.map((c: { input_ids: number[] }) => c.input_ids.join(' ')).join('\n') + '\n',
    });
    const r = await runKd([
      'translate',
      '--model',
      'test/fixtures/tiny-marian',
      '-i',
      join(dir, 'in.txt'),
      '-o',
      join(dir, 'out.jsonl'),
      '--input-format',
      'ids',
      '--num-beams',
      '3',
      '--nbest',
      '3',
      '--max-length',
      '40',
      '--length-penalty',
      '0.6',
      '--batch-size',
      '4',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(join(dir, 'out.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(cases.length);
    cases.forEach((c: Record<string, { sequences: number[][]; scores: number[] }>, i: number) => {
      const want = c['beam3_lp0.6'];
      expect(lines[i].nbest.map((h: { ids: number[] }) => h.ids)).toEqual(want.sequences);
      lines[i].nbest.forEach((h: { score: number; text: string }, j: number) => {
        expect(Math.abs(h.score - want.scores[j])).toBeLessThan(1e-4);
        expect(typeof h.text).toBe('string');
      });
    });
  });

  it('text in, text out; an empty line stays empty; a bad id names file and line', async () => {
    const dir = tempFiles({ 'in.txt': 'Das ist ein Test.\n\nNoch einer.\n', 'bad.txt': '5 6\n7 x 9\n' });
    const ok = await runKd([
      'translate',
      '--model',
      'test/fixtures/tiny-marian',
      '-i',
      join(dir, 'in.txt'),
      '-o',
      join(dir, 'out.txt'),
      '--max-length',
      '8',
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    const out = readFileSync(join(dir, 'out.txt'), 'utf8').split('\n');
    expect(out).toHaveLength(4);
    expect(out[1]).toBe('');
    expect(out[0].length).toBeGreaterThan(0);
    const bad = await runKd([
      'translate',
      '--model',
      'test/fixtures/tiny-marian',
      '-i',
      join(dir, 'bad.txt'),
      '-o',
      join(dir, 'o2.txt'),
      '--input-format',
      'ids',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${join(dir, 'bad.txt')}:2: "x" is not a token id`);
  });

  it('a model folder missing its decoder, or with broken JSON, is an error naming the file', async () => {
    const dir = tempFiles({ 'in.txt': '5 6\n' });
    const model = join(dir, 'model');
    cpSync('test/fixtures/tiny-marian', model, { recursive: true });
    rmSync(join(model, 'onnx', 'decoder_model.onnx'));
    const r1 = await runKd(['translate', '--model', model, '-i', join(dir, 'in.txt'), '-o', join(dir, 'o.txt')]);
    expect(r1.code).toBe(1);
    expect(r1.stderr).toContain(join(model, 'onnx', 'decoder_model.onnx'));
    writeFileSync(join(model, 'config.json'), '{"is_encoder_decoder": true,');
    const r2 = await runKd(['translate', '--model', model, '-i', join(dir, 'in.txt'), '-o', join(dir, 'o.txt')]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain(`${join(model, 'config.json')}: not valid JSON`);
  });
});

describe('kd label', () => {
  it('gives transformers-exact logits and softmax(logits / T) per line, with label names', async () => {
    const dir = tempFiles({ 'in.txt': bert.cases.map((c: { text: string }) => c.text).join('\n') + '\n' });
    const r = await runKd([
      'label',
      '--model',
      'test/fixtures/tiny-bert',
      '-i',
      join(dir, 'in.txt'),
      '-o',
      join(dir, 'out.jsonl'),
      '-T',
      '2',
      '--batch-size',
      '7',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const rows = readFileSync(join(dir, 'out.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(bert.cases.length);
    bert.cases.forEach((c: { logits: number[]; probs_T2: number[] }, i: number) => {
      rows[i].probs.forEach((p: number, k: number) =>
        expect(Math.abs(p - c.probs_T2[k]), `case ${i}`).toBeLessThan(1e-5),
      );
      rows[i].logits.forEach((l: number, k: number) => expect(Math.abs(l - c.logits[k])).toBeLessThan(1e-5));
      const best = c.logits.indexOf(Math.max(...c.logits));
      expect(rows[i].label).toBe(['negative', 'neutral', 'positive'][best]);
    });
  });
});

describe('standard input and output (-)', () => {
  it('kd translate -i - -o - gives what files give; kd label the same; kd score -i -; kd --version', async () => {
    const text = 'Das ist ein Test.\n\nNoch einer.\n';
    const dir = tempFiles({ 'in.txt': text });
    const file = await runKd([
      'translate',
      '--model',
      'test/fixtures/tiny-marian',
      '-i',
      join(dir, 'in.txt'),
      '-o',
      join(dir, 'out.txt'),
      '--max-length',
      '8',
    ]);
    expect(file.code, file.stderr).toBe(0);
    const piped = await runKd(
      ['translate', '--model', 'test/fixtures/tiny-marian', '-i', '-', '-o', '-', '--max-length', '8'],
      { input: text },
    );
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout).toBe(readFileSync(join(dir, 'out.txt'), 'utf8'));
    expect(existsSync('-')).toBe(false);

    const label = await runKd(['label', '--model', 'test/fixtures/tiny-bert', '-i', '-', '-o', '-', '-T', '2'], {
      input: 'a test\nanother\n',
    });
    expect(label.code, label.stderr).toBe(0);
    expect(
      label.stdout
        .trim()
        .split('\n')
        .map((l) => Object.keys(JSON.parse(l))),
    ).toHaveLength(2);

    writeFileSync(join(dir, 'ref.txt'), 'a b c d\n');
    const score = await runKd(['score', join(dir, 'ref.txt'), '-i', '-', '-f', 'json'], { input: 'a b c d\n' });
    expect(score.code, score.stderr).toBe(0);
    expect(JSON.parse(score.stdout)[0].score).toBeCloseTo(100, 9);

    const version = await runKd(['--version']);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });
});
