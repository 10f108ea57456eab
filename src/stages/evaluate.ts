// Stage eval: a trained model on the test set. Promise: result.json with BLEU greedy, BLEU beam,
// chrF (beam), BLEU of the beam output against the teacher's beam output (fidelity), parameter
// count and decoding speed (sentences/s at beam 1 and beam N); hyp.greedy.txt and hyp.beam.txt.
import { join } from 'node:path';
import { readAllLines } from '../data/textLines.js';
import { translateAll } from '../decode/translate.js';
import { initBackend } from '../engine/tf.js';
import { Progress } from '../util/progress.js';
import { Bleu, Chrf } from '../metrics/index.js';
import { loadTranslationModel } from '../runtime/translationModel.js';
import { loadPipelineTokenizer } from '../runtime/pipelineTokenizer.js';
import { writeJsonAtomic, writeTextAtomicSync } from '../util/atomicWrite.js';

export interface EvalConfig { beam: number; lengthPenalty: number; batchSize: number; maxLength: number; engine: string; backend?: string }

export async function run(config: EvalConfig, inputs: { prepareDir: string; modelDir: string; teacherHyps?: string }, outDir: string, log: (m: string) => void) {
  if (config.engine === 'tfjs') await initBackend(config.backend, log);
  const tok = await loadPipelineTokenizer(inputs.prepareDir);
  // a train stage folder, or a pretrained ONNX teacher's
  const model = await loadTranslationModel(inputs.modelDir, config.engine, log);
  const decoder = await model.decoder();
  const src = (await readAllLines(join(inputs.prepareDir, 'data', 'test.src'))).map((s) => tok.encode(s));
  const refs = await readAllLines(join(inputs.prepareDir, 'data', 'test.tgt'));
  const decode = async (numBeams: number) => {
    const progress = new Progress(numBeams === 1 ? 'eval greedy' : `eval beam ${numBeams}`, src.length, 'sent');
    const t0 = performance.now();
    const hyps = await translateAll(decoder.step, src, { numBeams, lengthPenalty: config.lengthPenalty, maxLength: config.maxLength, batchSize: config.batchSize, ...model.beamExtras },
      (n) => progress.tick(n));
    const seconds = (performance.now() - t0) / 1000;
    progress.finish();
    return { text: hyps.map((h) => tok.decode(h[0]?.tokens ?? [])), sentencesPerSecond: src.length / seconds };
  };
  let greedy, beam;
  try {
    greedy = await decode(1);
    beam = await decode(config.beam);
  } finally {
    model.dispose();
  }
  writeTextAtomicSync(join(outDir, 'hyp.greedy.txt'), greedy.text.join('\n') + '\n');
  writeTextAtomicSync(join(outDir, 'hyp.beam.txt'), beam.text.join('\n') + '\n');
  const bleu = new Bleu();
  const teacher = inputs.teacherHyps ? await readAllLines(inputs.teacherHyps) : null;
  const result = {
    sentences: src.length,
    bleuGreedy: bleu.corpus(greedy.text, [refs]).score,
    bleuBeam: bleu.corpus(beam.text, [refs]).score,
    chrfBeam: new Chrf().corpus(beam.text, [refs]).score,
    bleuVsTeacher: teacher ? bleu.corpus(beam.text, [teacher]).score : null,
    params: model.params,
    sentencesPerSecondGreedy: greedy.sentencesPerSecond,
    sentencesPerSecondBeam: beam.sentencesPerSecond,
    beam: config.beam,
    signature: bleu.signature(1),
  };
  await writeJsonAtomic(join(outDir, 'result.json'), result);
  return result;
}
