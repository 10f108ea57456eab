// chrF (Popović 2015) and chrF++ (Popović 2017) exactly as sacreBLEU 2.x computes them:
// character n-grams up to 6 with whitespace removed, optional word n-grams (chrF++: 2),
// F-beta with beta 2, and sacreBLEU's effective-order averaging unless epsSmoothing is set.
import { checkStreams } from './bleu.js';
import { codePointArray, NgramCounter, type NgramIdList, NgramIdPool, NgramIndex, WordSymbols } from './ngramIndex.js';
import { codePoints, pyRemoveWhitespace, pySplit } from './pythonText.js';
import { formatSignature } from './version.js';

export interface ChrfOptions {
  charOrder?: number; // default 6
  wordOrder?: number; // default 0; 2 gives chrF++
  beta?: number; // default 2
  lowercase?: boolean; // default false
  whitespace?: boolean; // default false: spaces are not part of character n-grams
  epsSmoothing?: boolean; // default false: average over orders that occur (sacreBLEU >= 2.0)
}

export interface ChrfResult {
  name: string;
  score: number;
  signature: string;
}

const PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

/** chrF++'s word split: one leading or trailing ASCII punctuation mark becomes its own word. */
export function splitPunctuation(sentence: string): string[] {
  const words: string[] = [];
  for (const w of pySplit(sentence)) {
    if (codePoints(w).length === 1) words.push(w);
    else if (PUNCTUATION.has(w[w.length - 1])) words.push(w.slice(0, -1), w[w.length - 1]);
    else if (PUNCTUATION.has(w[0])) words.push(w[0], w.slice(1));
    else words.push(w);
  }
  return words;
}

export class Chrf {
  readonly charOrder: number;
  readonly wordOrder: number;
  readonly beta: number;
  readonly lowercase: boolean;
  readonly whitespace: boolean;
  readonly epsSmoothing: boolean;
  // scratch space reused across sentences (see ngramIndex.ts for why ids, not strings)
  private readonly charIndex = new NgramIndex();
  private readonly wordIndex = new NgramIndex();
  private readonly words = new WordSymbols();
  private readonly counter = new NgramCounter();
  private readonly pool = new NgramIdPool();

  constructor(opts: ChrfOptions = {}) {
    this.charOrder = opts.charOrder ?? 6;
    this.wordOrder = opts.wordOrder ?? 0;
    this.beta = opts.beta ?? 2;
    this.lowercase = opts.lowercase ?? false;
    this.whitespace = opts.whitespace ?? false;
    this.epsSmoothing = opts.epsSmoothing ?? false;
  }

  get name(): string {
    return `chrF${this.beta}${'+'.repeat(this.wordOrder)}`;
  }

  /** Character n-gram ids and, for chrF++, word n-gram ids of one sentence. */
  private ngramIds(sentence: string): { chars: NgramIdList; words: NgramIdList | null } {
    const text = this.lowercase ? sentence.toLowerCase() : sentence;
    const codes = codePointArray(this.whitespace ? text : pyRemoveWhitespace(text));
    const chars = this.charIndex.ngramIds(codes, this.charOrder, this.pool.take());
    if (this.wordOrder === 0) return { chars, words: null };
    const symbols = this.words.encode(splitPunctuation(text));
    return { chars, words: this.wordIndex.ngramIds(symbols, this.wordOrder, this.pool.take()) };
  }

  /** [hyp count, ref count, matches] per order, against the reference with the best F. */
  sentenceStats(hyp: string, refs: string[]): number[] {
    this.charIndex.reset();
    this.wordIndex.reset();
    this.words.reset();
    this.pool.reset();
    const h = this.ngramIds(hyp);
    const refIds = refs.map((ref) => this.ngramIds(ref));
    this.counter.ensure(Math.max(this.charIndex.size, this.wordIndex.size));
    let best: number[] = [];
    let bestF = -1;
    for (const r of refIds) {
      const stats: number[] = [];
      const add = (hl: NgramIdList, rl: NgramIdList, n: number) => {
        // hypothesis n-grams only count when the reference has n-grams of that order
        stats.push(rl.count(n) > 0 ? hl.count(n) : 0, rl.count(n), this.counter.clippedMatches(hl, [rl], n));
      };
      for (let n = 1; n <= this.charOrder; n++) add(h.chars, r.chars, n);
      for (let n = 1; n <= this.wordOrder; n++) add(h.words!, r.words!, n);
      const f = this.fScore(stats);
      if (f > bestF) {
        bestF = f;
        best = stats;
      }
    }
    return best;
  }

  /** fScore([2,2,1, 1,1,0, ...]) -> chrF in [0, 100] from summed statistics. */
  fScore(stats: number[]): number {
    const eps = 1e-16;
    const factor = this.beta ** 2;
    const orders = this.charOrder + this.wordOrder;
    let score = 0;
    let effective = 0;
    let avgPrec = 0;
    let avgRec = 0;
    for (let i = 0; i < orders; i++) {
      const [nHyp, nRef, nMatch] = stats.slice(3 * i, 3 * i + 3);
      const prec = nHyp > 0 ? nMatch / nHyp : eps;
      const rec = nRef > 0 ? nMatch / nRef : eps;
      const denom = factor * prec + rec;
      score += denom > 0 ? ((1 + factor) * prec * rec) / denom : eps;
      if (nHyp > 0 && nRef > 0) {
        avgPrec += prec;
        avgRec += rec;
        effective += 1;
      }
    }
    if (this.epsSmoothing) return (100 * score) / orders;
    if (effective === 0) return 0.0;
    avgPrec /= effective;
    avgRec /= effective;
    if (avgPrec + avgRec === 0) return 0.0;
    return (100 * ((1 + factor) * avgPrec * avgRec)) / (factor * avgPrec + avgRec);
  }

  scoreStats(stats: number[], nrefs: number): ChrfResult {
    return { name: this.name, score: this.fScore(stats), signature: this.signature(nrefs) };
  }

  /** corpus(["abc"], [["abc"]]).score -> 100 */
  corpus(hyps: string[], refStreams: string[][]): ChrfResult {
    checkStreams(hyps, refStreams);
    const sum = new Array<number>(3 * (this.charOrder + this.wordOrder)).fill(0);
    hyps.forEach((hyp, i) => {
      const stats = this.sentenceStats(
        hyp,
        refStreams.map((s) => s[i]),
      );
      for (let k = 0; k < sum.length; k++) sum[k] += stats[k];
    });
    return this.scoreStats(sum, refStreams.length);
  }

  sentence(hyp: string, refs: string[]): ChrfResult {
    return this.scoreStats(this.sentenceStats(hyp, refs), refs.length);
  }

  signature(nrefs: number): string {
    return formatSignature(nrefs, [
      ['case', this.lowercase ? 'lc' : 'mixed'],
      ['eff', this.epsSmoothing ? 'no' : 'yes'],
      ['nc', this.charOrder],
      ['nw', this.wordOrder],
      ['space', this.whitespace ? 'yes' : 'no'],
    ]);
  }
}

export function corpusChrf(hyps: string[], refStreams: string[][], opts: ChrfOptions = {}): ChrfResult {
  return new Chrf(opts).corpus(hyps, refStreams);
}
