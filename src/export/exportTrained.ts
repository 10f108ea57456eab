// Export of a trained model, translation or classifier, from its model folder
// (src/models/modelFolder.ts), which holds what the export needs besides the weights: the
// tokenizer, the label names, or teacher.json naming the pretrained teacher whose vocabulary a
// student learned in. Flags name another.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { loadTrained, loadTrainedClassifier } from '../models/load.js';
import { modelTaskOf } from '../models/modelFolder.js';
import { TEACHER_VOCABULARY_FILE } from '../tokenize/teacherIds.js';
import { Tokenizer } from '../tokenize/tokenizer.js';
import { InputError } from '../util/errors.js';
import { type ExportOptions, exportTranslation } from './exportTranslation.js';

export interface TrainedExportOptions extends ExportOptions {
  tokenizer?: string; // translation: the model's kd tokenizer.json
  teacher?: string; // translation: the pretrained teacher whose vocabulary the student was trained in
  labels?: string; // classifier: a JSON list of label names in class order
}

export async function exportTrained(modelDir: string, outDir: string, opts: TrainedExportOptions) {
  for (const f of ['config.json', 'best'])
    if (!existsSync(join(modelDir, f)))
      throw new InputError(join(modelDir, f), null, "missing: --model names a trained model folder (a train stage's)");
  const task = modelTaskOf(modelDir);
  if (!task) throw new InputError(join(modelDir, 'config.json'), null, 'names no task: not a kd model folder');
  if (task === 'classify') {
    const { exportClassifier } = await import('./exportClassifier.js');
    const labelsFile = opts.labels ?? inFolder(modelDir, 'labels.json', '--labels');
    const labels = JSON.parse(readFileSync(labelsFile, 'utf8')) as unknown;
    if (!Array.isArray(labels) || !labels.every((l) => typeof l === 'string'))
      throw new InputError(labelsFile, null, 'not a JSON list of label names');
    exportClassifier(loadTrainedClassifier(modelDir), labels, outDir, opts);
  } else {
    const vocabulary: { tokenizer: string } | { teacher: string } = opts.teacher
      ? { teacher: opts.teacher }
      : opts.tokenizer
        ? { tokenizer: opts.tokenizer }
        : vocabularyOf(modelDir);
    if ('teacher' in vocabulary) {
      const { exportInTeacherVocabulary } = await import('./exportTeacherVocabulary.js');
      // the one-graph search is written for kd's own ids (pad banned, no forced eos)
      exportInTeacherVocabulary(loadTrained(modelDir), vocabulary.teacher, outDir, { ...opts, beamSearch: false });
    } else {
      exportTranslation(loadTrained(modelDir), Tokenizer.load(vocabulary.tokenizer), outDir, opts);
    }
  }
  const files = readdirSync(outDir)
    .filter((f) => statSync(join(outDir, f)).isFile())
    .concat(readdirSync(join(outDir, 'onnx')).map((f) => `onnx/${f}`));
  return { files, megabytes: files.reduce((s, f) => s + statSync(join(outDir, f)).size, 0) / 2 ** 20 };
}

/**
 * A translation model's vocabulary, in its folder: kd's tokenizer.json, or the pretrained teacher
 * its teacher.json names (the students of such a pipeline learn in the teacher's ids).
 */
function vocabularyOf(modelDir: string): { tokenizer: string } | { teacher: string } {
  const file = join(modelDir, TEACHER_VOCABULARY_FILE);
  if (!existsSync(file)) return { tokenizer: inFolder(modelDir, 'tokenizer.json', '--tokenizer or --teacher') };
  const { onnx } = JSON.parse(readFileSync(file, 'utf8')) as { onnx?: unknown };
  if (typeof onnx !== 'string') throw new InputError(file, null, 'names no teacher folder (onnx)');
  return { teacher: onnx };
}

function inFolder(modelDir: string, file: string, flag: string): string {
  const path = join(modelDir, file);
  if (!existsSync(path)) throw new InputError(path, null, `missing: name it with ${flag}`);
  return path;
}
