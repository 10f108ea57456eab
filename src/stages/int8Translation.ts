// The int8 twin of a trained translation model, for the eval stage's quantized rows: its weights
// exported as kd export --quantize int8 writes them (the same graphs as decoderFor's onnxruntime
// engine, KD_DECODING_EXPORT, each quantized by src/export/quantizeGraph.ts, no fp32 copy), into a
// temporary folder, read back by the same loader as any kd export. Also the size on disk of the
// deployable files in each precision.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { exportTranslation, translationFileBytes } from '../export/exportTranslation.js';
import type { TranslationWeights } from '../models/weights.js';
import { KD_DECODING_EXPORT, loadKdExport } from '../runtime/kdExportModel.js';
import type { TranslationModel } from '../runtime/translationModel.js';

export async function loadInt8Translation(weights: TranslationWeights): Promise<TranslationModel & { dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'kd-int8-'));
  exportTranslation(weights, null, join(dir, 'model'), { ...KD_DECODING_EXPORT, quantize: 'int8', fp32: false });
  const model = await loadKdExport(join(dir, 'model'));
  return {
    ...model,
    dir: join(dir, 'model'),
    dispose: () => {
      model.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Bytes on disk of what transformers.js loads (encoder + merged decoder) in one precision. */
export function deployedBytes(weights: TranslationWeights, dtype: 'fp32' | 'int8'): number {
  return translationFileBytes(weights, dtype === 'fp32' ? 'fp32' : 'q8');
}
