// The classification pipeline on a slice of the bundled dataset (pipelines/tiny-sections.yaml):
// every stage, every report row, the teacher's labels aligned with their texts, a rerun that
// skips everything (the trainer's resume: test/classify.resume.test.ts).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { loadClassifyPipeline } from '../src/pipeline/classifyConfig.js';
import { readPipelineFile } from '../src/pipeline/config.js';
import { runPipeline } from '../src/pipeline/runner.js';
import { softmaxAt } from '../src/util/softmax.js';
import { runKd } from './helpers/runKd.js';
import { stageDir } from './helpers/stageDir.js';

const lines = (f: string) => readFileSync(f, 'utf8').split('\n').slice(0, -1);

describe('kd run pipelines/tiny-sections.yaml', () => {
  const work = mkdtempSync(join(tmpdir(), 'kd-cls-'));
  const file = new URL('../pipelines/tiny-sections.yaml', import.meta.url).pathname;
  const config = loadClassifyPipeline(file, readPipelineFile(file).raw);
  const dirOf = (stage: string) => stageDir(work, stage);

  it('runs every stage and reports every model with metrics in range', async () => {
    const logs: string[] = [];
    const r = await runPipeline(
      { task: 'classify', config },
      { workDir: work, reportDir: join(work, 'report'), log: (m) => logs.push(m) },
    );
    // teacher.pretrain: a masked-LM stage first, and the teacher fine-tuned from its encoder
    expect(JSON.parse(readFileSync(join(dirOf('pretrain'), 'result.json'), 'utf8')).step).toBe(6);
    expect(logs.some((l) => /starting from \d+ pretrained parameters/.test(l))).toBe(true);
    const students = [
      'Student (scratch)',
      'Student KD, T = 1',
      'Student KD, T = 2',
      'Student KD, T = 4',
      'Student KD, T = 8',
      'Student KD annealed',
      'Baseline n-grams (scratch)',
      'Baseline n-grams KD, T = 2',
    ];
    // eval.int8 (default): each student's int8 graph in the row after its own
    expect(r.rows.map((row) => row.label)).toEqual(['Teacher', ...students.flatMap((s) => [s, `${s} (int8)`])]);
    r.rows.forEach((row, i) => {
      if (row.dtype !== 'int8') return;
      const fp32 = r.rows[i - 1];
      expect(row.sizeBytes!, row.label).toBeLessThan(0.5 * fp32.sizeBytes!);
      // stated tolerance on these tiny trained models (measured: 96.7-100% of 60 texts)
      expect(row.agreementWithFp32!, row.label).toBeGreaterThanOrEqual(0.9);
      expect(Math.abs(row.accuracy - fp32.accuracy), row.label).toBeLessThanOrEqual(0.05);
    });
    expect(r.markdown).toContain('## int8 against fp32');
    for (const row of r.rows) {
      for (const v of [row.accuracy, row.macroF1, row.ece]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
      expect(row.params).toBeGreaterThan(0);
      expect(row.examplesPerSecond).toBeGreaterThan(0);
    }
    expect(r.rows[0].agreement).toBeNull();
    expect(r.markdown).toContain('| Student KD annealed |');
    expect(JSON.parse(readFileSync(r.reportJson, 'utf8')).rows).toHaveLength(17);
  });

  it("writes the teacher's logits and softmax(logits / T) for every training and transfer text", () => {
    const prep = dirOf('prepare');
    const label = dirOf('label');
    const labels = JSON.parse(readFileSync(join(prep, 'labels.json'), 'utf8'));
    for (const [name, n] of [
      ['train', 200],
      ['transfer', 100],
    ] as const) {
      const rows = lines(join(label, `${name}.jsonl`)).map((l) => JSON.parse(l));
      expect(rows).toHaveLength(n);
      for (const row of rows.slice(0, 5)) {
        // logits only: each KD student applies its own temperature
        expect(Object.keys(row).sort()).toEqual(['label', 'logits']);
        expect(row.label).toBe(labels[row.logits.indexOf(Math.max(...row.logits))]);
      }
    }
  });

  it("exports its trained teacher (kd export), whose logits through kd label equal the label stage's", async () => {
    const out = join(work, 'exported-teacher'); // not 'teacher-...': dirOf('teacher') would find it
    const e = await runKd(['export', '--model', dirOf('teacher'), '-o', out]);
    expect(e.code, e.stderr).toBe(0);
    const texts = lines(join(dirOf('prepare'), 'data', 'transfer.txt')).slice(0, 8);
    writeFileSync(join(work, 'texts.txt'), `${texts.join('\n')}\n`);
    const l = await runKd([
      'label',
      '--model',
      out,
      '-i',
      join(work, 'texts.txt'),
      '-o',
      join(work, 'texts.jsonl'),
      '-T',
      '2',
    ]);
    expect(l.code, l.stderr).toBe(0);
    const want = lines(join(dirOf('label'), 'transfer.jsonl'))
      .slice(0, 8)
      .map((x) => JSON.parse(x).logits as number[]);
    const got = lines(join(work, 'texts.jsonl')).map((x) => JSON.parse(x).logits as number[]);
    expect(got).toHaveLength(8);
    got.forEach((row, i) =>
      row.forEach((v, k) => expect(Math.abs(v - want[i][k]), `text ${i} class ${k}`).toBeLessThan(1e-4)),
    );
  });

  it('kd int8-report puts its students in fp32 and int8 side by side, agreement with the teacher included', async () => {
    const out = join(work, 'int8-report');
    const r = await runKd([
      'int8-report',
      '--prepare',
      dirOf('prepare'),
      '--teacher',
      dirOf('teacher'),
      '--model',
      dirOf('student-scratch'),
      dirOf('student-baseline'),
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const { rows } = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      rows: Array<{ label: string; dtype: string; agreement: number | null }>;
    };
    expect(rows.map((row) => row.label)).toEqual([
      'Teacher',
      'scratch',
      'scratch (int8)',
      'baseline',
      'baseline (int8)',
    ]);
    expect(rows.slice(1).every((row) => row.agreement !== null)).toBe(true);
  });

  it('skips every finished stage on a rerun', async () => {
    const logs: string[] = [];
    await runPipeline(
      { task: 'classify', config },
      { workDir: work, reportDir: join(work, 'report'), log: (m) => logs.push(m) },
    );
    const stages = logs.filter((l) => l.startsWith('['));
    expect(stages.length).toBe(13); // prepare, pretrain, teacher, label, 8 students and baselines, eval
    expect(stages.every((l) => l.includes('cached'))).toBe(true);
  });
});

describe('a pretrained ONNX teacher (test/fixtures/tiny-bert) in a classify pipeline', () => {
  it("labels with transformers' exact probabilities and is evaluated like a trained teacher", async () => {
    const bert = JSON.parse(readFileSync('test/fixtures/tiny-bert-golden.json', 'utf8'));
    const names = ['negative', 'neutral', 'positive'];
    // gold labels are the teacher's own predictions, so its accuracy must come out exactly 1
    const cases = bert.cases.map((c: { text: string; logits: number[]; probs_T2: number[] }) => ({
      ...c,
      label: names[c.logits.indexOf(Math.max(...c.logits))],
    }));
    const tsv = (xs: typeof cases) =>
      xs.map((c: { label: string; text: string }) => `${c.label}\t${c.text}`).join('\n') + '\n';
    const data = mkdtempSync(join(tmpdir(), 'kd-bertdata-'));
    writeFileSync(join(data, 'labels.json'), JSON.stringify(names));
    writeFileSync(join(data, 'train.tsv'), tsv(cases.slice(0, 20)));
    writeFileSync(join(data, 'dev.tsv'), tsv(cases.slice(20, 28)));
    writeFileSync(join(data, 'test.tsv'), tsv(cases.slice(28)));
    writeFileSync(
      join(data, 'transfer.txt'),
      cases
        .slice(20, 28)
        .map((c: { text: string }) => c.text)
        .join('\n') + '\n',
    );
    const tiny = { steps: 2, batchSize: 8, evalEvery: 2, checkpointEvery: 2, warmup: 1 };
    const config = loadClassifyPipeline('(test)', {
      task: 'classify',
      name: 'bert-teacher',
      data: { dir: data },
      vocabSize: 300,
      teacher: { onnx: 'test/fixtures/tiny-bert' },
      student: { model: { dModel: 16, ffDim: 16, heads: 2, layers: 1, maxTokens: 16 }, train: tiny },
      baseline: { model: { buckets: 512, dModel: 8 }, train: tiny },
      students: ['kd', 'baseline'],
      kd: { temperatures: [2] },
      label: { batchSize: 7, chunk: 16 },
    });
    const work = mkdtempSync(join(tmpdir(), 'kd-bertpipe-'));
    const r = await runPipeline(
      { task: 'classify', config },
      { workDir: work, reportDir: join(work, 'report'), log: () => {} },
    );
    const label = stageDir(work, 'label');
    const rows = lines(join(label, 'train.jsonl')).map((l) => JSON.parse(l));
    expect(rows).toHaveLength(20);
    rows.forEach((row, i) =>
      softmaxAt(row.logits, 2).forEach((p: number, k: number) =>
        expect(Math.abs(p - cases[i].probs_T2[k]), `case ${i}`).toBeLessThan(1e-5),
      ),
    );
    expect(r.rows.map((row) => row.label)).toEqual([
      'Teacher',
      'Student KD, T = 2',
      'Student KD, T = 2 (int8)',
      'Baseline n-grams (scratch)',
      'Baseline n-grams (scratch) (int8)',
    ]);
    expect(r.rows[0]).toMatchObject({ accuracy: 1, params: null, agreement: null });
    expect(r.markdown).toContain('| Teacher | 100.00 |');
  });

  it("rejects a teacher whose labels differ from the dataset's, naming both", async () => {
    const data = mkdtempSync(join(tmpdir(), 'kd-bertdata-'));
    writeFileSync(join(data, 'labels.json'), JSON.stringify(['no', 'yes']));
    writeFileSync(join(data, 'train.tsv'), 'no\tone\nyes\ttwo\n');
    writeFileSync(join(data, 'dev.tsv'), 'no\tone\n');
    writeFileSync(join(data, 'test.tsv'), 'yes\ttwo\n');
    const config = loadClassifyPipeline('(test)', {
      task: 'classify',
      data: { dir: data },
      vocabSize: 280,
      teacher: { onnx: 'test/fixtures/tiny-bert' },
      students: ['baseline'],
    });
    const work = mkdtempSync(join(tmpdir(), 'kd-bertpipe-'));
    await expect(
      runPipeline({ task: 'classify', config }, { workDir: work, reportDir: join(work, 'report'), log: () => {} }),
    ).rejects.toThrow(/id2label \(negative, neutral, positive\) differs from the dataset's labels \(no, yes\)/);
  });
});
