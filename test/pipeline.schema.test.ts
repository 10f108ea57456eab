// kd schema: the JSON Schema a YAML editor would check pipeline files with accepts every bundled
// pipeline and rejects what the loader rejects (checked with Ajv, a standard validator).
import { readdirSync, readFileSync } from 'node:fs';

import Ajv2020Module from 'ajv/dist/2020.js';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';

import { pipelineSchema } from '../src/pipeline/pipelineFile.js';
import { runKd } from './helpers/runKd.js';

// the CommonJS module's default export, as Node's ESM loader hands it over
const Ajv2020 = (Ajv2020Module as unknown as { default: typeof Ajv2020Module }).default ?? Ajv2020Module;
const ajv = new (
  Ajv2020 as unknown as new (o: object) => { compile: (s: object) => ((d: unknown) => boolean) & { errors?: unknown } }
)({ strict: false });
const validate = {
  translate: ajv.compile(pipelineSchema('translate')),
  classify: ajv.compile(pipelineSchema('classify')),
  whole: ajv.compile(pipelineSchema()),
};

describe('kd schema', () => {
  it('accepts every bundled pipeline', () => {
    for (const name of readdirSync('pipelines').filter((f) => f.endsWith('.yaml'))) {
      const raw = yaml.load(readFileSync(`pipelines/${name}`, 'utf8')) as { task?: string };
      const check = validate[raw.task === 'classify' ? 'classify' : 'translate'];
      expect(check(raw), `${name}: ${JSON.stringify(check.errors)}`).toBe(true);
      // the one schema: the file's task picks its half
      expect(validate.whole(raw), `${name}: ${JSON.stringify(validate.whole.errors)}`).toBe(true);
    }
  });

  it('rejects an unknown key, a value out of range, an unknown engine and student', () => {
    for (const bad of [
      { vocabsize: 10 },
      { kd: { alpha: 7 } },
      { student: { train: { engine: 'torch' } } },
      { students: ['distil'] },
      { name: '../x' },
    ]) {
      expect(validate.translate({ corpus: { train: 'a', dev: 'a', test: 'a' }, ...bad }), JSON.stringify(bad)).toBe(
        false,
      );
      expect(validate.whole({ corpus: { train: 'a', dev: 'a', test: 'a' }, ...bad }), JSON.stringify(bad)).toBe(false);
    }
  });

  it("keeps a key of one task out of the other task's files", () => {
    expect(validate.whole({ task: 'classify', data: { dir: 'd' }, corpus: { train: 'a' } })).toBe(false);
    expect(validate.whole({ corpus: { train: 'a', dev: 'a', test: 'a' }, data: { dir: 'd' } })).toBe(false);
    expect(validate.whole({ task: 'classify', data: { dir: 'd' } })).toBe(true);
  });

  it('is what kd schema prints', async () => {
    const r = await runKd(['schema', '--task', 'classify']);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(pipelineSchema('classify'))));
    const whole = await runKd(['schema']);
    expect(JSON.parse(whole.stdout)).toEqual(JSON.parse(JSON.stringify(pipelineSchema())));
  });
});
