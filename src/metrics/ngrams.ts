// N-gram counting shared by BLEU (word n-grams) and chrF (character and word n-grams).
// Keys are the n-gram's tokens joined by a space: tokens never contain whitespace, so a key
// is unambiguous, and the order is implied by which of the per-order maps holds it.

export type NgramCounts = Map<string, number>;

/** wordNgramsByOrder(["a","b","a"], 2) -> [{a:2, b:1}, {"a b":1, "b a":1}] */
export function wordNgramsByOrder(tokens: string[], maxOrder: number): NgramCounts[] {
  const byOrder: NgramCounts[] = Array.from({ length: maxOrder }, () => new Map());
  for (let i = 0; i < tokens.length; i++) {
    let key = '';
    for (let n = 1; n <= maxOrder && i + n <= tokens.length; n++) {
      key = n === 1 ? tokens[i] : `${key} ${tokens[i + n - 1]}`;
      const counts = byOrder[n - 1];
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return byOrder;
}

/** charNgrams("abca", 2) -> {ab:1, bc:1, ca:1}; counts code points, as Python does. */
export function charNgrams(text: string, n: number, chars?: string[]): NgramCounts {
  const counts: NgramCounts = new Map();
  // fast path: without surrogate pairs a UTF-16 slice is a code-point slice
  if (!chars) {
    for (let i = 0; i + n <= text.length; i++) {
      const key = text.slice(i, i + n);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  }
  for (let i = 0; i + n <= chars.length; i++) {
    const key = chars.slice(i, i + n).join('');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Character n-grams of orders 1..maxOrder. */
export function charNgramsByOrder(text: string, maxOrder: number): NgramCounts[] {
  const chars = SURROGATE.test(text) ? Array.from(text) : undefined;
  const out: NgramCounts[] = [];
  for (let n = 1; n <= maxOrder; n++) out.push(charNgrams(text, n, chars));
  return out;
}

/** Sum of an n-gram map's counts. */
export function totalCount(counts: NgramCounts): number {
  let total = 0;
  for (const c of counts.values()) total += c;
  return total;
}

/** Clipped matches: sum over hyp n-grams of min(hyp count, ref count). */
export function clippedMatches(hyp: NgramCounts, ref: NgramCounts): number {
  let matches = 0;
  for (const [key, count] of hyp) {
    const refCount = ref.get(key);
    if (refCount !== undefined) matches += Math.min(count, refCount);
  }
  return matches;
}
