// A small rule-based sentence splitter for package descriptions: a sentence ends at . ! or ?
// followed by whitespace and an uppercase letter, a digit or an opening quote. Abbreviations
// ("e.g. Foo", "z. B. Das") will sometimes split wrongly; both languages then usually split the
// same way or differ in count, and pairs whose counts differ are dropped by the builder.
const BOUNDARY = /(?<=[.!?])\s+(?=[\p{Lu}\p{N}"„«“‚'])/u;
// known abbreviations, and any single letter followed by a period ("z. B.", "d. h.", initials)
const ABBREVIATION = /(?:(?:^|[\s(])(?:e\.g|i\.e|etc|vs|bzw|ca|usw|Nr|Dr|Mr|Mrs|St|ggf|evtl|sog|inkl|\p{L})\.)$/iu;

/** splitSentences("It works. It is fast.") -> ["It works.", "It is fast."] */
export function splitSentences(paragraph: string): string[] {
  const pieces = paragraph.split(BOUNDARY);
  const out: string[] = [];
  for (const piece of pieces) {
    // glue a piece back when the previous one ended in a known abbreviation
    if (out.length && ABBREVIATION.test(out[out.length - 1])) out[out.length - 1] += ` ${piece}`;
    else out.push(piece);
  }
  return out.map((s) => s.trim()).filter((s) => s.length > 0);
}
