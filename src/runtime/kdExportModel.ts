// A trained kd model read back from its ONNX export (kd export's layout), in the pipeline's ids:
// what a generate worker (src/fleet/) runs instead of the train stage's checkpoint, and what the
// int8 evaluation runs. It decodes through ./decoder.ts's decoderFromExport, the onnx engine's own
// route, so its n-best and soft targets are the train stage's (test/generate.queue.test.ts compares
// a fleet's outputs with one process's, byte for byte).
// A pretrained (Marian) export is not this: its ids are renumbered (./translationModel.ts).
import { decoderFromExport } from './decoder.js';
import { exportSoftTargets, type TranslationModel } from './translationModel.js';

export { KD_DECODING_EXPORT } from './decoder.js';

/** Whether an export folder is kd's own (its config.json keeps the kd model config). */
export function isKdExport(config: Record<string, unknown>): boolean {
  return typeof config.kd_config === 'object' && config.kd_config !== null;
}

export async function loadKdExport(dir: string): Promise<TranslationModel> {
  const decoder = await decoderFromExport(dir);
  const onnx = decoder.onnx!;
  if (!isKdExport(onnx.modelDir.config))
    throw new Error(
      `${dir}/config.json: no kd_config (not a kd export; a pretrained teacher is loaded by loadTranslationModel)`,
    );
  // what the export's generation_config says (kd's: pad is never generated), as loadTranslationModel gives a trained model
  const { badWordsIds, forcedEosId } = onnx.generation;
  return {
    params: null,
    decoder: async () => decoder,
    beamExtras: { ...(badWordsIds && { badWordsIds }), ...(forcedEosId !== undefined && { forcedEosId }) },
    softTargets: (pairs, k, T) => exportSoftTargets(onnx, pairs, k, T),
    dispose: () => decoder.close(),
  };
}
