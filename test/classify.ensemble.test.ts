// The classify teacher with a bag-of-n-grams member (teacher.ngrams): the label stage writes the
// pair's mean log-probabilities, the eval stage scores the ensemble as the teacher and each member
// alone, and the KD students learn from the ensemble.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { loadClassifyPipeline } from '../src/pipeline/classifyConfig.js';
import { readPipelineFile } from '../src/pipeline/config.js';
import { runPipeline } from '../src/pipeline/runner.js';
import { loadClassifier } from '../src/runtime/classifier.js';
import { meanLogProbs } from '../src/runtime/classifierEnsemble.js';
import { readLabels } from '../src/stages/classifyPrepare.js';
import { ConfigError } from '../src/util/errors.js';
import { stageDir } from './helpers/stageDir.js';

describe('meanLogProbs', () => {
  it('is the log of the normalised geometric mean of the members’ distributions', () => {
    const a = Float32Array.from([2, 0, -1, 0.5, 0.5, 3]); // two rows of three classes
    const b = Float32Array.from([-1, 1, 0, 4, 0, 0]);
    const out = meanLogProbs([a, b], 3);
    for (let r = 0; r < 2; r++) {
      const soft = (z: Float32Array) => {
        const e = [0, 1, 2].map((c) => Math.exp(z[r * 3 + c]));
        const s = e.reduce((x, y) => x + y);
        return e.map((x) => x / s);
      };
      const pa = soft(a);
      const pb = soft(b);
      const geo = [0, 1, 2].map((c) => Math.sqrt(pa[c] * pb[c]));
      const z = geo.reduce((x, y) => x + y);
      // the rows are log-probabilities up to a constant: softmax(out) is the normalised geometric mean
      const q = soft(out);
      q.forEach((v, c) => expect(v).toBeCloseTo(geo[c] / z, 6));
      // and the constant is what the geometric mean leaves unnormalised: sum exp(out) = z
      expect([0, 1, 2].reduce((s, c) => s + Math.exp(out[r * 3 + c]), 0)).toBeCloseTo(z, 6);
    }
  });
});

describe('a classify teacher with an n-gram member (teacher.ngrams)', () => {
  const file = new URL('../pipelines/tiny-sections.yaml', import.meta.url).pathname;
  const raw = readPipelineFile(file).raw as Record<string, any>;
  const ngrams = { model: { buckets: 1024, dModel: 8 }, train: { steps: 6, batchSize: 16, evalEvery: 6, warmup: 2 } };

  it('labels with the ensemble, and reports it as the teacher beside each member alone', async () => {
    const config = loadClassifyPipeline(file, {
      ...raw,
      teacher: { ...raw.teacher, ngrams, pretrain: { steps: 0 } },
      students: ['kd'],
      kd: { temperatures: [2] },
      eval: { int8: false },
    });
    const work = mkdtempSync(join(tmpdir(), 'kd-cls-ens-'));
    const r = await runPipeline(
      { task: 'classify', config },
      { workDir: work, reportDir: join(work, 'report'), log: () => {} },
    );
    const dirOf = (stage: string) => stageDir(work, stage);
    expect(r.rows.map((row) => row.label)).toEqual([
      'Teacher (ensemble)',
      'Teacher: Transformer alone',
      'Teacher: n-grams alone',
      'Student KD, T = 2',
    ]);
    const [ensemble, transformer, grams] = r.rows;
    expect(ensemble.params).toBe(transformer.params! + grams.params!);
    expect(ensemble.sizeBytes).toBe(transformer.sizeBytes! + grams.sizeBytes!);
    expect(r.markdown).toContain('their ensemble');

    // the label stage's logits are the members' mean log-probabilities, text by text
    const prep = dirOf('prepare');
    const labels = readLabels(prep);
    const texts = readFileSync(join(dirOf('label'), 'train.txt'), 'utf8')
      .split('\n')
      .slice(0, -1);
    const members = [];
    for (const d of [dirOf('teacher'), dirOf('teacher-ngrams')]) {
      const m = await loadClassifier(d, labels);
      members.push(await m.logitsFor(texts, 16));
      m.dispose();
    }
    const want = meanLogProbs(members, labels.length);
    const rows = readFileSync(join(dirOf('label'), 'train.jsonl'), 'utf8')
      .split('\n')
      .slice(0, -1)
      .map((l) => JSON.parse(l).logits as number[]);
    expect(rows).toHaveLength(texts.length);
    rows.forEach((row, i) =>
      row.forEach((v, c) => expect(Math.abs(v - want[i * labels.length + c]), `text ${i}`).toBeLessThan(1e-4)),
    );
  });

  it('rejects a member of another kind, naming the key', () => {
    expect(() =>
      loadClassifyPipeline('p.yaml', { ...raw, teacher: { ngrams: { model: { kind: 'transformer' } } } }),
    ).toThrow(ConfigError);
    expect(() =>
      loadClassifyPipeline('p.yaml', { ...raw, teacher: { ngrams: { model: { kind: 'transformer' } } } }),
    ).toThrow(/teacher\.ngrams\.model\.kind/);
    expect(() => loadClassifyPipeline('p.yaml', { ...raw, teacher: { ngrams: { train: { steps: -1 } } } })).toThrow(
      /teacher\.ngrams\.train\.steps/,
    );
  });
});
