// Export of a train stage's model, translation or classifier, finding what it needs (tokenizer,
// label names) in the pipeline's prepare stage beside it unless named.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../util/errors.js';
import { loadTrained, loadTrainedClassifier } from '../models/load.js';
import { Tokenizer } from '../tokenize/tokenizer.js';
import { exportTranslation, type ExportOptions } from './exportTranslation.js';

export interface TrainedExportOptions extends ExportOptions {
  tokenizer?: string; // translation: the model's kd tokenizer.json
  labels?: string;    // classifier: a JSON list of label names in class order
}

/** A classifier train stage keeps its ClassifierConfig (with `kind`) in config.json. */
function isClassifierDir(modelDir: string): boolean {
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
    exportTranslation(loadTrained(modelDir), Tokenizer.load(opts.tokenizer ?? findInPrepare(modelDir, 'tokenizer.json', '--tokenizer')), outDir, opts);
  }
  const files = readdirSync(outDir).filter((f) => f.endsWith('.json')).concat(readdirSync(join(outDir, 'onnx')).map((f) => `onnx/${f}`));
  return { files, megabytes: files.reduce((s, f) => s + statSync(join(outDir, f)).size, 0) / 2 ** 20 };
}

function findInPrepare(modelDir: string, file: string, flag: string): string {
  const work = dirname(modelDir.replace(/\/+$/, ''));
  const found = readdirSync(work).filter((d) => d.startsWith('prepare-') && existsSync(join(work, d, file)));
  if (found.length !== 1) throw new InputError(work, null, `found ${found.length} prepare stages with a ${file}; name one with ${flag}`);
  return join(work, found[0], file);
}
