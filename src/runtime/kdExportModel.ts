// A trained kd model read back from its ONNX export (kd export's layout), in the pipeline's ids:
// what a generate worker (src/fleet/) runs instead of the train stage's checkpoint. It takes the
// same onnxruntime route as decoderFor's engine 'onnx' (./decoder.ts), which exports the weights
// (KD_DECODING_EXPORT) to a temporary folder and loads that: the same graphs, so the same n-best
// and soft targets (test/generate.queue.test.ts compares a fleet's outputs with one process's,
// byte for byte). withEos mirrors decoder.ts's appendingEos; keep the two in step.
// A pretrained (Marian) export is not this: its ids are renumbered (./translationModel.ts).
import type { StepModel } from '../decode/stepModel.js';
import { OnnxSeq2Seq } from '../onnx/seq2seq.js';
import { EOS } from '../tokenize/tokenizer.js';
import { exportSoftTargets, type TranslationModel } from './translationModel.js';

/** The export options decoderFor uses: separate decoders, and the beam search as one graph. */
export const KD_DECODING_EXPORT = { merged: false, beamSearch: true } as const;

/** Whether an export folder is kd's own (its config.json keeps the kd model config). */
export function isKdExport(config: Record<string, unknown>): boolean {
  return typeof config.kd_config === 'object' && config.kd_config !== null;
}

export async function loadKdExport(dir: string): Promise<TranslationModel> {
  const onnx = await OnnxSeq2Seq.load(dir);
  if (!isKdExport(onnx.modelDir.config))
    throw new Error(
      `${dir}/config.json: no kd_config (not a kd export; a pretrained teacher is loaded by loadTranslationModel)`,
    );
  const step = withEos(onnx);
  // what the export's generation_config says (kd's: pad is never generated), as loadTranslationModel gives a trained model
  const { badWordsIds, forcedEosId } = onnx.generation;
  return {
    params: null,
    decoder: async () => ({ step, onnx, close: () => {} }),
    beamExtras: { ...(badWordsIds && { badWordsIds }), ...(forcedEosId !== undefined && { forcedEosId }) },
    softTargets: (pairs, k, T) => exportSoftTargets(onnx, pairs, k, T),
    dispose: () => {},
  };
}

/** kd's export takes each source with its closing EOS in the ids, as decoderFor's onnx engine gives it. */
function withEos<S>(inner: StepModel<S>): StepModel<S> {
  return {
    vocabSize: inner.vocabSize,
    decoderStartId: inner.decoderStartId,
    eosId: inner.eosId,
    padId: inner.padId,
    start: (sources) => inner.start(sources.map((s) => [...s, EOS])),
    logProbs: (state, sourceIndex, prefixes) => inner.logProbs(state, sourceIndex, prefixes),
    nativeSearch:
      inner.nativeSearch &&
      ((sources, opts) =>
        inner.nativeSearch!(
          sources.map((s) => [...s, EOS]),
          opts,
        )),
    finish: (state) => inner.finish?.(state),
  };
}
