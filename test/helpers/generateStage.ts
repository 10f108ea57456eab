// The tiny pipeline with its teacher trained, copied per test case, and a generate stage's outputs
// as bytes: what a sharded or fleet run must reproduce from a single process's run.
import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import { expect } from 'vitest';

import { runKd } from './runKd.js';
import { tinyPipeline } from './tinyPipeline.js';

/** tiny.yaml with chunks of 8 pairs (8 chunks) and its teacher trained in dir/teacher-only. */
export async function tinyWithTeacher(prefix: string) {
  const { dir, file } = tinyPipeline(prefix, (tiny) => {
    tiny.generate.chunk = 8;
    tiny.students = [];
  });
  const base = join(dir, 'teacher-only');
  const teacher = await runKd(['teacher', file, '--workdir', base]);
  expect(teacher.code, teacher.stderr).toBe(0);
  /** a pipeline folder with prepare and teacher finished, generate not run */
  const workDir = (name: string) => {
    cpSync(base, join(dir, name), { recursive: true });
    return join(dir, name);
  };
  return { dir, file, workDir };
}

export function generateDir(workDir: string): string {
  const found = readdirSync(workDir).filter((d) => d.startsWith('generate-'));
  expect(found).toHaveLength(1);
  return join(workDir, found[0]);
}

/** Every output file of the stage by path, as size and SHA-256 (parts/ and the fleet's teacher export aside); result.json without its timings. */
export function generateOutputs(workDir: string): Record<string, string> {
  const root = generateDir(workDir);
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const rel = relative(root, p);
      if (['parts', 'teacher-onnx', 'done.json'].includes(rel)) continue;
      if (statSync(p).isDirectory()) walk(p);
      else out[rel] = `${statSync(p).size} bytes, sha256 ${createHash('sha256').update(readFileSync(p)).digest('hex')}`;
    }
  };
  walk(root);
  const { seconds, peakRssMb, ...result } = JSON.parse(readFileSync(join(root, 'result.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  expect(typeof seconds).toBe('number');
  expect(typeof peakRssMb).toBe('number');
  out['result.json'] = JSON.stringify(result);
  return out;
}
