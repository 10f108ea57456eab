// One interface over the two kinds of translation model the pipeline decodes and distils from: a
// model it trained (a train stage folder: tfjs, decoded through an ONNX export of its weights) and a
// pretrained ONNX export (a Marian/OPUS-MT folder; ids renumbered by src/tokenize/teacherVocabulary.ts).
// The generate and eval stages use only this, so neither asks which kind it holds.
import type { SentenceSoftTargets } from '../data/softTargets.js';
import type { BeamOptions } from '../decode/beamSearch.js';
import type { StepModel } from '../decode/stepModel.js';
import { translateAll } from '../decode/translate.js';
import { softTargetsForBatch } from '../distill/softTargetsFromModel.js';
import { softTargetsFromTopK } from '../distill/softTargetsFromTopK.js';
import { asTfjs, loadTrained } from '../models/load.js';
import type { Transformer } from '../models/transformer.js';
import { parameterCount } from '../models/transformerConfig.js';
import type { TranslationWeights } from '../models/weights.js';
import { hasOnnxModel } from '../onnx/onnxFiles.js';
import type { OnnxSeq2Seq } from '../onnx/seq2seq.js';
import { EOS, PAD } from '../tokenize/tokenizer.js';
import { type Decoder, decoderFor } from './decoder.js';

export interface TranslationModel {
  params: number | null; // null: an ONNX export does not say
  /** made on first use (a fully resumed generate stage needs none) */
  decoder(): Promise<Decoder>;
  /** generation_config's forced eos and bad words, where the model has them */
  beamExtras: Pick<BeamOptions, 'forcedEosId' | 'badWordsIds'>;
  /** teacher-forced top-k soft targets of pairs in pipeline ids (targets without EOS) */
  softTargets(
    pairs: Array<{ src: number[]; tgt: number[] }>,
    topK: number,
    temperature: number,
  ): Promise<SentenceSoftTargets[]>;
  dispose(): void;
}

/** an ONNX export (onnx/ or top-level layout, any precision) rather than a train stage's folder */
export const isOnnxTranslationDir = (dir: string) => hasOnnxModel(dir, 'seq2seq');

export async function loadTranslationModel(
  dir: string,
  engine: string,
  log: (m: string) => void,
): Promise<TranslationModel> {
  if (isOnnxTranslationDir(dir)) return loadOnnxTeacher(dir, log);
  const weights = loadTrained(dir);
  // the tfjs reference engine decodes and forces its own model; onnxruntime runs an export of the weights
  const model = engine === 'tfjs' ? await asTfjs(weights) : weights;
  const trained = trainedTranslationModel(model, engine, log);
  return {
    ...trained,
    dispose: () => {
      trained.dispose();
      if ('dispose' in model) model.dispose();
    },
  };
}

/**
 * A model kd trained, held in memory (its weights, or the tfjs model itself for the tfjs engine):
 * what a train stage's folder loads as, and what training scores dev with. dispose closes its
 * decoder; the model stays the caller's.
 */
export function trainedTranslationModel(
  model: Transformer | TranslationWeights,
  engine: string,
  log: (m: string) => void,
): TranslationModel {
  let decoder: Decoder | undefined;
  return {
    params: parameterCount(model.config),
    decoder: async () => (decoder ??= await decoderFor(model, engine, log)),
    // as the export's generation_config says: pad is never generated (and the native search runs only with the ban)
    beamExtras: { badWordsIds: [[PAD]] },
    // on the onnx engine, one forced run of the export (native kernels; measured on the demo's
    // teacher: 120 sentences/s, against 29 through tfjs-wasm)
    softTargets: async (pairs, k, T) => {
      decoder ??= await decoderFor(model, engine, log);
      return decoder.onnx
        ? exportSoftTargets(decoder.onnx, pairs, k, T)
        : softTargetsForBatch(model as Transformer, pairs, k, T);
    },
    dispose: () => decoder?.close(),
  };
}

/** How pipeline ids meet an ONNX model's: a source as it reads one, a target token in its ids, an output id back. */
interface IdMap {
  source(ids: number[]): number[];
  target(id: number): number;
  out(id: number): number;
}

/** kd's own export: sources close with EOS, ids are the pipeline's. */
const KD_IDS: IdMap = { source: (ids) => [...ids, EOS], target: (id) => id, out: (id) => id };

/** Teacher-forced soft targets from one decoder run of an ONNX model: each target token, then the closing eos. */
async function forcedSoftTargets(
  onnx: OnnxSeq2Seq,
  ids: IdMap,
  pairs: Array<{ src: number[]; tgt: number[] }>,
  topK: number,
  temperature: number,
): Promise<SentenceSoftTargets[]> {
  const top = await onnx.forcedTopK(
    pairs.map((p) => ids.source(p.src)),
    pairs.map((p) => [onnx.decoderStartId, ...p.tgt.map(ids.target)]),
    topK,
  );
  return softTargetsFromTopK(
    top,
    top.steps,
    pairs.map((p) => p.tgt.length + 1),
    topK,
    temperature,
    ids.out,
  );
}

/** Soft targets of a kd model from its ONNX export. */
export function exportSoftTargets(
  onnx: OnnxSeq2Seq,
  pairs: Array<{ src: number[]; tgt: number[] }>,
  topK: number,
  temperature: number,
): Promise<SentenceSoftTargets[]> {
  return forcedSoftTargets(onnx, KD_IDS, pairs, topK, temperature);
}

async function loadOnnxTeacher(dir: string, log: (m: string) => void): Promise<TranslationModel> {
  const { OnnxSeq2Seq } = await import('../onnx/seq2seq.js');
  const { RemappedStepModel } = await import('./remappedStepModel.js');
  const { TeacherVocabulary } = await import('./teacherVocabulary.js');
  const vocab = await TeacherVocabulary.load(dir);
  const inner = await OnnxSeq2Seq.load(dir);
  const step = new RemappedStepModel(inner, vocab);
  const teacherIds: IdMap = {
    source: (ids) => vocab.teacherSource(ids),
    target: (k) => vocab.toTeacher(k),
    out: (t) => vocab.toKd(t),
  };
  log(
    `pretrained teacher ${dir} on onnxruntime (${inner.hasCache ? 'KV cache' : 'no KV cache'}; vocabulary ${inner.vocabSize})`,
  );
  return {
    params: null,
    decoder: async () => ({ step, close: () => {} }),
    beamExtras: step.beamExtras(),
    softTargets: (pairs, k, T) => forcedSoftTargets(inner, teacherIds, pairs, k, T),
    dispose: () => void inner.close(),
  };
}

/**
 * Each source's top hypothesis as text: the sources decoded in length-sorted batches (translateAll)
 * with the model's own beam extras (pad banned); what the eval and teacher-lp stages score, and
 * training's dev BLEU.
 */
export async function translateTexts(
  model: TranslationModel,
  detokenize: (ids: number[]) => string,
  sources: number[][],
  opts: BeamOptions & { batchSize: number },
  onBatch?: (done: number) => void,
): Promise<string[]> {
  const { step } = await model.decoder();
  const hyps = await translateAll(step as StepModel<unknown>, sources, { ...opts, ...model.beamExtras }, onBatch);
  return hyps.map((h) => detokenize(h[0]?.tokens ?? []));
}
