// Export of a train stage's model, translation or classifier, finding what it needs (tokenizer,
// label names, or the pretrained teacher whose vocabulary a student learned in) in the pipeline's
// prepare stage beside it unless named.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../util/errors.js';
import { loadTrained, loadTrainedClassifier } from '../models/load.js';
import { Tokenizer } from '../tokenize/tokenizer.js';
import { TEACHER_VOCABULARY_FILE } from '../tokenize/teacherIds.js';
import { exportTranslation, type ExportOptions } from './exportTranslation.js';

export interface TrainedExportOptions extends ExportOptions {
  tokenizer?: string; // translation: the model's kd tokenizer.json
  teacher?: string;   // translation: the pretrained teacher whose vocabulary the student was trained in
  labels?: string;    // classifier: a JSON list of label names in class order
}

/** A classifier train stage keeps its ClassifierConfig (with `kind`) in config.json. */
export function isClassifierDir(modelDir: string): boolean {
  const file = join(modelDir, 'config.json');
  return existsSync(file) && typeof (JSON.parse(readFileSync(file, 'utf8')) as { kind?: unknown }).kind === 'string';
}

export async function exportTrained(modelDir: string, outDir: string, opts: TrainedExportOptions) {
  for (const f of ['result.json', 'best']) if (!existsSync(join(modelDir, f))) throw new InputError(join(modelDir, f), null, 'missing: --model names a train stage folder');
  if (isClassifierDir(modelDir)) {
    const { exportClassifier } = await import('./exportClassifier.js');
    const labelsFile = opts.labels ?? findInPrepare(modelDir, 'labels.json', '--labels');
    const labels = JSON.parse(readFileSync(labelsFile, 'utf8')) as unknown;
    if (!Array.isArray(labels) || !labels.every((l) => typeof l === 'string')) throw new InputError(labelsFile, null, 'not a JSON list of label names');
    exportClassifier(loadTrainedClassifier(modelDir), labels, outDir, opts);
  } else {
    const vocabulary: { tokenizer: string } | { teacher: string } = opts.teacher ? { teacher: opts.teacher } : opts.tokenizer ? { tokenizer: opts.tokenizer } : vocabularyInPrepare(modelDir);
    if ('teacher' in vocabulary) {
      const { exportInTeacherVocabulary } = await import('./exportTeacherVocabulary.js');
      exportInTeacherVocabulary(loadTrained(modelDir), vocabulary.teacher, outDir, opts);
    } else {
      exportTranslation(loadTrained(modelDir), Tokenizer.load(vocabulary.tokenizer), outDir, opts);
    }
  }
  const files = readdirSync(outDir).filter((f) => statSync(join(outDir, f)).isFile()).concat(readdirSync(join(outDir, 'onnx')).map((f) => `onnx/${f}`));
  return { files, megabytes: files.reduce((s, f) => s + statSync(join(outDir, f)).size, 0) / 2 ** 20 };
}

/**
 * A translation model's vocabulary from the prepare stage beside it: kd's tokenizer.json, or the
 * pretrained teacher its teacher.json names (the students of such a pipeline learn in its ids).
 */
function vocabularyInPrepare(modelDir: string): { tokenizer: string } | { teacher: string } {
  const work = dirname(modelDir.replace(/\/+$/, ''));
  const found = readdirSync(work).filter((d) => d.startsWith('prepare-') && (existsSync(join(work, d, 'tokenizer.json')) || existsSync(join(work, d, TEACHER_VOCABULARY_FILE))));
  if (found.length !== 1) throw new InputError(work, null, `found ${found.length} prepare stages with a tokenizer.json or a ${TEACHER_VOCABULARY_FILE}; name the vocabulary with --tokenizer or --teacher`);
  const file = join(work, found[0], TEACHER_VOCABULARY_FILE);
  if (!existsSync(file)) return { tokenizer: join(work, found[0], 'tokenizer.json') };
  const { onnx } = JSON.parse(readFileSync(file, 'utf8')) as { onnx?: unknown };
  if (typeof onnx !== 'string') throw new InputError(file, null, 'names no teacher folder (onnx)');
  return { teacher: onnx };
}

function findInPrepare(modelDir: string, file: string, flag: string): string {
  const work = dirname(modelDir.replace(/\/+$/, ''));
  const found = readdirSync(work).filter((d) => d.startsWith('prepare-') && existsSync(join(work, d, file)));
  if (found.length !== 1) throw new InputError(work, null, `found ${found.length} prepare stages with a ${file}; name one with ${flag}`);
  return join(work, found[0], file);
}
