// kd export for translation models: the tfjs Transformer and its tokenizer written in the layout
// of Hugging Face's ONNX exports (config.json, generation_config.json, tokenizer.json,
// tokenizer_config.json, onnx/{encoder_model, decoder_model, decoder_with_past_model,
// decoder_model_merged}.onnx, and with quantize: int8 their *_quantized.onnx beside them), into a
// temporary folder renamed into place when complete.
import type { OnnxGraph } from '../graph/onnxGraph.js';
import { beamSearchGraph } from '../models/beamSearchGraph.js';
import type { Transformer } from '../models/transformer.js';
import { decoderGraph, encoderGraph, mergedDecoderGraph } from '../models/transformerGraph.js';
import type { TranslationWeights } from '../models/weights.js';
import { weightsOf } from '../models/weights.js';
import { BEAM_SEARCH_FILE } from '../onnx/nativeBeamSearch.js';
import { BOS, EOS, PAD, type Tokenizer } from '../tokenize/tokenizer.js';
import { writeExportDir } from './exportDir.js';
import { hfTokenizerConfig, hfTokenizerJson } from './hfTokenizerJson.js';
import { type PrecisionOptions, writeGraphs } from './precisions.js';
import { translationWeights } from './weights.js';

export interface ExportOptions extends PrecisionOptions {
  maxPositions?: number;
  maxLength?: number;
  numBeams?: number;
  merged?: boolean; // also the merged decoder (default true: transformers.js loads only that); kd's own decoding does not need it
  /** also onnx/beam_search_model.onnx: the whole beam search as one onnxruntime graph (kd's fast path; a second copy of the weights) */
  beamSearch?: boolean;
  /** another vocabulary's ids and files (a student in a pretrained teacher's: ./exportTeacherVocabulary.ts) instead of kd's */
  vocabulary?: ExportVocabulary;
}

/** Special ids, tokenizer files and config fields of an export that does not use kd's own vocabulary. */
export interface ExportVocabulary {
  pad: number;
  eos: number;
  decoderStart: number;
  files: Array<{ name: string; bytes: Uint8Array }>;
  /** config.json fields in place of kd_config (an export in other ids is not one kd's own loaders may renumber) */
  config: Record<string, unknown>;
}

/**
 * Bytes of the files transformers.js loads to translate (encoder_model + decoder_model_merged) in
 * one precision: the size on disk a deployment pays (kd's own decoding adds decoder_model and
 * decoder_with_past_model, which hold the same weights again).
 */
export function translationFileBytes(
  model: Transformer | TranslationWeights,
  dtype: 'fp32' | 'q8',
  maxPositions = 1024,
): number {
  const { config: c, tensors } = translationWeights(model);
  const weights = weightsOf(tensors);
  let bytes = 0;
  writeGraphs(
    (_, b) => (bytes += b.length),
    [
      ['encoder_model', () => encoderGraph(c, weights, maxPositions)],
      ['decoder_model_merged', () => mergedDecoderGraph(c, weights, maxPositions)],
    ],
    dtype === 'fp32' ? {} : { quantize: 'int8', fp32: false },
  );
  return bytes;
}

/** tok null: graphs and configs only (benchmarks; ids in, ids out). */
export function exportTranslation(
  model: Transformer | TranslationWeights,
  tok: Tokenizer | null,
  outDir: string,
  opts: ExportOptions = {},
): void {
  const { config: c, tensors } = translationWeights(model);
  const maxPositions = opts.maxPositions ?? 1024;
  const weights = weightsOf(tensors);
  const v = opts.vocabulary;
  if (v && tok) throw new Error("an export has one vocabulary: kd's tokenizer or opts.vocabulary, not both");
  const ids = v ?? { pad: PAD, eos: EOS, decoderStart: BOS };
  writeExportDir(outDir, ({ file, json }) => {
    const graphs: Array<[string, () => OnnxGraph]> = [
      ['encoder_model', () => encoderGraph(c, weights, maxPositions)],
      ['decoder_model', () => decoderGraph(c, weights, false, maxPositions)],
      ['decoder_with_past_model', () => decoderGraph(c, weights, true, maxPositions)],
      ...((opts.merged ?? true)
        ? [['decoder_model_merged', () => mergedDecoderGraph(c, weights, maxPositions)] as [string, () => OnnxGraph]]
        : []),
      ...(opts.beamSearch
        ? [
            [
              BEAM_SEARCH_FILE.replace(/\.onnx$/, ''),
              () =>
                beamSearchGraph(
                  c,
                  weights,
                  { eos: ids.eos, pad: ids.pad, decoderStart: ids.decoderStart },
                  maxPositions,
                ),
            ] as [string, () => OnnxGraph],
          ]
        : []),
    ];
    writeGraphs(file, graphs, opts);
    json('config.json', {
      // model_type marian: the I/O convention transformers.js expects of a seq2seq export; the
      // network itself is kd's pre-LayerNorm Transformer (kd_config), run only through these graphs
      model_type: 'marian',
      architectures: ['MarianMTModel'],
      is_encoder_decoder: true,
      vocab_size: c.vocabSize,
      decoder_vocab_size: c.vocabSize,
      d_model: c.dModel,
      encoder_layers: c.encLayers,
      decoder_layers: c.decLayers,
      encoder_attention_heads: c.heads,
      decoder_attention_heads: c.heads,
      encoder_ffn_dim: c.ffDim,
      decoder_ffn_dim: c.ffDim,
      max_position_embeddings: maxPositions,
      pad_token_id: ids.pad,
      bos_token_id: ids.decoderStart,
      eos_token_id: ids.eos,
      decoder_start_token_id: ids.decoderStart,
      use_cache: true,
      ...(v ? v.config : { kd_config: c, kd_vocab_hash: tok?.hash ?? null }),
    });
    json('generation_config.json', {
      decoder_start_token_id: ids.decoderStart,
      eos_token_id: ids.eos,
      pad_token_id: ids.pad,
      bad_words_ids: [[ids.pad]],
      num_beams: opts.numBeams ?? 5,
      max_length: opts.maxLength ?? 256,
    });
    for (const f of v?.files ?? []) file(f.name, f.bytes);
    if (tok) {
      json('tokenizer.json', hfTokenizerJson(tok));
      json('tokenizer_config.json', hfTokenizerConfig());
    }
  });
}
