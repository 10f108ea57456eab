// Stage eval: a trained model on the test set. Promise: result.json with BLEU greedy, BLEU beam,
// chrF (beam), BLEU of the beam output against the teacher's beam output (fidelity), parameter
// count, decoding speed (sentences/s at beam 1 and beam N) and the size on disk of its deployable
// ONNX files; hyp.greedy.txt and hyp.beam.txt. With int8 (a trained model on the onnx engine), the
// same measures of its int8 export (./int8Translation.ts), decoded in the same run right after the
// fp32 model, plus its beam output against the fp32 model's (BLEU, and the share of sentences
// translated the same); hyp.int8.*.txt.
import { join } from 'node:path';

import { readAllLines } from '../data/textLines.js';
import { initBackend } from '../engine/tf.js';
import { Bleu, Chrf } from '../metrics/index.js';
import { loadTrained } from '../models/load.js';
import { loadPipelineTokenizer } from '../runtime/pipelineTokenizer.js';
import {
  isOnnxTranslationDir,
  loadTranslationModel,
  translateTexts,
  type TranslationModel,
} from '../runtime/translationModel.js';
import { writeJsonAtomic, writeTextAtomicSync } from '../util/atomicWrite.js';
import { Progress } from '../util/progress.js';
import { deployedBytes, loadInt8Translation } from './int8Translation.js';

/** int8: also evaluate the model's int8 export (trained models, engine onnx; pipeline config eval.int8) */
export interface EvalConfig {
  beam: number;
  lengthPenalty: number;
  batchSize: number;
  maxLength: number;
  engine: string;
  backend?: string;
  int8?: boolean;
}

export async function run(
  config: EvalConfig,
  inputs: { prepareDir: string; modelDir: string; teacherHyps?: string },
  outDir: string,
  log: (m: string) => void,
) {
  if (config.engine === 'tfjs') await initBackend(config.backend, log);
  const tok = await loadPipelineTokenizer(inputs.prepareDir);
  const src = (await readAllLines(join(inputs.prepareDir, 'data', 'test.src'))).map((s) => tok.encode(s));
  const refs = await readAllLines(join(inputs.prepareDir, 'data', 'test.tgt'));
  const teacher = inputs.teacherHyps ? await readAllLines(inputs.teacherHyps) : null;
  const bleu = new Bleu();

  /** greedy then beam over the test set, scored; the model is disposed after */
  const evaluate = async (model: TranslationModel, tag: string, files: string) => {
    const decode = async (numBeams: number) => {
      const progress = new Progress(`eval ${tag}${numBeams === 1 ? 'greedy' : `beam ${numBeams}`}`, src.length, 'sent');
      const t0 = performance.now();
      const text = await translateTexts(
        model,
        (ids) => tok.decode(ids),
        src,
        { numBeams, lengthPenalty: config.lengthPenalty, maxLength: config.maxLength, batchSize: config.batchSize },
        (n) => progress.tick(n),
      );
      const seconds = (performance.now() - t0) / 1000;
      progress.finish();
      return { text, sentencesPerSecond: src.length / seconds };
    };
    let greedy, beam;
    try {
      greedy = await decode(1);
      beam = await decode(config.beam);
    } finally {
      model.dispose();
    }
    writeTextAtomicSync(join(outDir, `${files}.greedy.txt`), greedy.text.join('\n') + '\n');
    writeTextAtomicSync(join(outDir, `${files}.beam.txt`), beam.text.join('\n') + '\n');
    return {
      beamText: beam.text,
      scores: {
        bleuGreedy: bleu.corpus(greedy.text, [refs]).score,
        bleuBeam: bleu.corpus(beam.text, [refs]).score,
        chrfBeam: new Chrf().corpus(beam.text, [refs]).score,
        bleuVsTeacher: teacher ? bleu.corpus(beam.text, [teacher]).score : null,
        sentencesPerSecondGreedy: greedy.sentencesPerSecond,
        sentencesPerSecondBeam: beam.sentencesPerSecond,
      },
    };
  };

  // a train stage folder, or a pretrained ONNX teacher's
  const model = await loadTranslationModel(inputs.modelDir, config.engine, log);
  const params = model.params;
  const fp32 = await evaluate(model, '', 'hyp');
  const trained = !isOnnxTranslationDir(inputs.modelDir);
  const weights = trained ? loadTrained(inputs.modelDir) : null;
  let int8 = null;
  if (config.int8 && weights) {
    if (config.engine !== 'onnx')
      throw new Error(`eval.int8 needs eval.engine onnx (int8 runs on onnxruntime), got ${config.engine}`);
    const q = await evaluate(await loadInt8Translation(weights), 'int8 ', 'hyp.int8');
    const same = q.beamText.filter((t, i) => t === fp32.beamText[i]).length / src.length;
    int8 = {
      ...q.scores,
      bleuVsFp32: bleu.corpus(q.beamText, [fp32.beamText]).score,
      agreementWithFp32: same,
      sizeBytes: deployedBytes(weights, 'int8'),
    };
  }
  const result = {
    sentences: src.length,
    ...fp32.scores,
    params,
    sizeBytes: weights ? deployedBytes(weights, 'fp32') : null, // null: a pretrained ONNX teacher (its files are its own)
    beam: config.beam,
    signature: bleu.signature(1),
    int8,
  };
  await writeJsonAtomic(join(outDir, 'result.json'), result);
  return result;
}
