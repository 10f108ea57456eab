// A tiny pipeline with its teacher ready, copied per test case, and a generate stage's outputs
// as bytes: what a sharded or fleet run must reproduce from a single process's run.
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

import yaml from 'js-yaml';
import { expect } from 'vitest';

import { runKd } from './runKd.js';

/**
 * pipelines/NAME (tiny.yaml, or tiny-onnx-teacher.yaml with its pretrained teacher) in a temporary
 * folder, with chunks of 8 pairs and no students, its stages before generate finished once.
 */
export async function tinyWithTeacher(prefix: string, name = 'tiny.yaml') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const root = new URL('../..', import.meta.url).pathname;
  const p = yaml.load(readFileSync(join(root, 'pipelines', name), 'utf8')) as Record<string, any>;
  for (const split of ['train', 'dev', 'test']) p.corpus[split] = join(root, p.corpus[split]);
  if (p.teacher.onnx) p.teacher.onnx = join(root, p.teacher.onnx);
  p.generate.chunk = 8;
  p.students = [];
  const file = join(dir, 'p.yaml');
  writeFileSync(file, yaml.dump(p));
  const base = join(dir, 'before-generate');
  // a pretrained teacher has no teacher stage (kd teacher would run the whole pipeline)
  const before = await runKd([p.teacher.onnx ? 'prepare' : 'teacher', file, '--workdir', base]);
  expect(before.code, before.stderr).toBe(0);
  /** a pipeline folder with the stages before generate finished, generate not run */
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
