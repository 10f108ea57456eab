// A pretrained model directory in the layouts Hugging Face's exporters write and transformers.js
// reads (config.json, generation_config.json, tokenizer.json, and the ONNX files under onnx/ or at
// the top level, in one precision: ./onnxFiles.ts), checked up front so that a missing or
// malformed file is one clear error naming it, before any session is built.
// (The tokenizer is checked where text is tokenized: token-id input needs none.)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { InputError } from '../util/errors.js';
import { type DtypeChoice, findOnnxFiles, type OnnxDtype, type OnnxFiles } from './onnxFiles.js';

export interface GenerationSettings {
  decoderStartId: number;
  eosId: number;
  padId: number;
  forcedEosId?: number;
  badWordsIds?: number[][];
  numBeams: number;
  maxLength: number;
  lengthPenalty: number;
}

export interface ModelDir {
  dir: string;
  kind: 'seq2seq' | 'classifier';
  config: Record<string, unknown>;
  /** the ONNX files of the chosen precision, by role */
  onnx: OnnxFiles;
  /** their precision (fp32, or a quantized export's: q8 is transformers.js' *_quantized.onnx) */
  dtype: OnnxDtype;
  generation?: GenerationSettings; // seq2seq only
  labels?: string[]; // classifier only, from id2label
}

export interface OpenOptions {
  /** which precision's ONNX files (default auto: fp32 where present, else a quantized one) */
  dtype?: DtypeChoice;
}

export function openModelDir(dir: string, opts: OpenOptions = {}): ModelDir {
  if (!existsSync(dir)) throw new InputError(dir, null, 'model directory not found');
  const config = readJsonObject(join(dir, 'config.json'));
  if (config.is_encoder_decoder === true) {
    const { files, dtype } = findOnnxFiles(dir, 'seq2seq', opts.dtype ?? 'auto');
    const genPath = join(dir, 'generation_config.json');
    const gen = existsSync(genPath) ? readJsonObject(genPath) : {};
    return { dir, kind: 'seq2seq', config, onnx: files, dtype, generation: generationSettings(gen, config, genPath) };
  }
  const { files, dtype } = findOnnxFiles(dir, 'classifier', opts.dtype ?? 'auto');
  return { dir, kind: 'classifier', config, onnx: files, dtype, labels: labelNames(config, join(dir, 'config.json')) };
}

/** generation_config.json first, config.json as the fallback, transformers' defaults last. */
function generationSettings(
  gen: Record<string, unknown>,
  config: Record<string, unknown>,
  file: string,
): GenerationSettings {
  const pick = (key: string) => (gen[key] ?? config[key]) as unknown;
  const id = (key: string, required: boolean): number | undefined => {
    let v = pick(key);
    if (Array.isArray(v)) v = v[0]; // eos_token_id may be a list; the first is the one generate() appends
    if (v === undefined || v === null) {
      if (required) throw new InputError(file, null, `${key} is missing (nor is it in config.json)`);
      return undefined;
    }
    if (!Number.isInteger(v)) throw new InputError(file, null, `${key} must be an integer, got ${JSON.stringify(v)}`);
    return v as number;
  };
  const badWords = pick('bad_words_ids');
  if (
    badWords !== undefined &&
    badWords !== null &&
    !(Array.isArray(badWords) && badWords.every((w) => Array.isArray(w) && w.every(Number.isInteger)))
  ) {
    throw new InputError(file, null, 'bad_words_ids must be a list of lists of token ids');
  }
  return {
    decoderStartId: id('decoder_start_token_id', true)!,
    eosId: id('eos_token_id', true)!,
    padId: id('pad_token_id', true)!,
    forcedEosId: id('forced_eos_token_id', false),
    badWordsIds: (badWords as number[][] | undefined) ?? undefined,
    numBeams: (pick('num_beams') as number) ?? 1,
    maxLength: (pick('max_length') as number) ?? 20,
    lengthPenalty: (pick('length_penalty') as number) ?? 1.0,
  };
}

function labelNames(config: Record<string, unknown>, file: string): string[] {
  const id2label = config.id2label as Record<string, string> | undefined;
  if (!id2label || typeof id2label !== 'object')
    throw new InputError(file, null, 'id2label is missing: a classifier names its labels');
  const n = Object.keys(id2label).length;
  return Array.from({ length: n }, (_, i) => {
    const name = id2label[String(i)];
    if (typeof name !== 'string')
      throw new InputError(file, null, `id2label has no label ${i} (ids must run 0..${n - 1})`);
    return name;
  });
}

function requireFile(path: string): void {
  if (!existsSync(path)) throw new InputError(path, null, 'missing');
}

export function readJsonObject(path: string): Record<string, unknown> {
  requireFile(path);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new InputError(path, null, `not valid JSON (${(err as Error).message})`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new InputError(path, null, 'expected a JSON object');
  return value as Record<string, unknown>;
}
