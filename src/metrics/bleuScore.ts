// BLEU from its sufficient statistics (Papineni et al. 2002), with sacreBLEU's smoothing
// methods (Chen & Cherry 2014): exp = NIST "method 3", floor = method 1, add-k = method 2.
// Corpus BLEU sums the statistics of all sentences first; averaging sentence scores is wrong.

export const SMOOTH_METHODS = ['exp', 'floor', 'add-k', 'none'] as const;
export type SmoothMethod = (typeof SMOOTH_METHODS)[number];
export const SMOOTH_DEFAULTS: Record<SmoothMethod, number | null> = {
  exp: null,
  floor: 0.1,
  'add-k': 1,
  none: null,
};

/** Per-sentence (or summed) statistics: lengths and per-order matches and totals. */
export interface BleuStats {
  sysLen: number;
  refLen: number;
  correct: number[];
  total: number[];
}

export interface BleuScore {
  score: number;
  counts: number[];
  totals: number[];
  precisions: number[];
  bp: number;
  sysLen: number;
  refLen: number;
}

export interface BleuScoring {
  smoothMethod: SmoothMethod;
  smoothValue?: number | null;
  effectiveOrder: boolean;
  maxNgramOrder: number;
}

// sacreBLEU's my_log: log(0) is floored so that a zero precision gives BLEU 0, not NaN
const logFloored = (x: number) => (x === 0 ? -9999999999 : Math.log(x));

/** bleuFromStats({sysLen:11, refLen:11, correct:[9,7,5,3], total:[10,8,6,4]}, ...).score -> 83.759... */
export function bleuFromStats(stats: BleuStats, opts: BleuScoring): BleuScore {
  const order = opts.maxNgramOrder;
  const smoothValue = opts.smoothValue ?? SMOOTH_DEFAULTS[opts.smoothMethod] ?? 0;
  const { sysLen, refLen } = stats;
  const correct = stats.correct.slice();
  const total = stats.total.slice();
  let bp = 1.0;
  if (sysLen < refLen) bp = sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0.0;
  const precisions = new Array<number>(order).fill(0);
  const result = (score: number): BleuScore => ({
    score,
    counts: correct,
    totals: total,
    precisions,
    bp,
    sysLen,
    refLen,
  });
  // no match at all is BLEU 0 whatever the smoothing (sacreBLEU #141)
  if (!correct.some((c) => c !== 0)) return result(0.0);

  let smoothMteval = 1.0;
  let effOrder = order;
  for (let n = 1; n <= order; n++) {
    // sacreBLEU reports the add-k counts and totals with k added, so do we
    if (opts.smoothMethod === 'add-k' && n > 1) {
      correct[n - 1] += smoothValue;
      total[n - 1] += smoothValue;
    }
    if (total[n - 1] === 0) break;
    if (opts.effectiveOrder) effOrder = n;
    if (correct[n - 1] === 0) {
      if (opts.smoothMethod === 'exp') {
        smoothMteval *= 2;
        precisions[n - 1] = 100 / (smoothMteval * total[n - 1]);
      } else if (opts.smoothMethod === 'floor') {
        precisions[n - 1] = (100 * smoothValue) / total[n - 1];
      }
    } else {
      precisions[n - 1] = (100 * correct[n - 1]) / total[n - 1];
    }
  }
  let logSum = 0;
  for (let i = 0; i < effOrder; i++) logSum += logFloored(precisions[i]);
  return result(bp * Math.exp(logSum / effOrder));
}

/** Element-wise sum of sentence statistics, in order (floating-point sums depend on it). */
export function sumBleuStats(all: Iterable<BleuStats>, order: number): BleuStats {
  const sum: BleuStats = { sysLen: 0, refLen: 0, correct: new Array(order).fill(0), total: new Array(order).fill(0) };
  for (const s of all) {
    sum.sysLen += s.sysLen;
    sum.refLen += s.refLen;
    for (let i = 0; i < order; i++) {
      sum.correct[i] += s.correct[i];
      sum.total[i] += s.total[i];
    }
  }
  return sum;
}
