// A trained model's folder, one layout for every task (translation and classifier train stages):
//   config.json   { task: 'translate' | 'classify', ...the model's config }
//   tokenizer.json  its vocabulary (a student of a pretrained teacher: teacher.json, naming the teacher)
//   labels.json   a classifier's label names, in class order
//   best/, last/  checkpoints (src/util/checkpoint.ts); result.json: the training run
// Loaders, export and the stages that read a model all go through here.
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { writeJsonAtomic } from '../util/atomicWrite.js';
import { InputError } from '../util/errors.js';

export type ModelTask = 'translate' | 'classify';

export const MODEL_CONFIG_FILE = 'config.json';

export async function writeModelConfig(dir: string, task: ModelTask, config: object): Promise<void> {
  await writeJsonAtomic(join(dir, MODEL_CONFIG_FILE), { task, ...config });
}

/** The task a model folder holds, or null where it is no trained kd model (no config.json with a task). */
export function modelTaskOf(dir: string): ModelTask | null {
  const file = join(dir, MODEL_CONFIG_FILE);
  if (!existsSync(file)) return null;
  const task = (JSON.parse(readFileSync(file, 'utf8')) as { task?: unknown }).task;
  return task === 'translate' || task === 'classify' ? task : null;
}

/** The model's config (without its task), checked to be of the task asked for. */
export function readModelConfig<C>(dir: string, task: ModelTask): C {
  const file = join(dir, MODEL_CONFIG_FILE);
  if (!existsSync(file)) throw new InputError(file, null, 'missing: not a trained model folder');
  const { task: found, ...config } = JSON.parse(readFileSync(file, 'utf8')) as { task?: unknown };
  if (found !== task)
    throw new InputError(
      file,
      null,
      `holds a ${String(found ?? 'model of no task')}, not a ${task === 'translate' ? 'translation model' : 'classifier'}`,
    );
  return config as C;
}

/** Copies the named files of `from` that exist (the prepare stage's vocabulary, labels) into the model's folder. */
export function copyBeside(from: string, to: string, files: string[]): void {
  for (const f of files) if (existsSync(join(from, f))) copyFileSync(join(from, f), join(to, f));
}
