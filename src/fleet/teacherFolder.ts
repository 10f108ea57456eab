// The teacher as workers get it: an ONNX folder in kd export's layout. A pretrained teacher
// (teacher.onnx) is its own folder; a trained one is exported once by the coordinator into the
// generate stage's folder (teacher-onnx/: encoder, decoder, decoder-with-past and beam-search
// graphs as kd's own decoding exports them, configs, tokenizer.json, plus kd-tokenizer.json, the pipeline's own tokenizer, so that a worker encodes
// and decodes text exactly as the stage does). Jobs carry the folder's path and content hash.
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { exportTranslation } from '../export/exportTranslation.js';
import { loadTrained } from '../models/load.js';
import { openModelDir } from '../onnx/modelDir.js';
import { isKdExport, KD_DECODING_EXPORT, loadKdExport } from '../runtime/kdExportModel.js';
import { TeacherVocabulary } from '../runtime/teacherVocabulary.js';
import { isOnnxTranslationDir, loadTranslationModel, type TranslationModel } from '../runtime/translationModel.js';
import type { GenerateInputs } from '../stages/generate.js';
import type { SubwordCodec } from '../tokenize/subwordCodec.js';
import { Tokenizer } from '../tokenize/tokenizer.js';
import { dirContentHash } from '../util/fileHash.js';
import type { TeacherRef } from './jobs.js';

const KD_TOKENIZER = 'kd-tokenizer.json';

/** The coordinator's side: the teacher's ONNX folder (exported into outDir once, if trained) and its hash. */
export function teacherForWorkers(inputs: GenerateInputs, outDir: string, log: (m: string) => void): TeacherRef {
  if (isOnnxTranslationDir(inputs.teacherDir))
    return { dir: resolve(inputs.teacherDir), hash: dirContentHash(inputs.teacherDir) };
  const dir = join(outDir, 'teacher-onnx');
  if (!existsSync(dir)) {
    // a temporary sibling renamed into place, so a folder there is always whole (the pipeline lock clears leftovers)
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    const tokenizer = join(inputs.prepareDir, 'tokenizer.json');
    exportTranslation(loadTrained(inputs.teacherDir), Tokenizer.load(tokenizer), tmp, KD_DECODING_EXPORT);
    copyFileSync(tokenizer, join(tmp, KD_TOKENIZER));
    renameSync(tmp, dir);
    log(`[generate] the teacher exported for workers: ${dir}`);
  }
  return { dir: resolve(dir), hash: dirContentHash(dir) };
}

/** The worker's side: the model and the pipeline tokenizer from a teacher folder (kd's export, or a pretrained one). */
export async function loadTeacherFolder(
  dir: string,
  log: (m: string) => void,
): Promise<{ model: TranslationModel; tok: SubwordCodec }> {
  if (isKdExport(openModelDir(dir).config)) {
    const tokenizer = join(dir, KD_TOKENIZER);
    if (!existsSync(tokenizer))
      throw new Error(`${tokenizer}: missing (a generate stage's teacher-onnx/ has it; a plain kd export does not)`);
    return { model: await loadKdExport(dir), tok: Tokenizer.load(tokenizer) };
  }
  // a pretrained teacher: its ids renumbered onto kd's, as the pipeline reads it (src/runtime/teacherVocabulary.ts)
  return { model: await loadTranslationModel(dir, 'onnx', log), tok: await TeacherVocabulary.load(dir) };
}
