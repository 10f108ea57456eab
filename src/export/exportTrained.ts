// Export of a train stage's model, finding its tokenizer in the pipeline folder beside it.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../data/textLines.js';
import { initBackend } from '../engine/tf.js';
import { loadTrained } from '../models/load.js';
import { Tokenizer } from '../tokenize/tokenizer.js';
import { exportTranslation, type ExportOptions } from './exportTranslation.js';

export async function exportTrainedTranslation(modelDir: string, tokenizerFile: string | undefined, outDir: string, opts: ExportOptions) {
  for (const f of ['result.json', 'best']) if (!existsSync(join(modelDir, f))) throw new InputError(join(modelDir, f), null, 'missing: --model names a train stage folder');
  const tokFile = tokenizerFile ?? findPrepareTokenizer(modelDir);
  await initBackend('cpu', () => {});
  const model = loadTrained(modelDir);
  exportTranslation(model, Tokenizer.load(tokFile), outDir, opts);
  model.dispose();
  const files = ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json',
    ...readdirSync(join(outDir, 'onnx')).map((f) => `onnx/${f}`)];
  return { files, megabytes: files.reduce((s, f) => s + statSync(join(outDir, f)).size, 0) / 2 ** 20 };
}

function findPrepareTokenizer(modelDir: string): string {
  const work = dirname(modelDir.replace(/\/+$/, ''));
  const found = readdirSync(work).filter((d) => d.startsWith('prepare-') && existsSync(join(work, d, 'tokenizer.json')));
  if (found.length !== 1) throw new InputError(work, null, `found ${found.length} prepare stages with a tokenizer.json; name one with --tokenizer`);
  return join(work, found[0], 'tokenizer.json');
}
