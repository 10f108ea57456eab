// generate.lengthPenaltyChoices: a teacher-lp stage decodes the dev set at each candidate and the
// generate stage decodes the pseudo-targets at the one with the best dev BLEU, exactly as if that
// value had been configured (same n-best, byte for byte); a changed choice reruns generate.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';

import { bestTrial } from '../src/stages/tuneLengthPenalty.js';
import { runKd } from './helpers/runKd.js';
import { tinyPipeline } from './helpers/tinyPipeline.js';

describe('the pseudo-targets length penalty, tuned on dev', () => {
  it('bestTrial takes the highest BLEU, the first listed among equals', () => {
    const t = (lengthPenalty: number, bleu: number) => ({ lengthPenalty, bleu, lengthRatio: 1 });
    expect(bestTrial([t(1, 10), t(1.5, 12), t(2, 11)]).lengthPenalty).toBe(1.5);
    expect(bestTrial([t(1, 12), t(1.5, 12)]).lengthPenalty).toBe(1);
    expect(() => bestTrial([])).toThrow('no length penalty');
  });

  it('tunes on dev, generates at the choice, and equals the configured value', async () => {
    const { dir, file } = tinyPipeline('kd-lp-', (tiny) => {
      tiny.students = ['seqkd'];
      tiny.generate.lengthPenaltyChoices = [0.5, 3];
    });
    const work = join(dir, 'work');
    const kd = (...args: string[]) => runKd([...args, '--workdir', work, '--report-dir', join(dir, 'report')]);
    const stageDir = (stage: string, except: string[] = []) => {
      const found = readdirSync(work).filter(
        (d) => d.startsWith(`${stage}-`) && /-[0-9a-f]{12}$/.test(d) && !except.includes(d),
      );
      expect(found, stage).toHaveLength(1);
      return found[0];
    };

    const plan = await kd('run', file, '--dry-run');
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout.split('\n').map((l) => l.split(/\s+/)[0])).toEqual(
      expect.arrayContaining(['teacher', 'teacher-lp', 'generate']),
    );

    // kd teacher makes the tuned value (shards of generate need it finished, as the teacher)
    const teacher = await kd('teacher', file);
    expect(teacher.code, teacher.stderr).toBe(0);
    expect(existsSync(join(work, stageDir('teacher-lp'), 'done.json'))).toBe(true);
    expect(readdirSync(work).some((d) => d.startsWith('generate-'))).toBe(false);

    const tuned = await kd('generate', file);
    expect(tuned.code, tuned.stderr).toBe(0);
    const lp = JSON.parse(readFileSync(join(work, stageDir('teacher-lp'), 'result.json'), 'utf8'));
    expect(lp.trials.map((t: { lengthPenalty: number }) => t.lengthPenalty)).toEqual([0.5, 3]);
    expect(lp.sentences).toBe(8);
    for (const t of lp.trials) {
      expect(t.bleu).toBeGreaterThanOrEqual(0);
      expect(t.lengthRatio).toBeGreaterThan(0);
    }
    expect(lp.lengthPenalty).toBe(bestTrial(lp.trials).lengthPenalty);
    expect(teacher.stderr).toContain(`[teacher-lp] chosen: ${lp.lengthPenalty}`);
    expect(tuned.stderr).toContain('[teacher-lp] cached');
    const firstGen = stageDir('generate');
    const nbest = (d: string) => readFileSync(join(work, d, 'nbest.jsonl'), 'utf8');

    // the same value configured outright: the same teacher (cached), a generate stage of its own, the same bytes
    const configured = (lengthPenalty: number) => {
      const p = yaml.load(readFileSync(file, 'utf8')) as Record<string, any>;
      p.generate.lengthPenaltyChoices = [];
      p.generate.lengthPenalty = lengthPenalty;
      writeFileSync(file, yaml.dump(p));
    };
    configured(lp.lengthPenalty);
    const plain = await kd('generate', file);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).not.toContain('[teacher] running');
    const secondGen = stageDir('generate', [firstGen]);
    expect(nbest(secondGen)).toBe(nbest(firstGen));

    // and the other candidate gives other n-best lists (their scores are normalised by length ** penalty)
    configured(lp.lengthPenalty === 3 ? 0.5 : 3);
    expect((await kd('generate', file)).code).toBe(0);
    expect(nbest(stageDir('generate', [firstGen, secondGen]))).not.toBe(nbest(firstGen));
  });
});
