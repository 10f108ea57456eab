// Tokenizers of pretrained models, offline: the directory's tokenizer.json through transformers.js
// (remote models disabled, no cache writes), so ids match what Hugging Face's tokenizers give; or,
// where a Marian folder has none, source.spm + vocab.json read by SentencePiece (./spmTokenizer.ts).
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

import { InputError } from '../util/errors.js';
import { isMarianSpmDir, loadMarianSpm, MARIAN_SPM_FILES } from './spmTokenizer.js';

export interface TextTokenizer {
  /** with the model's special tokens, as Hugging Face's tokenizer(text) gives them */
  encode(text: string): number[];
  /** the text's own ids only */
  encodePlain(text: string): number[];
  decode(ids: number[]): string;
}

export interface EncodeOptions {
  /** truncate to this many ids (special tokens included) */
  maxLength?: number;
}

/** Whether dir has a tokenizer kd can load (tokenizer.json, or Marian's source.spm + vocab.json). */
export const hasTokenizer = (dir: string) => existsSync(join(dir, 'tokenizer.json')) || isMarianSpmDir(dir);

/** The files that make the folder's tokenizer (what a student in its vocabulary carries along). */
export function tokenizerFiles(dir: string): string[] {
  const names = existsSync(join(dir, 'tokenizer.json'))
    ? ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json']
    : [...Object.values(MARIAN_SPM_FILES), 'tokenizer_config.json', 'special_tokens_map.json'];
  return names.filter((n) => existsSync(join(dir, n)));
}

export async function loadHfTokenizer(dir: string, opts: EncodeOptions = {}): Promise<TextTokenizer> {
  const abs = resolve(dir);
  let tok: TextTokenizer;
  if (existsSync(`${abs}/tokenizer.json`)) tok = await loadTokenizerJson(abs);
  else if (isMarianSpmDir(abs)) tok = await loadMarianSpm(abs);
  else {
    const looked = [`${abs}/tokenizer.json`, `${abs}/${MARIAN_SPM_FILES.source} with ${abs}/${MARIAN_SPM_FILES.vocab}`];
    throw new InputError(
      abs,
      null,
      `no tokenizer: text input needs the model's tokenizer; looked for ${looked.join(', and ')}`,
    );
  }
  return {
    ...tok,
    encode: (text) => {
      const ids = tok.encode(text);
      if (!opts.maxLength || ids.length <= opts.maxLength) return ids;
      return truncate(ids, tok.encodePlain(text), opts.maxLength);
    },
  };
}

/** tokenizer.json through transformers.js (abs: an absolute folder path). */
async function loadTokenizerJson(abs: string): Promise<TextTokenizer> {
  const { AutoTokenizer, env } = await import('@huggingface/transformers');
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.useFSCache = false;
  env.localModelPath = `${dirname(abs)}/`;
  let tok: Awaited<ReturnType<typeof AutoTokenizer.from_pretrained>>;
  try {
    tok = await AutoTokenizer.from_pretrained(basename(abs), { local_files_only: true });
  } catch (err) {
    throw new InputError(`${abs}/tokenizer.json`, null, `transformers.js cannot load it: ${(err as Error).message}`);
  }
  return {
    encode: (text) => tok.encode(text) as number[],
    encodePlain: (text) => tok.encode(text, { add_special_tokens: false }) as number[],
    decode: (ids) => tok.decode(ids, { skip_special_tokens: true }),
  };
}

/**
 * Truncation as Hugging Face's tokenizers do it for one sequence: the text's own ids are cut,
 * the special tokens around them ([CLS] ... [SEP], or a final </s>) stay. (transformers.js v4's
 * truncation cuts the final special token off, hence this.)
 */
export function truncate(full: number[], plain: number[], maxLength: number): number[] {
  const specials = full.length - plain.length;
  for (let before = 0; before <= specials; before++) {
    const after = specials - before;
    const middle = full.slice(before, full.length - after);
    if (middle.every((id, i) => id === plain[i])) {
      return [
        ...full.slice(0, before),
        ...plain.slice(0, Math.max(0, maxLength - specials)),
        ...full.slice(full.length - after),
      ];
    }
  }
  return full.slice(0, maxLength); // no template found: plain cut
}
