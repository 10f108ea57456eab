// The subword tokenizer: BPE over characters with byte fallback (characters outside the base
// vocabulary become <0xNN> byte tokens), so every string encodes and decode(encode(x)) == x.
// Ids: 0 <pad>, 1 <s> (decoder start), 2 </s>, 3 <unk> (unused: bytes cover everything), 4..259
// bytes, then characters, then merges.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { writeJsonAtomic } from '../util/atomicWrite.js';
import { type BpeModel, type BpeTrainOptions, trainBpe } from './bpeTrain.js';
import { SPACE_MARK } from './pieces.js';

export const PAD = 0;
export const BOS = 1;
export const EOS = 2;
const SPECIALS = ['<pad>', '<s>', '</s>', '<unk>'];
const BYTE_BASE = SPECIALS.length;
const FIRST_SYMBOL = BYTE_BASE + 256;

export class Tokenizer {
  private readonly pieceId = new Map<string, number>();
  private readonly pieces: string[];
  // merges by the ids of their two pieces (left * pieces + right), integer keys because encoding
  // a word looks pairs up O(length^2) times (string keys made cold tokenization ~2x slower)
  private readonly rank = new Map<number, number>();
  private readonly mergedId: Int32Array; // by rank: the piece a merge makes
  private readonly cache = new Map<string, number[]>();

  constructor(readonly model: BpeModel) {
    this.pieces = [
      ...SPECIALS,
      ...Array.from({ length: 256 }, (_, b) => `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`),
    ];
    for (const ch of model.chars) this.pieces.push(ch);
    for (const [a, b] of model.merges) this.pieces.push(a + b);
    // first id wins: a merge result equal to an existing piece maps to the earlier id
    this.pieces.forEach((p, id) => {
      if (id >= FIRST_SYMBOL && !this.pieceId.has(p)) this.pieceId.set(p, id);
    });
    this.mergedId = Int32Array.from(model.merges, ([a, b]) => this.pieceId.get(a + b) as number);
    // a merge of a string that is no piece is never formed from a word's symbols: left out
    model.merges.forEach(([a, b], i) => {
      const left = this.pieceId.get(a);
      const right = this.pieceId.get(b);
      if (left !== undefined && right !== undefined) this.rank.set(this.pairKey(left, right), i);
    });
  }

  private pairKey(left: number, right: number): number {
    return left * this.pieces.length + right;
  }

  static train(sentences: Iterable<string>, opts: BpeTrainOptions): Tokenizer {
    return new Tokenizer(trainBpe(sentences, FIRST_SYMBOL, opts));
  }

  static load(file: string): Tokenizer {
    const json = JSON.parse(readFileSync(file, 'utf8'));
    if (json.type !== 'kd-bpe') throw new Error(`${file}: not a kd tokenizer (type ${json.type})`);
    return new Tokenizer({ chars: json.chars, merges: json.merges });
  }

  async save(file: string): Promise<void> {
    await writeJsonAtomic(file, {
      type: 'kd-bpe',
      version: 1,
      specials: SPECIALS,
      chars: this.model.chars,
      merges: this.model.merges,
    });
  }

  get vocabSize(): number {
    return this.pieces.length;
  }

  /** A short hash of the vocabulary, recorded next to anything that depends on token ids. */
  get hash(): string {
    return createHash('sha256').update(JSON.stringify(this.model)).digest('hex').slice(0, 16);
  }

  piece(id: number): string {
    return this.pieces[id];
  }

  /**
   * encode("Hello world") -> ids, no special tokens added. maxTokens: only the first maxTokens ids
   * (equal to encode(text).slice(0, maxTokens)); the words after them are never split or encoded,
   * which is most of a classifier's work on long texts it truncates.
   */
  encode(text: string, maxTokens = Infinity): number[] {
    const ids: number[] = [];
    for (let start = 0, i = 0; start <= text.length && ids.length < maxTokens; i++) {
      const space = text.indexOf(' ', start);
      const end = space < 0 ? text.length : space;
      const raw = text.slice(start, end);
      start = end + 1;
      // the space marker belongs to every piece but the first; an empty piece is a lone space
      const key = i === 0 ? raw : SPACE_MARK + raw;
      if (!key) continue;
      let cached = this.cache.get(key);
      if (!cached) {
        cached = this.encodeWord(raw, i > 0);
        if (this.cache.size < 200_000) this.cache.set(key, cached);
      }
      for (const id of cached) ids.push(id);
    }
    return ids.length > maxTokens ? ids.slice(0, maxTokens) : ids;
  }

  private encodeWord(raw: string, spaceBefore: boolean): number[] {
    // a literal ▁ in the text is not a space: it goes to bytes, so decoding cannot confuse them.
    // Symbols are ids; byte tokens (ids below FIRST_SYMBOL) never merge.
    const syms: number[] = spaceBefore ? [this.spaceMarkId()] : [];
    for (const ch of raw) {
      const id = ch === SPACE_MARK ? undefined : this.pieceId.get(ch);
      if (id !== undefined) syms.push(id);
      else for (const b of Buffer.from(ch, 'utf8')) syms.push(BYTE_BASE + b);
    }
    for (;;) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i + 1 < syms.length; i++) {
        if (syms[i] < FIRST_SYMBOL || syms[i + 1] < FIRST_SYMBOL) continue;
        const r = this.rank.get(this.pairKey(syms[i], syms[i + 1]));
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) return syms;
      syms.splice(best, 2, this.mergedId[bestRank]);
    }
  }

  private spaceMarkId(): number {
    const id = this.pieceId.get(SPACE_MARK);
    if (id === undefined) throw new Error('tokenizer has no space marker: train it on text with spaces');
    return id;
  }

  /** decode(encode(x)) === x; special tokens are skipped. */
  decode(ids: number[]): string {
    const bytes: number[] = [];
    for (const id of ids) {
      if (id < BYTE_BASE) continue;
      if (id < FIRST_SYMBOL) bytes.push(id - BYTE_BASE);
      else bytes.push(...Buffer.from(this.pieces[id].replaceAll(SPACE_MARK, ' '), 'utf8'));
    }
    return Buffer.from(bytes).toString('utf8');
  }
}
