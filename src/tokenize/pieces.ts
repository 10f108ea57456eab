// SentencePiece-style pre-tokenization: a space becomes the marker ▁ at the start of the next
// word, so decoding is concatenation and decode(encode(x)) == x holds for any text, including
// leading, trailing and repeated spaces.
export const SPACE_MARK = '\u2581';

/** words("a  b") -> ["a", "▁", "▁b"]: the first word has no marker, every later one has one. */
export function toWords(text: string): string[] {
  return text
    .split(' ')
    .map((w, i) => (i === 0 ? w : SPACE_MARK + w))
    .filter((w) => w.length > 0);
}
