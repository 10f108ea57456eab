// Which engine decodes a trained model: onnxruntime (an export of the same weights, run with the
// KV cache on native multi-threaded kernels; the default, measured faster in eval/bench) or the
// tfjs model itself (no cache). Both give the same n-best (test/export.translation.test.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { StepModel } from '../decode/stepModel.js';
import { exportTranslation } from '../export/exportTranslation.js';
import type { Transformer } from '../models/transformer.js';
import type { TranslationWeights } from '../models/weights.js';
import { OnnxSeq2Seq } from '../onnx/seq2seq.js';
import { EOS } from '../tokenize/tokenizer.js';

export const ENGINES = ['onnx', 'tfjs'] as const;
export type Engine = (typeof ENGINES)[number];

export interface Decoder {
  step: StepModel<any>;
  /** the onnxruntime model behind step, when the engine is onnx (teacher-forced runs use it too) */
  onnx?: OnnxSeq2Seq;
  close: () => void;
}

export async function decoderFor(
  model: Transformer | TranslationWeights,
  engine: string,
  log: (m: string) => void,
): Promise<Decoder> {
  if (engine === 'tfjs') {
    if ('tensors' in model) throw new Error('the tfjs decoding engine needs a tfjs model');
    const { TfStepModel } = await import('../models/tfStepModel.js'); // tfjs loads only for its engine
    return { step: new TfStepModel(model), close: () => {} };
  }
  if (engine !== 'onnx') throw new Error(`unknown decoding engine '${engine}' (known: ${ENGINES.join(', ')})`);
  const dir = mkdtempSync(join(tmpdir(), 'kd-decode-'));
  exportTranslation(model, null, join(dir, 'model'), KD_DECODING_EXPORT);
  const decoder = await decoderFromExport(join(dir, 'model'));
  log(`decoding on onnxruntime (beam search as one onnxruntime graph, KV cache)`);
  return {
    ...decoder,
    close: () => {
      decoder.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The export options of the onnx engine: separate decoders (no merged one), and the beam search as one graph. */
export const KD_DECODING_EXPORT = { merged: false, beamSearch: true } as const;

/**
 * A kd export (KD_DECODING_EXPORT's, or kd export's) decoding in the pipeline's ids: the onnx
 * engine's route, also taken by generate workers (src/fleet/) and the int8 evaluation, so that
 * all of them give the same n-best.
 */
export async function decoderFromExport(dir: string): Promise<Decoder> {
  const onnx = await OnnxSeq2Seq.load(dir);
  return { step: appendingEos(onnx), onnx, close: () => void onnx.close() };
}

/** The tfjs model appends eos to each source itself; the export (like Marian's) takes it in the ids. */
function appendingEos<S>(inner: StepModel<S>): StepModel<S> {
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
