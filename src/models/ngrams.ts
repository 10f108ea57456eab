// Word unigrams and bigrams of a text, hashed into buckets (FNV-1a, 32 bit): the features of
// the bag-of-n-grams baseline. Lowercased, split on anything that is not a letter or digit.
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function hashedNgrams(text: string, buckets: number): number[] {
  const words = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  const out = words.map((w) => fnv1a(w) % buckets);
  for (let i = 1; i < words.length; i++) out.push(fnv1a(`${words[i - 1]} ${words[i]}`) % buckets);
  return out;
}
