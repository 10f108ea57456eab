// Stage outputs are keyed by a hash of the stage's config, its inputs' keys and the code version:
// a finished stage (done.json present) is skipped, an unfinished one resumes in the same folder.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { writeJsonAtomic } from '../util/atomicWrite.js';
import { ConfigError } from '../util/errors.js';
import { dirContentHash as treeHash, fileContentHash } from '../util/fileHash.js';

/**
 * The identity of a pipeline's input files by content (a stage key includes it, so an edited
 * corpus line reruns prepare and everything after it). Files that do not exist count as such:
 * the stage itself reports them.
 */
export function inputsKey(files: string[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(`${f}\0${existsSync(f) ? fileContentHash(f) : 'missing'}\n`);
  return h.digest('hex').slice(0, 16);
}

/** A hash of every source file: any change to the code invalidates cached stage outputs. */
export function codeVersion(srcDir: string): string {
  return treeHash(srcDir, (name) => name.endsWith('.ts'));
}

/** The code version an earlier run of a pipeline recorded in its folder's config.json (kd run --keep-stages). */
export function recordedCodeVersion(workDir: string): string {
  const file = join(workDir, 'config.json');
  const recorded = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { codeVersion?: unknown }).codeVersion
    : undefined;
  if (typeof recorded !== 'string')
    throw new ConfigError(`--keep-stages: ${file} records no code version (no earlier run of this pipeline there)`);
  return recorded;
}

/** A pretrained model folder's identity: every file's content (a changed export reruns what used it). */
export function modelDirHash(dir: string): string {
  return treeHash(dir, () => true);
}

export function stageKey(stage: string, config: unknown, inputs: string[], code: string): string {
  return createHash('sha256').update(JSON.stringify({ stage, config, inputs, code })).digest('hex').slice(0, 12);
}

export interface StageRun<R> {
  dir: string;
  key: string;
  result: R;
  cached: boolean;
  /** the stage's own time when it ran (done.json's stageSeconds; null in a folder written before it was kept) */
  seconds: number | null;
}

export async function runCached<R>(
  workDir: string,
  stage: string,
  key: string,
  log: (m: string) => void,
  body: (dir: string) => Promise<R>,
): Promise<StageRun<R>> {
  const dir = join(workDir, `${stage}-${key}`);
  const done = join(dir, 'done.json');
  if (existsSync(done)) {
    log(`[${stage}] cached: ${dir}`);
    // the time is the cache's, not the stage's result: a cached result equals the one its run returned
    const { stageSeconds, ...result } = JSON.parse(readFileSync(done, 'utf8')) as R & { stageSeconds?: unknown };
    const seconds = typeof stageSeconds === 'number' ? stageSeconds : null;
    return { dir, key, result: result as R, cached: true, seconds };
  }
  log(`[${stage}] ${existsSync(dir) ? 'resuming' : 'running'} in ${dir}`);
  const t0 = performance.now();
  const result = await body(dir);
  const seconds = (performance.now() - t0) / 1000;
  await writeJsonAtomic(done, { ...result, stageSeconds: seconds });
  return { dir, key, result, cached: false, seconds };
}
