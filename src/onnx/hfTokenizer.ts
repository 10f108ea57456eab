// Tokenizers of pretrained models: the directory's tokenizer.json through transformers.js, offline
// (remote models disabled, no cache writes), so ids match what Hugging Face's tokenizers give.
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { InputError } from '../util/errors.js';

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

export async function loadHfTokenizer(dir: string, opts: EncodeOptions = {}): Promise<TextTokenizer> {
  const { AutoTokenizer, env } = await import('@huggingface/transformers');
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.useFSCache = false;
  const abs = resolve(dir);
  if (!existsSync(`${abs}/tokenizer.json`)) throw new InputError(`${abs}/tokenizer.json`, null, 'missing: text input needs the model\'s tokenizer');
  env.localModelPath = `${dirname(abs)}/`;
  let tok: Awaited<ReturnType<typeof AutoTokenizer.from_pretrained>>;
  try {
    tok = await AutoTokenizer.from_pretrained(basename(abs), { local_files_only: true });
  } catch (err) {
    throw new InputError(`${abs}/tokenizer.json`, null, `transformers.js cannot load it: ${(err as Error).message}`);
  }
  const withSpecials = (text: string) => tok.encode(text) as number[];
  const plain = (text: string) => tok.encode(text, { add_special_tokens: false }) as number[];
  return {
    encode: (text) => {
      const ids = withSpecials(text);
      if (!opts.maxLength || ids.length <= opts.maxLength) return ids;
      return truncate(ids, plain(text), opts.maxLength);
    },
    encodePlain: plain,
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
      return [...full.slice(0, before), ...plain.slice(0, Math.max(0, maxLength - specials)), ...full.slice(full.length - after)];
    }
  }
  return full.slice(0, maxLength); // no template found: plain cut
}
