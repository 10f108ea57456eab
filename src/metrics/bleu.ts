// sacreBLEU-exact BLEU: tokenize, count n-grams against the merged references, sum, score.
import {
  bleuFromStats,
  type BleuScore,
  type BleuStats,
  SMOOTH_DEFAULTS,
  SMOOTH_METHODS,
  type SmoothMethod,
  sumBleuStats,
} from './bleuScore.js';
import { NgramCounter, NgramIdPool, NgramIndex, WordSymbols } from './ngramIndex.js';
import { pyRstrip, pySplit } from './pythonText.js';
import { createTokenizer, type Tokenizer } from './tokenizers.js';
import { formatSignature } from './version.js';

export interface BleuOptions {
  tokenize?: string; // '13a' (default), 'intl', 'none', 'char', 'zh'
  lowercase?: boolean; // default false
  smoothMethod?: SmoothMethod; // default 'exp'
  smoothValue?: number | null; // default: floor 0.1, add-k 1
  maxNgramOrder?: number; // default 4
  effectiveOrder?: boolean; // default false; use true for sentence-level BLEU
}

export interface BleuResult extends BleuScore {
  signature: string;
}

/** A BLEU scorer with its options resolved once (tokenizer lookup, defaults, validation). */
export class Bleu {
  readonly tokenize: string;
  readonly lowercase: boolean;
  readonly smoothMethod: SmoothMethod;
  readonly smoothValue: number | null;
  readonly maxNgramOrder: number;
  readonly effectiveOrder: boolean;
  private readonly tokenizer: Tokenizer;
  // scratch space reused across sentences (see ngramIndex.ts for why ids, not strings)
  private readonly words = new WordSymbols();
  private readonly index = new NgramIndex();
  private readonly counter = new NgramCounter();
  private readonly pool = new NgramIdPool();

  constructor(opts: BleuOptions = {}) {
    this.tokenize = opts.tokenize ?? '13a';
    this.tokenizer = createTokenizer(this.tokenize);
    this.lowercase = opts.lowercase ?? false;
    this.smoothMethod = opts.smoothMethod ?? 'exp';
    if (!SMOOTH_METHODS.includes(this.smoothMethod)) {
      throw new Error(`unknown smoothing method '${this.smoothMethod}' (known: ${SMOOTH_METHODS.join(', ')})`);
    }
    this.smoothValue = opts.smoothValue ?? null;
    this.maxNgramOrder = opts.maxNgramOrder ?? 4;
    this.effectiveOrder = opts.effectiveOrder ?? false;
  }

  private preprocess(text: string): string[] {
    const cased = this.lowercase ? text.toLowerCase() : text;
    return pySplit(this.tokenizer(pyRstrip(cased)));
  }

  /** Statistics of one hypothesis against its references (one per reference stream). */
  sentenceStats(hyp: string, refs: string[]): BleuStats {
    const order = this.maxNgramOrder;
    this.words.reset();
    this.index.reset();
    this.pool.reset();
    const ngrams = (text: string) =>
      this.index.ngramIds(this.words.encode(this.preprocess(text)), order, this.pool.take());
    const refNgrams = refs.map(ngrams);
    const hypNgrams = ngrams(hyp);
    this.counter.ensure(this.index.size);
    const correct = new Array<number>(order).fill(0);
    const total = new Array<number>(order).fill(0);
    for (let n = 1; n <= order; n++) {
      total[n - 1] = hypNgrams.count(n);
      correct[n - 1] = this.counter.clippedMatches(hypNgrams, refNgrams, n);
    }
    const refLen = closestRefLength(
      hypNgrams.length,
      refNgrams.map((r) => r.length),
    );
    return { sysLen: hypNgrams.length, refLen, correct, total };
  }

  scoreStats(stats: BleuStats, nrefs: number): BleuResult {
    return { ...bleuFromStats(stats, this), signature: this.signature(nrefs) };
  }

  /** corpus(["The cat sat."], [["The cat sat."]]).score -> 100 */
  corpus(hyps: string[], refStreams: string[][]): BleuResult {
    checkStreams(hyps, refStreams);
    const stats = hyps.map((hyp, i) =>
      this.sentenceStats(
        hyp,
        refStreams.map((s) => s[i]),
      ),
    );
    return this.scoreStats(sumBleuStats(stats, this.maxNgramOrder), refStreams.length);
  }

  /** One sentence against its references; pair with effectiveOrder: true as sacreBLEU advises. */
  sentence(hyp: string, refs: string[]): BleuResult {
    return this.scoreStats(this.sentenceStats(hyp, refs), refs.length);
  }

  signature(nrefs: number): string {
    let smooth: string = this.smoothMethod;
    const def = SMOOTH_DEFAULTS[this.smoothMethod];
    if (def !== null) smooth += `[${(this.smoothValue ?? def).toFixed(2)}]`;
    return formatSignature(nrefs, [
      ['case', this.lowercase ? 'lc' : 'mixed'],
      ['eff', this.effectiveOrder ? 'yes' : 'no'],
      ['tok', this.tokenize],
      ['smooth', smooth],
    ]);
  }
}

/** The reference length closest to the hypothesis length; ties go to the shorter reference. */
export function closestRefLength(hypLen: number, refLens: number[]): number {
  let bestDiff = -1;
  let bestLen = -1;
  for (const len of refLens) {
    const diff = Math.abs(hypLen - len);
    if (bestDiff === -1 || diff < bestDiff || (diff === bestDiff && len < bestLen)) {
      bestDiff = diff;
      bestLen = len;
    }
  }
  return bestLen;
}

/** Every reference stream must have one line per hypothesis. */
export function checkStreams(hyps: string[], refStreams: string[][]): void {
  if (refStreams.length === 0) throw new Error('no reference stream given');
  refStreams.forEach((stream, k) => {
    if (stream.length !== hyps.length) {
      throw new Error(`reference stream ${k + 1} has ${stream.length} lines but there are ${hyps.length} hypotheses`);
    }
  });
}

/** corpusBleu(hyps, [refs]) with sacreBLEU's defaults (13a, exp smoothing, mixed case). */
export function corpusBleu(hyps: string[], refStreams: string[][], opts: BleuOptions = {}): BleuResult {
  return new Bleu(opts).corpus(hyps, refStreams);
}

/** sentenceBleu(hyp, refs): effective order on, as sacreBLEU's sentence_bleu does. */
export function sentenceBleu(hyp: string, refs: string[], opts: BleuOptions = {}): BleuResult {
  return new Bleu({ effectiveOrder: true, ...opts }).sentence(hyp, refs);
}
