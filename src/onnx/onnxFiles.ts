// Where a model folder keeps its ONNX files, and in which precision. Folders come in two layouts:
// onnx/*.onnx (transformers.js, Hugging Face's hub exports, kd export) and *.onnx at the top level
// (optimum-cli export onnx). Each file may exist in several precisions, told apart by a suffix as
// transformers.js names them (its `dtype` option): encoder_model.onnx (fp32),
// encoder_model_quantized.onnx (q8: int8 weights, activations quantized as they come), _int8, _uint8.
// Only precisions with float inputs and outputs are listed (fp16 exports take and give float16).
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { InputError } from '../util/errors.js';

export const DTYPES = ['fp32', 'q8', 'int8', 'uint8'] as const;
export type OnnxDtype = (typeof DTYPES)[number];
/** 'auto': fp32 where the folder has it, else the first of q8, int8, uint8 it has */
export type DtypeChoice = OnnxDtype | 'auto';

export const DTYPE_SUFFIX: Record<OnnxDtype, string> = { fp32: '', q8: '_quantized', int8: '_int8', uint8: '_uint8' };

export const ONNX_ROLES = {
  encoder: 'encoder_model',
  decoder: 'decoder_model',
  decoderWithPast: 'decoder_with_past_model',
  decoderMerged: 'decoder_model_merged',
  model: 'model',
} as const;
export type OnnxRole = keyof typeof ONNX_ROLES;
export type OnnxFiles = Partial<Record<OnnxRole, string>>;

/** The folders looked in, in order of preference. */
const LAYOUTS = ['onnx', ''];

/** The file a role has in a precision: encoder_model_quantized.onnx. */
export function onnxFileName(role: OnnxRole, dtype: OnnxDtype): string {
  return `${ONNX_ROLES[role]}${DTYPE_SUFFIX[dtype]}.onnx`;
}

/** What each kind of model cannot run without. */
const NEEDS: Record<'seq2seq' | 'classifier', { roles: OnnxRole[]; ok: (f: OnnxFiles) => boolean; what: string }> = {
  seq2seq: {
    roles: ['encoder', 'decoder', 'decoderMerged'],
    ok: (f) => !!f.encoder && !!(f.decoder || f.decoderMerged),
    what: 'an encoder and a decoder (decoder_model or decoder_model_merged)',
  },
  classifier: { roles: ['model'], ok: (f) => !!f.model, what: 'model.onnx' },
};

/**
 * The ONNX files of one precision and one layout that together run the model: the first
 * precision of `dtype` (all of them, for auto) and the first layout that has what the kind needs.
 * None: an error listing every path looked for.
 */
export function findOnnxFiles(
  dir: string,
  kind: 'seq2seq' | 'classifier',
  dtype: DtypeChoice,
): { files: OnnxFiles; dtype: OnnxDtype } {
  if (dtype !== 'auto' && !DTYPES.includes(dtype))
    throw new Error(`unknown dtype '${String(dtype)}' (known: auto, ${DTYPES.join(', ')})`);
  const need = NEEDS[kind];
  const looked: string[] = [];
  for (const d of dtype === 'auto' ? DTYPES : [dtype]) {
    for (const layout of LAYOUTS) {
      const files: OnnxFiles = {};
      for (const role of Object.keys(ONNX_ROLES) as OnnxRole[]) {
        const path = join(dir, layout, onnxFileName(role, d));
        if (existsSync(path)) files[role] = path;
        else if (need.roles.includes(role)) looked.push(path);
      }
      if (need.ok(files)) return { files, dtype: d };
    }
  }
  throw new InputError(
    dir,
    null,
    `no ONNX model found: ${kind === 'seq2seq' ? 'a translation model' : 'a classifier'} needs ${need.what}${dtype === 'auto' ? '' : ` in dtype ${dtype}`}; looked for ${looked.join(', ')}`,
  );
}

/** Whether dir holds an ONNX model of this kind, in any layout and precision (a pretrained or exported model, not a train stage's folder). */
export function hasOnnxModel(dir: string, kind: 'seq2seq' | 'classifier'): boolean {
  try {
    findOnnxFiles(dir, kind, 'auto');
    return true;
  } catch {
    return false;
  }
}
