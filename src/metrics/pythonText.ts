// Python's notion of whitespace, which sacreBLEU relies on through str.split() and str.rstrip().
// JavaScript's \s differs: it has U+FEFF and lacks U+001C-U+001F and U+0085, so a token
// boundary would move and a score would change. Exact agreement needs Python's set.
const PY_WS = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const SPLIT_RE = new RegExp(`[${PY_WS}]+`);
const TRAILING_RE = new RegExp(`[${PY_WS}]+$`);
const ANY_RE = new RegExp(`[${PY_WS}]+`, 'g');

/** str.split() with no argument: "  a  b ".split() -> ["a", "b"]. */
export function pySplit(text: string): string[] {
  const parts = text.split(SPLIT_RE);
  if (parts.length && parts[0] === '') parts.shift();
  if (parts.length && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** str.rstrip() with no argument: "a b \t" -> "a b". */
export function pyRstrip(text: string): string {
  return text.replace(TRAILING_RE, '');
}

/** ''.join(text.split()): every Python whitespace character removed. */
export function pyRemoveWhitespace(text: string): string {
  return text.replace(ANY_RE, '');
}

/** ' '.join(text.split()): runs of whitespace collapsed to one space, ends trimmed. */
export function pyNormalizeSpaces(text: string): string {
  return pySplit(text).join(' ');
}

/** Code points, as Python indexes a str (JavaScript indexes UTF-16 units). */
export function codePoints(text: string): string[] {
  return Array.from(text);
}
