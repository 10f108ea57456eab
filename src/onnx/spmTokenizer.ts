// Marian's tokenizer, for model folders that ship no tokenizer.json (Marian/OPUS-MT models and the
// Hugging Face exports made from them keep source.spm, target.spm and vocab.json), by the rules of
// transformers' MarianTokenizer: source.spm cuts the text into pieces (SentencePiece, run by
// sentencepiece-js: the C++ library compiled to WebAssembly, offline, its normaliser included);
// vocab.json numbers them, a piece it lacks being <unk>; a leading >>lang<< code is one token and
// every such code is cut from the text; </s> closes every source. Decoding drops the special
// tokens and joins the pieces with ▁ as a space, as MarianTokenizer's decode does (target.spm
// needs no loading for that; target_vocab.json numbers the output where a model has one).
// Not done: sacremoses' punctuation normalisation, which MarianTokenizer applies only where
// sacremoses is installed (test/fixtures/tiny-marian-spm-golden.json was made without it).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { InputError } from '../util/errors.js';
import type { TextTokenizer } from './hfTokenizer.js';

export const MARIAN_SPM_FILES = {
  source: 'source.spm',
  target: 'target.spm',
  vocab: 'vocab.json',
  targetVocab: 'target_vocab.json',
} as const;

const SPACE = '\u2581';
const LANGUAGE_CODE = />>.+?<</g;

export function isMarianSpmDir(dir: string): boolean {
  return existsSync(join(dir, MARIAN_SPM_FILES.source)) && existsSync(join(dir, MARIAN_SPM_FILES.vocab));
}

export async function loadMarianSpm(dir: string): Promise<TextTokenizer> {
  const vocabFile = join(dir, MARIAN_SPM_FILES.vocab);
  const vocab = readVocab(vocabFile);
  const targetVocabFile = join(dir, MARIAN_SPM_FILES.targetVocab);
  const pieceOf = invert(existsSync(targetVocabFile) ? readVocab(targetVocabFile) : vocab);
  const specials = specialTokens(dir);
  const idOf = (token: string, file: string) => {
    const id = vocab.get(token);
    if (id === undefined) throw new InputError(file, null, `has no ${token} (the tokenizer's special token)`);
    return id;
  };
  const eos = idOf(specials.eos, vocabFile);
  const unk = idOf(specials.unk, vocabFile);
  const specialIds = new Set([eos, unk, vocab.get(specials.pad)]);
  const { default: spmjs } = await import('sentencepiece-js');
  const spm = new spmjs.SentencePieceProcessor();
  const spmFile = join(dir, MARIAN_SPM_FILES.source);
  try {
    await spm.load(spmFile);
  } catch (err) {
    throw new InputError(spmFile, null, `sentencepiece cannot load it: ${(err as Error).message}`);
  }
  const plain = (text: string): number[] => {
    const code = text.match(/^>>.+?<</)?.[0];
    const rest = text.replace(LANGUAGE_CODE, '');
    const pieces: string[] = [...(code ? [code] : []), ...(rest ? (spm.encodePieces(rest) as string[]) : [])];
    return pieces.map((p) => vocab.get(p) ?? unk);
  };
  return {
    encode: (text) => [...plain(text), eos],
    encodePlain: plain,
    decode: (ids) =>
      ids
        .filter((id) => !specialIds.has(id))
        .map((id) => pieceOf.get(id) ?? '')
        .join('')
        .replaceAll(SPACE, ' ')
        .trim(),
  };
}

function readVocab(file: string): Map<string, number> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InputError(file, null, `not valid JSON (${(err as Error).message})`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw) || !Object.values(raw).every(Number.isInteger)) {
    throw new InputError(file, null, 'expected a JSON object of pieces to integer ids');
  }
  return new Map(Object.entries(raw as Record<string, number>));
}

function invert(vocab: Map<string, number>): Map<number, string> {
  const out = new Map<number, string>();
  for (const [piece, id] of vocab) if (!out.has(id)) out.set(id, piece);
  return out;
}

/** eos, unk and pad as tokenizer_config.json names them (MarianTokenizer's defaults otherwise). */
function specialTokens(dir: string): { eos: string; unk: string; pad: string } {
  const file = join(dir, 'tokenizer_config.json');
  const cfg = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  const name = (key: string, fallback: string) => {
    const v = cfg[key];
    if (typeof v === 'string') return v;
    if (v && typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string')
      return (v as { content: string }).content;
    return fallback;
  };
  return { eos: name('eos_token', '</s>'), unk: name('unk_token', '<unk>'), pad: name('pad_token', '<pad>') };
}
