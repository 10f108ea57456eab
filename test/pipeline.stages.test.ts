// Stage commands and run options through the real command line: --dry-run plans without running
// (cached / resume / run, and why), kd generate stops after generate, --only refuses to run a group
// whose inputs are missing, --force makes a finished group again.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { runKd } from './helpers/runKd.js';
import { tinyPipeline } from './helpers/tinyPipeline.js';

describe('stage commands and run options', () => {
  it('plan, stop after a stage, refuse --only without inputs, force a group', async () => {
    const { dir, file } = tinyPipeline('kd-stages-', (tiny) => {
      tiny.students = ['baseline', 'seqkd'];
    });
    const work = join(dir, 'work');
    const kd = (...args: string[]) => runKd([...args, '--workdir', work, '--report-dir', join(dir, 'report')]);
    const stageDirs = () => (existsSync(work) ? readdirSync(work).filter((d) => /-[0-9a-f]{12}$/.test(d)) : []);
    const planOf = (out: string) =>
      Object.fromEntries(
        out
          .trim()
          .split('\n')
          .map((l) => l.split(/\s{2,}/))
          .map(([s, status, why]) => [s, `${status} ${why}`]),
      );

    const fresh = await kd('run', file, '--dry-run');
    expect(fresh.code, fresh.stderr).toBe(0);
    const p1 = planOf(fresh.stdout);
    expect(Object.keys(p1)).toEqual([
      'prepare',
      'teacher',
      'generate',
      'student-baseline',
      'student-seqkd',
      'eval-teacher',
      'eval-baseline',
      'eval-seqkd',
    ]);
    expect(Object.values(p1).every((v) => v === 'run never run')).toBe(true);
    expect(stageDirs()).toEqual([]);

    const gen = await kd('generate', file);
    expect(gen.code, gen.stderr).toBe(0);
    expect(gen.stderr).toContain('kd generate: done');
    expect(
      stageDirs()
        .map((d) => d.split('-')[0])
        .sort(),
    ).toEqual(['generate', 'prepare', 'teacher']);

    const p2 = planOf((await kd('run', file, '--dry-run')).stdout);
    expect(p2.generate).toMatch(/^cached/);
    expect(p2['student-seqkd']).toMatch(/^run never run/);

    const only = await kd('run', file, '--only', 'eval');
    expect(only.code).toBe(1);
    expect(only.stderr).toContain('student-baseline has not run, and --only eval needs it');

    const all = await kd('run', file);
    expect(all.code, all.stderr).toBe(0);
    const p3 = planOf((await kd('run', file, '--dry-run', '--force', 'teacher')).stdout);
    expect(p3.teacher).toBe('run --force');
    expect(p3['eval-seqkd']).toMatch(/^cached/);
    const forced = await kd('teacher', file, '--force', 'teacher');
    expect(forced.stderr).toMatch(/\[teacher\] forced: .* is made again/);
    expect(forced.stderr).toContain('[teacher] running');
  });
});
