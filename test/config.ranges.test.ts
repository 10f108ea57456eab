// Bad values in a pipeline file are errors naming the file and the key's path, before any stage
// runs (table-driven: each case is a YAML fragment over a valid pipeline and the message expected).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';

import { loadClassifyPipeline } from '../src/pipeline/classifyConfig.js';
import { loadPipeline } from '../src/pipeline/config.js';
import { excerpt } from '../src/util/errors.js';
import { runKd, tempFiles } from './helpers/runKd.js';

const BASE = 'corpus: { train: a, dev: a, test: a }\n';
const TRANSLATION: Array<[string, string]> = [
  ['kd: { temperature: -2 }', "'kd.temperature' must be a number in (0, 100], got -2"],
  ['kd: { alpha: 7 }', "'kd.alpha' must be a number in [0, 1], got 7"],
  ['kd: { topK: 0 }', "'kd.topK' must be an integer >= 1, got 0"],
  ['generate: { beam: 0 }', "'generate.beam' must be an integer >= 1, got 0"],
  ['generate: { beam: 2, nbest: 3 }', "'generate.nbest' (3) must not exceed 'generate.beam' (2)"],
  ['eval: { beam: 0 }', "'eval.beam' must be an integer >= 1, got 0"],
  [
    'generate: { lengthPenaltyChoices: [1, 11] }',
    "'generate.lengthPenaltyChoices.1' must be a number in [-10, 10], got 11",
  ],
  ['generate: { lengthPenaltyChoices: 1.5 }', "'generate.lengthPenaltyChoices' should be a list, got number"],
  [
    'generate: { lengthPenaltyChoices: [1, 1.2, 1.4, 1.6, 1.8, 2, 2.2, 2.4, 2.6] }',
    "'generate.lengthPenaltyChoices' lists 9 values: at most 8 (each is a beam search over the dev set)",
  ],
  ['generate: { batchSize: 0 }', "'generate.batchSize' must be an integer >= 1, got 0"],
  ['generate: { engine: gpu }', '\'generate.engine\' must be one of onnx, tfjs, got "gpu"'],
  [
    'teacher: { model: { dModel: 64, heads: 3 } }',
    "'teacher.model.heads' must be an integer >= 1 that divides dModel, got 3",
  ],
  ['student: { train: { engine: torch } }', '\'student.train.engine\' must be one of onnx, tfjs, got "torch"'],
  ['student: { train: { batchTokens: 0 } }', "'student.train.batchTokens' must be an integer >= 1, got 0"],
  ['teacher: { train: { lr: 0 } }', "'teacher.train.lr' must be a number in (0, 10], got 0"],
  ['teacher: { model: { dropout: 1 } }', "'teacher.model.dropout' must be a number in [0, 1), got 1"],
  ['student: { train: { ema: 1 } }', "'student.train.ema' must be a number in [0, 1), got 1"],
  ['teacher: { train: { decay: cosine } }', '\'teacher.train.decay\' must be one of rsqrt, linear, got "cosine"'],
  ['name: ../../x', '\'name\' must be a plain name (letters, digits, . _ -; no path), got "../../x"'],
  ['corpus: { train: a, dev: a, test: a, maxTrain: 2.5 }', "'corpus.maxTrain' must be an integer >= 0, got 2.5"],
  [
    'eval: { engine: tfjs }',
    "'eval.int8' needs 'eval.engine' onnx (int8 models run on onnxruntime), got tfjs; set eval.int8: false",
  ],
  ['eval: { int8: yes }', "'eval.int8' should be a boolean, got string"],
];
const CLASSIFY: Array<[string, string]> = [
  ['kd: { temperatures: [1, -1] }', "'kd.temperatures.1' must be a number in (0, 100], got -1"],
  ['student: { train: { batchSize: 0 } }', "'student.train.batchSize' must be an integer >= 1, got 0"],
  [
    'teacher: { model: { dModel: 10, heads: 4 } }',
    "'teacher.model.heads' must be an integer >= 1 that divides dModel, got 4",
  ],
  ['name: a/b', "'name' must be a plain name"],
  ['eval: { int8: 1 }', "'eval.int8' should be a boolean, got number"],
  ['teacher: { pretrain: { ema: -0.5 } }', "'teacher.pretrain.ema' must be a number in [0, 1), got -0.5"],
];

describe('pipeline values are checked at load', () => {
  const dir = tempFiles({});
  TRANSLATION.forEach(([fragment, message], i) => {
    it(`translation: ${fragment}`, () => {
      const file = join(dir, `t${i}.yaml`);
      const raw = { ...(yaml.load(BASE) as object), ...(yaml.load(fragment) as object) };
      expect(() => loadPipeline(file, raw)).toThrow(`${file}: ${message}`);
    });
  });
  CLASSIFY.forEach(([fragment, message], i) => {
    it(`classify: ${fragment}`, () => {
      const file = join(dir, `c${i}.yaml`);
      const raw = { data: { dir: 'x' }, ...(yaml.load(fragment) as object) };
      expect(() => loadClassifyPipeline(file, raw)).toThrow(`${file}: ${message}`);
    });
  });

  it('the bundled pipelines pass', () => {
    for (const name of ['demo', 'tiny', 'tiny-onnx-teacher'])
      expect(() => loadPipeline(new URL(`../pipelines/${name}.yaml`, import.meta.url).pathname)).not.toThrow();
  });

  it('a bad value exits 2 with one line, before any stage runs', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, `${BASE}kd: { alpha: 7 }\n`);
    const r = await runKd(['run', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'kd.alpha' must be a number in [0, 1], got 7");
    expect(r.stderr).not.toContain('[prepare]');
  });

  it('never echoes more than an excerpt of a value (a YAML alias bomb stays small)', () => {
    const a = ['x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x'];
    let v: unknown = a;
    for (let i = 0; i < 12; i++) v = [v, v, v, v, v, v, v, v, v, v]; // 10^13 leaves as a tree of shared references
    expect(excerpt(v).length).toBeLessThan(80);
    const file = join(dir, 'bomb.yaml');
    expect(() => loadPipeline(file, { ...(yaml.load(BASE) as object), vocabSize: v })).toThrow(
      /'vocabSize' should be a number, got list \(.{0,70}\)$/,
    );
  });
});
